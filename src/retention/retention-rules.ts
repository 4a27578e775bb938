import { RETENTION_MAX_DAYS, RETENTION_MIN_DAYS } from '../config/app-config';
import { RetentionDaysOutOfRangeError, RetentionPolicyEmptyError } from './retention.errors';

/** How long a tenant keeps each kind of finished row, in days. */
export interface RetentionDays {
  deliveriesDays: number;
  inboundEventsDays: number;
  auditLogDays: number;
}

export const RETENTION_FIELDS = ['deliveriesDays', 'inboundEventsDays', 'auditLogDays'] as const;
export type RetentionField = (typeof RETENTION_FIELDS)[number];

/** A tenant's stored policy: a number overrides the service default, null follows it (even when it changes). */
export type StoredPolicy = Record<RetentionField, number | null>;

/** What an update asks for: a number sets the field, null puts it back to the default, absent leaves it. */
export type PolicyChanges = Partial<Record<RetentionField, number | null | undefined>>;

/** The moments before which each kind of row is past the policy. */
export interface RetentionCutoffs {
  deliveriesBefore: Date;
  inboundEventsBefore: Date;
  auditLogBefore: Date;
}

const DAY_MS = 86_400_000;

export const NO_OVERRIDES: StoredPolicy = { deliveriesDays: null, inboundEventsDays: null, auditLogDays: null };

/** The policy in force: the tenant's own values where it has them, the defaults elsewhere. */
export function effectivePolicy(stored: StoredPolicy | null | undefined, defaults: RetentionDays): RetentionDays {
  const own = stored ?? NO_OVERRIDES;
  return {
    deliveriesDays: own.deliveriesDays ?? defaults.deliveriesDays,
    inboundEventsDays: own.inboundEventsDays ?? defaults.inboundEventsDays,
    auditLogDays: own.auditLogDays ?? defaults.auditLogDays,
  };
}

/** Refuses an update that names no field, or a period outside 1–3650 whole days; the first fault wins. */
export function validateChanges(changes: PolicyChanges): void {
  const given = RETENTION_FIELDS.filter((f) => changes[f] !== undefined);
  if (given.length === 0) throw new RetentionPolicyEmptyError();
  for (const field of given) {
    const days = changes[field];
    if (days === null) continue;
    if (!Number.isInteger(days) || (days as number) < RETENTION_MIN_DAYS || (days as number) > RETENTION_MAX_DAYS)
      throw new RetentionDaysOutOfRangeError(field, days as number, RETENTION_MIN_DAYS, RETENTION_MAX_DAYS);
  }
}

/** The stored policy after an update (validated first). */
export function applyChanges(stored: StoredPolicy | null | undefined, changes: PolicyChanges): StoredPolicy {
  const next: StoredPolicy = { ...(stored ?? NO_OVERRIDES) };
  for (const field of RETENTION_FIELDS) {
    const value = changes[field];
    if (value !== undefined) next[field] = value;
  }
  return next;
}

/** What is older than this, by the policy, may go: `now` minus the days of each kind. */
export function cutoffsAt(policy: RetentionDays, now: Date): RetentionCutoffs {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  return {
    deliveriesBefore: before(policy.deliveriesDays),
    inboundEventsBefore: before(policy.inboundEventsDays),
    auditLogBefore: before(policy.auditLogDays),
  };
}
