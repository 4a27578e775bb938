import { addPurge, cutoffParams, onlyDue, purgeInBatches, untilEmpty } from './purge-batches';

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

describe('cut-off pages', () => {
  const t1 = new Date('2026-01-01T00:00:00.000Z');
  const t2 = new Date('2026-02-01T00:00:00.000Z');
  const page = [
    { tenantId: 'a', before: t1 },
    { tenantId: 'b', before: t2 },
    { tenantId: 'c', before: t1 },
  ];

  it('binds the tenants and their cut-offs as two parallel arrays', () => {
    expect(cutoffParams(page)).toEqual([
      ['a', 'b', 'c'],
      [t1, t2, t1],
    ]);
  });

  it('keeps the cut-offs of the tenants the query named, each with its own moment, in page order', () => {
    expect(onlyDue(page, [{ tenant_id: 'c' }, { tenant_id: 'a' }])).toEqual([page[0], page[2]]);
    expect(onlyDue(page, [])).toEqual([]);
    // A name that is not in the page (it cannot be, but) adds nothing.
    expect(onlyDue(page, [{ tenant_id: 'z' }])).toEqual([]);
  });

  it('adds counts', () => {
    expect(addPurge({ deleted: 2, statements: 1 }, { deleted: 5000, statements: 2 })).toEqual({
      deleted: 5002,
      statements: 3,
    });
  });
});
