import type { RateLimitPolicy } from '../../config/app-config';

/** A fixed window of rate-limiter-flexible: `points` per `seconds`, starting at the first point a key spends. */
export interface Window {
  points: number;
  seconds: number;
}

/** The two limiters one policy is made of; burst is null when the policy has none. */
export interface Windows {
  steady: Window;
  burst: Window | null;
}

/** How long the burst allowance lasts before it is whole again. */
export const BURST_WINDOW_SECONDS = 60;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The steady window is the shortest whole number of seconds in which `perMinute` grants a whole number of points:
 * 1,200 a minute is 20 a second, 100 a minute is 5 every 3 s, 7 a minute is 7 a minute. So no window ever grants
 * more than the per-minute rate, and none rounds a rate down to nothing.
 */
export function windowsOf(policy: RateLimitPolicy): Windows {
  const divisor = gcd(policy.perMinute, 60);
  return {
    steady: { points: policy.perMinute / divisor, seconds: 60 / divisor },
    burst: policy.burst > 0 ? { points: policy.burst, seconds: BURST_WINDOW_SECONDS } : null,
  };
}

/** The most one request may spend: a request needing more can never be granted, whatever it waits. */
export function largestRequest(windows: Windows): number {
  return Math.max(windows.steady.points, windows.burst?.points ?? 0);
}

/**
 * When a refused request of `points` can first be granted: at the reset of a window large enough to hold it
 * whole (the steady one, the burst one, or the earlier of both). null when neither is.
 */
export function retryAfterMs(
  points: number,
  windows: Windows,
  resetsInMs: { steady: number; burst: number | null },
): number | null {
  const steady = points <= windows.steady.points ? Math.max(resetsInMs.steady, 1) : null;
  const burst =
    windows.burst && resetsInMs.burst !== null && points <= windows.burst.points ? Math.max(resetsInMs.burst, 1) : null;
  if (steady === null) return burst;
  return burst === null ? steady : Math.min(steady, burst);
}

/** The HTTP Retry-After header: whole seconds, rounded up, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
