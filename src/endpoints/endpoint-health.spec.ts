import { EndpointHealth } from './endpoint.entity';
import { DISABLE_AFTER_MS, FAILING_AFTER_MS, FailureSnapshot, nextHealth } from './endpoint-health';

const HOUR = 3_600_000;
const t0 = new Date('2025-03-10T08:00:00.000Z');
const after = (ms: number): Date => new Date(t0.getTime() + ms);

function snapshot(over: Partial<FailureSnapshot> = {}): FailureSnapshot {
  return {
    health: EndpointHealth.HEALTHY,
    isActive: true,
    consecutiveFailures: 1,
    firstFailureAt: t0,
    disableAt: null,
    ...over,
  };
}

describe('nextHealth', () => {
  it('stays HEALTHY for the first two failures in a row', () => {
    expect(nextHealth(snapshot({ consecutiveFailures: 1 }), t0)).toEqual({
      health: EndpointHealth.HEALTHY,
      disableAt: null,
      disable: false,
      transition: 'none',
    });
    expect(nextHealth(snapshot({ consecutiveFailures: 2 }), after(1000)).transition).toBe('none');
  });

  it('becomes DEGRADED at the third failure in a row, once', () => {
    expect(nextHealth(snapshot({ consecutiveFailures: 3 }), after(2000))).toEqual({
      health: EndpointHealth.DEGRADED,
      disableAt: null,
      disable: false,
      transition: 'degraded',
    });
    expect(nextHealth(snapshot({ health: EndpointHealth.DEGRADED, consecutiveFailures: 4 }), after(3000))).toEqual({
      health: EndpointHealth.DEGRADED,
      disableAt: null,
      disable: false,
      transition: 'none',
    });
  });

  it('becomes FAILING 24 h after the first failure, with disableAt 5 days after it, whatever the count', () => {
    const decision = nextHealth(
      snapshot({ health: EndpointHealth.DEGRADED, consecutiveFailures: 40 }),
      after(FAILING_AFTER_MS),
    );
    expect(decision).toEqual({
      health: EndpointHealth.FAILING,
      disableAt: after(DISABLE_AFTER_MS),
      disable: false,
      transition: 'failing',
    });
    expect(nextHealth(snapshot({ consecutiveFailures: 2 }), after(FAILING_AFTER_MS + HOUR)).transition).toBe('failing');
    expect(nextHealth(snapshot({ consecutiveFailures: 40 }), after(FAILING_AFTER_MS - 1)).health).toBe(
      EndpointHealth.DEGRADED,
    );
  });

  it('reports FAILING only on the transition and keeps disableAt', () => {
    const failing = snapshot({
      health: EndpointHealth.FAILING,
      consecutiveFailures: 50,
      disableAt: after(DISABLE_AFTER_MS),
    });
    expect(nextHealth(failing, after(2 * FAILING_AFTER_MS))).toEqual({
      health: EndpointHealth.FAILING,
      disableAt: after(DISABLE_AFTER_MS),
      disable: false,
      transition: 'none',
    });
  });

  it('disables at disableAt', () => {
    const failing = snapshot({
      health: EndpointHealth.FAILING,
      consecutiveFailures: 90,
      disableAt: after(DISABLE_AFTER_MS),
    });
    expect(nextHealth(failing, after(DISABLE_AFTER_MS - 1)).transition).toBe('none');
    expect(nextHealth(failing, after(DISABLE_AFTER_MS))).toEqual({
      health: EndpointHealth.DISABLED,
      disableAt: after(DISABLE_AFTER_MS),
      disable: true,
      transition: 'disabled',
    });
  });

  it('disables straight away when a sparse endpoint fails again past 5 days', () => {
    expect(nextHealth(snapshot({ consecutiveFailures: 2 }), after(DISABLE_AFTER_MS + HOUR))).toMatchObject({
      health: EndpointHealth.DISABLED,
      disable: true,
      transition: 'disabled',
    });
  });

  it('never moves an inactive or DISABLED endpoint', () => {
    const late = after(DISABLE_AFTER_MS * 2);
    expect(nextHealth(snapshot({ isActive: false, consecutiveFailures: 10 }), late).transition).toBe('none');
    expect(
      nextHealth(snapshot({ health: EndpointHealth.DISABLED, isActive: false, consecutiveFailures: 10 }), late),
    ).toMatchObject({ health: EndpointHealth.DISABLED, disable: false, transition: 'none' });
  });
});
