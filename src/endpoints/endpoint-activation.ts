import { EndpointEntity, EndpointHealth } from './endpoint.entity';
import { NullNotAllowedError } from './endpoints.errors';

export const DISABLED_BY_USER = 'disabled by user';

/** Columns of the health state, reset whenever an endpoint is (re-)enabled or delivers successfully. */
const HEALTHY_STATE = {
  health: EndpointHealth.HEALTHY,
  consecutiveFailures: 0,
  firstFailureAt: null,
  disableAt: null,
  disabledReason: null,
} as const;

/** The columns that change when isActive is set to `wanted` by hand (nothing when it is already so). */
export function activeChange(current: EndpointEntity, wanted: boolean | null | undefined): Partial<EndpointEntity> {
  if (wanted === undefined || wanted === current.isActive) return {};
  if (wanted === null) throw new NullNotAllowedError('isActive');
  if (wanted) return { isActive: true, ...HEALTHY_STATE };
  return { isActive: false, health: EndpointHealth.DISABLED, disabledReason: DISABLED_BY_USER, disableAt: null };
}
