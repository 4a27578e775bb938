import { EndpointHealth } from './endpoint.entity';

export const DEGRADED_AFTER_FAILURES = 3;
export const FAILING_AFTER_MS = 24 * 3_600_000;
export const DISABLE_AFTER_MS = 5 * 24 * 3_600_000;

export type HealthTransition = 'none' | 'degraded' | 'failing' | 'disabled';

/** The endpoint as it stands once this failure has been counted. */
export interface FailureSnapshot {
  health: EndpointHealth;
  isActive: boolean;
  /** Including this failure. */
  consecutiveFailures: number;
  /** Set by the first failure of the current run (this one at the latest). */
  firstFailureAt: Date;
  disableAt: Date | null;
}

export interface HealthDecision {
  health: EndpointHealth;
  disableAt: Date | null;
  /** True when the endpoint must be disabled now. */
  disable: boolean;
  transition: HealthTransition;
}

export function failingReason(firstFailureAt: Date): string {
  return `failing since ${firstFailureAt.toISOString()}`;
}

/**
 * The contract's health rules after a failed delivery at `at` (a success resets everything, see recordSuccess):
 * DEGRADED at 3 failures in a row; FAILING once failures have lasted 24 h, to be disabled 5 days after the first;
 * DISABLED at disableAt. An endpoint that is already inactive or DISABLED does not move.
 */
export function nextHealth(s: FailureSnapshot, at: Date): HealthDecision {
  const keep: HealthDecision = { health: s.health, disableAt: s.disableAt, disable: false, transition: 'none' };
  if (!s.isActive || s.health === EndpointHealth.DISABLED) return keep;

  const disableAt = s.disableAt ?? new Date(s.firstFailureAt.getTime() + DISABLE_AFTER_MS);
  if (at.getTime() >= disableAt.getTime()) {
    return { health: EndpointHealth.DISABLED, disableAt, disable: true, transition: 'disabled' };
  }
  if (at.getTime() - s.firstFailureAt.getTime() >= FAILING_AFTER_MS) {
    return {
      health: EndpointHealth.FAILING,
      disableAt,
      disable: false,
      transition: s.health === EndpointHealth.FAILING ? 'none' : 'failing',
    };
  }
  if (s.health === EndpointHealth.HEALTHY && s.consecutiveFailures >= DEGRADED_AFTER_FAILURES) {
    return { ...keep, health: EndpointHealth.DEGRADED, transition: 'degraded' };
  }
  return keep;
}
