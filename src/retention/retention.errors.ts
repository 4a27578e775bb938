import { BadUserInputError } from '../common/errors/domain-error';

/** A retention period that is not a whole number of days within the bounds (1–3650). */
export class RetentionDaysOutOfRangeError extends BadUserInputError {
  constructor(field: string, days: number, min: number, max: number) {
    super(`input.${field}`, `must be a whole number of days from ${min} to ${max} (got ${days})`, {
      min,
      max,
      reasonCode: 'RETENTION_DAYS_OUT_OF_RANGE',
    });
  }
}

/** An updateRetentionPolicy that names no field: nothing to change. */
export class RetentionPolicyEmptyError extends BadUserInputError {
  constructor() {
    super('input', 'give at least one of deliveriesDays, inboundEventsDays, auditLogDays (null means the default)', {
      reasonCode: 'RETENTION_POLICY_EMPTY',
    });
  }
}
