import { VersionedMemo } from './versioned-memo';

describe('VersionedMemo', () => {
  it('shares one load per key within the TTL, and loads again after it', async () => {
    let now = 0;
    const memo = new VersionedMemo<number>(1_000, 10, () => now);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([memo.get('a', load), memo.get('a', load), memo.get('a', load)])).toEqual([1, 1, 1]);
    now = 999;
    expect(await memo.get('a', load)).toBe(1);
    now = 1_000;
    expect(await memo.get('a', load)).toBe(2);
  });

  it('forgets a failed load and stays within maxEntries', async () => {
    const memo = new VersionedMemo<number>(60_000, 3);
    await expect(memo.get('x', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await memo.get('x', async () => 7)).toBe(7);
    for (let i = 0; i < 10; i++) await memo.get(`k${i}`, async () => i);
    expect(memo.size).toBeLessThanOrEqual(3);
  });
});
