import type { HttpResult } from '../common/http/http-client';
import { DeliveryStatus } from './delivery.entity';
import { decideOutcome, parseRetryAfter, withJitter } from './delivery-outcome';

const SCHEDULE = [5_000, 300_000, 1_800_000];
const response = (status: number, headers: Record<string, string> = {}): HttpResult => ({
  ok: true,
  status,
  headers,
  body: '',
  durationMs: 12,
});
const half = () => 0.5;

describe('decideOutcome', () => {
  it('succeeds on any 2xx', () => {
    for (const status of [200, 201, 204, 299])
      expect(decideOutcome(response(status), 1, SCHEDULE).status).toBe(DeliveryStatus.SUCCEEDED);
  });

  it('retries network errors, timeouts, 408 and 5xx on the schedule', () => {
    const timeout: HttpResult = { ok: false, error: 'timeout after 15000 ms', errorKind: 'timeout', durationMs: 15000 };
    expect(decideOutcome(timeout, 1, SCHEDULE, 0, half)).toMatchObject({
      status: DeliveryStatus.RETRYING,
      retryInMs: 5_000,
      error: 'timeout after 15000 ms',
    });
    expect(decideOutcome(response(500), 2, SCHEDULE, 0, half)).toMatchObject({
      status: DeliveryStatus.RETRYING,
      retryInMs: 300_000,
      responseStatus: 500,
    });
    expect(decideOutcome(response(408), 3, SCHEDULE, 0, half).retryInMs).toBe(1_800_000);
    expect(decideOutcome(response(503), 1, SCHEDULE, 0, half).status).toBe(DeliveryStatus.RETRYING);
  });

  it('dead-letters after the last scheduled attempt (attempts = entries + 1)', () => {
    const outcome = decideOutcome(response(500), 4, SCHEDULE);
    expect(outcome.status).toBe(DeliveryStatus.DEAD_LETTER);
    expect(outcome.error).toContain('no retries left after 4 attempts');
  });

  it('honours Retry-After on 429, capped at twice the scheduled delay', () => {
    expect(decideOutcome(response(429, { 'retry-after': '2' }), 1, SCHEDULE).retryInMs).toBe(2_000);
    expect(decideOutcome(response(429, { 'retry-after': '3600' }), 1, SCHEDULE).retryInMs).toBe(10_000);
    const date = new Date(60_000).toUTCString();
    expect(decideOutcome(response(429, { 'retry-after': date }), 2, SCHEDULE, 0).retryInMs).toBe(60_000);
    expect(decideOutcome(response(429), 1, SCHEDULE, 0, half).retryInMs).toBe(5_000);
  });

  it('fails 410 at once and asks for the endpoint to be disabled', () => {
    expect(decideOutcome(response(410), 1, SCHEDULE)).toMatchObject({ status: DeliveryStatus.FAILED, gone: true });
  });

  it('fails other 4xx and redirects at once, without retries', () => {
    for (const status of [400, 401, 403, 404, 422])
      expect(decideOutcome(response(status), 1, SCHEDULE)).toMatchObject({
        status: DeliveryStatus.FAILED,
        retryInMs: null,
        gone: false,
      });
    expect(decideOutcome(response(302, { location: 'http://169.254.169.254/' }), 1, SCHEDULE)).toMatchObject({
      status: DeliveryStatus.FAILED,
      error: 'HTTP 302 redirect to http://169.254.169.254/ not followed',
    });
  });
});

describe('withJitter', () => {
  it('stays within ±20 % of the delay', () => {
    expect(withJitter(1000, () => 0)).toBe(800);
    expect(withJitter(1000, () => 1)).toBe(1200);
    for (let i = 0; i < 100; i++) {
      const d = withJitter(1000);
      expect(d).toBeGreaterThanOrEqual(800);
      expect(d).toBeLessThanOrEqual(1200);
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    expect(parseRetryAfter('7', 0)).toBe(7000);
    expect(parseRetryAfter(new Date(5000).toUTCString(), 0)).toBe(5000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(undefined, 0)).toBeNull();
  });
});
