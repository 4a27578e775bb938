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

  it('with maxConcurrent, runs that many batches at once and hands what gathered meanwhile to the next, up to maxItems', async () => {
    const calls: number[][] = [];
    const gates: (() => void)[] = [];
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        calls.push(items);
        await new Promise<void>((resolve) => gates.push(resolve));
        return items.map((i) => -i);
      },
      { maxItems: 3, maxWaitMs: 1, maxConcurrent: 1 },
    );
    const first = batcher.submit(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual([[1]]);
    // While the first batch runs, seven more gather: none starts, whatever the timer or maxItems says.
    const rest = [2, 3, 4, 5, 6, 7, 8].map((n) => batcher.submit(n));
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual([[1]]);

    gates.shift()!();
    expect(await first).toBe(-1);
    await new Promise((r) => setTimeout(r, 5));
    expect(calls).toEqual([[1], [2, 3, 4]]);
    gates.shift()!();
    await new Promise((r) => setTimeout(r, 5));
    expect(calls).toEqual([[1], [2, 3, 4], [5, 6, 7]]);
    gates.shift()!();
    await new Promise((r) => setTimeout(r, 5));
    expect(calls).toEqual([[1], [2, 3, 4], [5, 6, 7], [8]]);
    gates.shift()!();
    expect(await Promise.all(rest)).toEqual([-2, -3, -4, -5, -6, -7, -8]);
  });

  it('with maxConcurrent, a failed batch frees its turn for the next', async () => {
    let fail = true;
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        if (fail) {
          fail = false;
          throw new Error('db down');
        }
        return items;
      },
      { maxItems: 10, maxWaitMs: 1, maxConcurrent: 1 },
    );
    await expect(batcher.submit(1)).rejects.toThrow('db down');
    await expect(batcher.submit(2)).resolves.toBe(2);
  });
});
