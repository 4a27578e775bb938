import { groupByDueSecond, QueuedDelivery, toDeliveryBatches } from './delivery-batches';

const d = (id: string, endpointId: string, attemptCount = 0, tenantId = 't1'): QueuedDelivery => ({
  id,
  tenantId,
  endpointId,
  attemptCount,
});

describe('toDeliveryBatches', () => {
  it('makes one job per endpoint, in the order given', () => {
    const batches = toDeliveryBatches([d('a', 'e1'), d('b', 'e2'), d('c', 'e1'), d('d', 'e2'), d('e', 'e1')], 100);
    expect(batches.map((b) => [b.endpointId, b.deliveryIds])).toEqual([
      ['e1', ['a', 'c', 'e']],
      ['e2', ['b', 'd']],
    ]);
  });

  it('cuts an endpoint with more deliveries than the batch size into several jobs', () => {
    const many = Array.from({ length: 250 }, (_, i) => d(`d${i}`, 'e1'));
    const batches = toDeliveryBatches(many, 100);
    expect(batches.map((b) => b.deliveryIds.length)).toEqual([100, 100, 50]);
    expect(batches.flatMap((b) => b.deliveryIds)).toEqual(many.map((x) => x.id));
    expect(new Set(batches.map((b) => b.jobId)).size).toBe(3);
  });

  it('keeps two tenants apart even for the same endpoint id', () => {
    const batches = toDeliveryBatches([d('a', 'e1', 0, 't1'), d('b', 'e1', 0, 't2')], 100);
    expect(batches.map((b) => [b.tenantId, b.deliveryIds])).toEqual([
      ['t1', ['a']],
      ['t2', ['b']],
    ]);
  });

  it('names a delivery given twice once, at its highest attempt', () => {
    const [batch, ...rest] = toDeliveryBatches([d('a', 'e1', 1), d('b', 'e1'), d('a', 'e1', 2)], 100);
    expect(rest).toEqual([]);
    expect(batch.deliveryIds).toEqual(['a', 'b']);
    expect(batch.jobId).toBe(toDeliveryBatches([d('a', 'e1', 2), d('b', 'e1')], 100)[0].jobId);
  });

  it('gives the same batch the same job id, and another attempt or member another one', () => {
    const id = (items: QueuedDelivery[]) => toDeliveryBatches(items, 100)[0].jobId;
    expect(id([d('a', 'e1'), d('b', 'e1')])).toBe(id([d('a', 'e1'), d('b', 'e1')]));
    expect(id([d('a', 'e1'), d('b', 'e1')])).not.toBe(id([d('a', 'e1', 1), d('b', 'e1')]));
    expect(id([d('a', 'e1'), d('b', 'e1')])).not.toBe(id([d('a', 'e1'), d('c', 'e1')]));
    expect(id([d('a', 'e1', 3)])).toBe('a_3'); // a batch of one keeps a single job's id
  });

  it('makes no job of nothing', () => {
    expect(toDeliveryBatches([], 100)).toEqual([]);
  });
});

describe('groupByDueSecond', () => {
  it('groups deliveries due in the same second, with the latest due time as the delay', () => {
    const now = 1_000_000;
    const groups = groupByDueSecond(
      [
        { delivery: d('a', 'e1'), dueAt: now + 5_100, requeue: false },
        { delivery: d('b', 'e2'), dueAt: now + 5_900, requeue: false },
        { delivery: d('c', 'e1'), dueAt: now + 7_000, requeue: false },
        { delivery: d('x', 'e1'), dueAt: now + 5_200, requeue: true },
      ],
      now,
    );
    expect(groups.map((g) => [g.deliveries.map((x) => x.id), g.delayMs, g.requeue])).toEqual([
      [['a', 'b'], 5_900, false],
      [['c'], 7_000, false],
      [['x'], 5_200, true],
    ]);
  });

  it('never gives a negative delay to what is already due', () => {
    const [group] = groupByDueSecond([{ delivery: d('a', 'e1'), dueAt: 10, requeue: false }], 5_000);
    expect(group.delayMs).toBe(0);
  });
});
