import { BadUserInputError, LIMIT_EXCEEDED, LimitExceededError } from '../../common/errors/domain-error';

export { LIMIT_EXCEEDED };

/** A filter or reducer hit one of FilterLimits: BAD_USER_INPUT, reasonCode LIMIT_EXCEEDED, with the limit named. */
export class FilterLimitError extends LimitExceededError {}

/**
 * A condition failed while running (wrong type, missing property, denied key).
 * Never leaves the engine: the leaf becomes false and the explanation says why.
 */
export class ConditionRuntimeError extends Error {
  override readonly name = 'ConditionRuntimeError';
}

/** The reason to show a person: BadUserInputError carries it without the field prefix. */
export function errorReason(error: unknown): string {
  if (error instanceof BadUserInputError) {
    const reason = error.details.reason;
    if (typeof reason === 'string') return reason;
  }
  if (error instanceof Error) return error.message;
  return 'unknown error';
}
