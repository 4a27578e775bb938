import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('groups concurrent submissions into one call and gives each caller its own result', async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        calls.push(items);
        return items.map((i) => i * 10);
      },
      { maxItems: 100, maxWaitMs: 5 },
    );
    const results = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it('flushes at maxItems without waiting', async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        calls.push(items);
        return items;
      },
      { maxItems: 2, maxWaitMs: 10_000 },
    );
    await Promise.all([batcher.submit(1), batcher.submit(2)]);
    expect(calls).toEqual([[1, 2]]);
  });

  it('rejects every caller of a failed batch', async () => {
    const batcher = new MicroBatcher<number, number>(
      async () => {
        throw new Error('db down');
      },
      { maxItems: 10, maxWaitMs: 1 },
    );
    const results = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
