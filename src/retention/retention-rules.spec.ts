import { DeliveryStatus, FINAL_STATUSES } from '../deliveries/delivery.entity';
import { InboundEventStatus } from '../inbound-events/inbound-event.entity';
import { FINISHED_INBOUND_STATUSES } from '../inbound-events/inbound-retention.service';
import {
  applyChanges,
  cutoffsAt,
  effectivePolicy,
  NO_OVERRIDES,
  RetentionDays,
  StoredPolicy,
  validateChanges,
} from './retention-rules';
import { RetentionDaysOutOfRangeError, RetentionPolicyEmptyError } from './retention.errors';

const DEFAULTS: RetentionDays = { deliveriesDays: 30, inboundEventsDays: 30, auditLogDays: 365 };
const now = new Date('2026-06-15T12:00:00.000Z');
const daysBefore = (d: number): Date => new Date(now.getTime() - d * 86_400_000);

describe('effectivePolicy', () => {
  it('is the defaults for a tenant without a policy', () => {
    expect(effectivePolicy(null, DEFAULTS)).toEqual(DEFAULTS);
    expect(effectivePolicy(NO_OVERRIDES, DEFAULTS)).toEqual(DEFAULTS);
  });

  it('takes the tenant value where it has one and the default elsewhere', () => {
    const stored: StoredPolicy = { deliveriesDays: 7, inboundEventsDays: null, auditLogDays: 3650 };
    expect(effectivePolicy(stored, DEFAULTS)).toEqual({ deliveriesDays: 7, inboundEventsDays: 30, auditLogDays: 3650 });
  });

  it('a field left to the default follows the default when it changes', () => {
    const stored: StoredPolicy = { deliveriesDays: null, inboundEventsDays: 2, auditLogDays: null };
    expect(effectivePolicy(stored, { ...DEFAULTS, deliveriesDays: 90 }).deliveriesDays).toBe(90);
  });
});

describe('validateChanges', () => {
  it('accepts the bounds and null (back to the default)', () => {
    expect(() => validateChanges({ deliveriesDays: 1, inboundEventsDays: 3650, auditLogDays: null })).not.toThrow();
  });

  it.each([0, -1, 3651, 100_000, 1.5])('refuses %p days, naming the field and the bounds', (days) => {
    let error: unknown;
    try {
      validateChanges({ deliveriesDays: 10, auditLogDays: days });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RetentionDaysOutOfRangeError);
    const details = (error as RetentionDaysOutOfRangeError).details;
    expect(details).toMatchObject({ field: 'input.auditLogDays', min: 1, max: 3650 });
    expect(details.reason).toContain('from 1 to 3650');
    expect(details.reasonCode).toBe('RETENTION_DAYS_OUT_OF_RANGE');
  });

  it('refuses an update that names no field', () => {
    expect(() => validateChanges({})).toThrow(RetentionPolicyEmptyError);
    expect(() => validateChanges({ deliveriesDays: undefined })).toThrow(RetentionPolicyEmptyError);
  });
});

describe('applyChanges', () => {
  it('sets given fields, resets null ones, and leaves absent ones', () => {
    const stored: StoredPolicy = { deliveriesDays: 7, inboundEventsDays: 14, auditLogDays: 100 };
    expect(applyChanges(stored, { deliveriesDays: 9, auditLogDays: null })).toEqual({
      deliveriesDays: 9,
      inboundEventsDays: 14,
      auditLogDays: null,
    });
    expect(stored.deliveriesDays).toBe(7);
  });

  it('starts from the defaults for a tenant without a policy', () => {
    expect(applyChanges(null, { inboundEventsDays: 3 })).toEqual({ ...NO_OVERRIDES, inboundEventsDays: 3 });
  });
});

describe('cutoffsAt', () => {
  it('is now minus the days of each kind', () => {
    expect(cutoffsAt({ deliveriesDays: 30, inboundEventsDays: 1, auditLogDays: 365 }, now)).toEqual({
      deliveriesBefore: daysBefore(30),
      inboundEventsBefore: daysBefore(1),
      auditLogBefore: daysBefore(365),
    });
  });

  it('a shorter policy cuts later, so it removes more', () => {
    const own = cutoffsAt(effectivePolicy({ ...NO_OVERRIDES, deliveriesDays: 2 }, DEFAULTS), now);
    const byDefault = cutoffsAt(DEFAULTS, now);
    expect(own.deliveriesBefore.getTime()).toBeGreaterThan(byDefault.deliveriesBefore.getTime());
    expect(own.auditLogBefore).toEqual(byDefault.auditLogBefore);
  });
});

describe('what a sweep may delete', () => {
  it('only final deliveries: never HELD, PENDING, IN_FLIGHT or RETRYING', () => {
    expect([...FINAL_STATUSES].sort()).toEqual(
      [DeliveryStatus.DEAD_LETTER, DeliveryStatus.FAILED, DeliveryStatus.SUCCEEDED].sort(),
    );
    for (const status of [
      DeliveryStatus.HELD,
      DeliveryStatus.PENDING,
      DeliveryStatus.IN_FLIGHT,
      DeliveryStatus.RETRYING,
    ])
      expect(FINAL_STATUSES).not.toContain(status);
  });

  it('only finished inbound events: never PENDING or PROCESSING', () => {
    expect(FINISHED_INBOUND_STATUSES).not.toContain(InboundEventStatus.PENDING);
    expect(FINISHED_INBOUND_STATUSES).not.toContain(InboundEventStatus.PROCESSING);
    expect([...FINISHED_INBOUND_STATUSES].sort()).toEqual(
      [InboundEventStatus.FAILED, InboundEventStatus.PROCESSED, InboundEventStatus.SKIPPED].sort(),
    );
  });
});
