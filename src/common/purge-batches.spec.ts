import { purgeInBatches, untilEmpty } from './purge-batches';

describe('purgeInBatches', () => {
  it('runs statements until one reports nothing more, and counts rows and statements', async () => {
    const sizes = [500, 500, 120, 0];
    const seen: number[] = [];
    const result = await purgeInBatches(
      async () => untilEmpty(sizes.shift() ?? 0),
      (n) => seen.push(n),
    );
    expect(result).toEqual({ deleted: 1120, statements: 4 });
    expect(seen).toEqual([500, 500, 120, 0]);
  });

  it('an empty table costs one statement', async () => {
    expect(await purgeInBatches(async () => untilEmpty(0))).toEqual({ deleted: 0, statements: 1 });
  });

  it('a keyset batch may delete nothing and still go on', async () => {
    const batches = [
      { deleted: 0, more: true },
      { deleted: 3, more: true },
      { deleted: 0, more: false },
    ];
    expect(await purgeInBatches(async () => batches.shift() ?? { deleted: 0, more: false })).toEqual({
      deleted: 3,
      statements: 3,
    });
  });
});
