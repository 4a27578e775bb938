import { largestRequest, retryAfterMs, retryAfterSeconds, windowsOf } from './rate-limit-windows';

describe('windowsOf', () => {
  it('picks the shortest whole-second steady window that grants whole points, and a minute of burst', () => {
    expect(windowsOf({ perMinute: 1200, burst: 100 })).toEqual({
      steady: { points: 20, seconds: 1 },
      burst: { points: 100, seconds: 60 },
    });
    expect(windowsOf({ perMinute: 100, burst: 0 })).toEqual({ steady: { points: 5, seconds: 3 }, burst: null });
    expect(windowsOf({ perMinute: 7, burst: 1 }).steady).toEqual({ points: 7, seconds: 60 });
    expect(windowsOf({ perMinute: 6, burst: 5 }).steady).toEqual({ points: 1, seconds: 10 });
  });

  it('never grants more than the per-minute rate in a minute of steady windows', () => {
    for (const perMinute of [1, 6, 7, 59, 60, 61, 100, 1200, 1201, 6_000_000]) {
      const { steady } = windowsOf({ perMinute, burst: 0 });
      expect(Number.isInteger(steady.points) && Number.isInteger(steady.seconds)).toBe(true);
      expect((steady.points * 60) / steady.seconds).toBe(perMinute);
    }
  });
});

describe('retryAfterMs', () => {
  const windows = windowsOf({ perMinute: 1200, burst: 100 }); // 20 per second, 100 per minute of burst
  it('waits for the earlier reset when both windows can hold the request', () => {
    expect(retryAfterMs(1, windows, { steady: 400, burst: 30_000 })).toBe(400);
    expect(retryAfterMs(1, windows, { steady: 400, burst: 200 })).toBe(200);
  });

  it('waits for the burst when only the burst can hold it (a batch larger than a steady window)', () => {
    expect(retryAfterMs(50, windows, { steady: 400, burst: 30_000 })).toBe(30_000);
  });

  it('is null for a request no window can ever hold, and at least 1 ms otherwise', () => {
    expect(retryAfterMs(101, windows, { steady: 400, burst: 30_000 })).toBeNull();
    expect(largestRequest(windows)).toBe(100);
    expect(retryAfterMs(1, windowsOf({ perMinute: 60, burst: 0 }), { steady: 0, burst: null })).toBe(1);
  });

  it('rounds Retry-After up to whole seconds', () => {
    expect([1, 999, 1000, 1001, 59_001].map(retryAfterSeconds)).toEqual([1, 1, 1, 2, 60]);
  });
});
