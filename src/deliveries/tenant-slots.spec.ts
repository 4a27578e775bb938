import { SlotLimits, SlotWork, TenantSlots } from './tenant-slots';

const LIMITS: SlotLimits = {
  total: 100,
  perTenant: 100,
  perEndpoint: 100,
  maxQueuedPerTenant: 1000,
  maxQueued: 10_000,
};
const w = (tenantId: string, endpointId: string, deliveryId: string): SlotWork => ({
  tenantId,
  endpointId,
  deliveryId,
});

/** Releases `done` and every work it hands on until nothing is left; returns the delivery ids in start order. */
function runToEnd(slots: TenantSlots, running: SlotWork[]): string[] {
  const started: string[] = [];
  const live = [...running];
  while (live.length > 0) {
    const done = live.shift() as SlotWork;
    const next = slots.release(done);
    if (next) {
      started.push(next.deliveryId);
      live.push(next);
    }
  }
  return started;
}

describe('TenantSlots', () => {
  it('caps one tenant however many endpoints it has, and leaves the others free', () => {
    const slots = new TenantSlots({ ...LIMITS, total: 10, perTenant: 3 });
    const bad = Array.from({ length: 60 }, (_, i) => slots.admit(w('bad', `e${i}`, `d${i}`)));
    expect(bad.filter((a) => a === 'run')).toHaveLength(3);
    expect(bad.filter((a) => a === 'park')).toHaveLength(57);
    expect(slots.active('bad')).toBe(3);
    expect(slots.admit(w('good', 'g', 'g1'))).toBe('run');
    expect(slots.active()).toBe(4);
  });

  it('still caps each endpoint within a tenant', () => {
    const slots = new TenantSlots({ ...LIMITS, perEndpoint: 2 });
    expect(slots.admit(w('t', 'slow', 'a'))).toBe('run');
    expect(slots.admit(w('t', 'slow', 'b'))).toBe('run');
    expect(slots.admit(w('t', 'slow', 'c'))).toBe('park');
    expect(slots.admit(w('t', 'fast', 'd'))).toBe('run');
    expect(slots.active('t', 'slow')).toBe(2);
  });

  it('makes work wait (not park) when only the worker cap is full', () => {
    const slots = new TenantSlots({ ...LIMITS, total: 2 });
    slots.admit(w('a', 'e', '1'));
    slots.admit(w('b', 'e', '2'));
    expect(slots.admit(w('c', 'e', '3'))).toBe('wait');
    expect(slots.release(w('a', 'e', '1'))?.deliveryId).toBe('3');
    expect(slots.active('c')).toBe(1);
  });

  it('hands freed worker slots round-robin across tenants, not in arrival order', () => {
    const slots = new TenantSlots({ ...LIMITS, total: 2 });
    const running = [w('x', 'e', 'x0'), w('y', 'e', 'y0')];
    for (const r of running) expect(slots.admit(r)).toBe('run');
    // Tenant a queues 5 before tenants b and c queue 2 each.
    for (let i = 1; i <= 5; i++) expect(slots.admit(w('a', `a-e${i}`, `a${i}`))).toBe('wait');
    for (const t of ['b', 'c'])
      for (let i = 1; i <= 2; i++) expect(slots.admit(w(t, `${t}-e`, `${t}${i}`))).toBe('wait');
    expect(runToEnd(slots, running)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'c2', 'a3', 'a4', 'a5']);
    expect(slots.queuedCount()).toBe(0);
    expect(slots.active()).toBe(0);
  });

  it("hands a tenant's freed slot round-robin across its endpoints, each endpoint in arrival order", () => {
    const slots = new TenantSlots({ ...LIMITS, perTenant: 1 });
    const first = w('t', 'e1', 'e1-0');
    slots.admit(first);
    for (const [e, n] of [
      ['e1', 3],
      ['e2', 2],
      ['e3', 1],
    ] as const)
      for (let i = 1; i <= n; i++) expect(slots.admit(w('t', e, `${e}-${i}`))).toBe('park');
    expect(runToEnd(slots, [first])).toEqual(['e1-1', 'e2-1', 'e3-1', 'e1-2', 'e2-2', 'e1-3']);
  });

  it('gives a healthy tenant the next freed slot while a saturated tenant keeps a long queue', () => {
    const slots = new TenantSlots({ ...LIMITS, total: 4, perTenant: 2 });
    for (let i = 0; i < 2; i++) slots.admit(w('bad', `e${i}`, `bad${i}`));
    for (let i = 2; i < 500; i++) expect(slots.admit(w('bad', `e${i % 300}`, `bad${i}`))).toBe('park');
    // Two other busy tenants fill the worker, then a healthy tenant arrives behind the whole backlog.
    slots.admit(w('b1', 'e', 'b1'));
    slots.admit(w('b2', 'e', 'b2'));
    expect(slots.admit(w('good', 'g', 'good1'))).toBe('wait');
    // A bad attempt ends: the freed worker slot goes to the tenant with nothing running, not to bad's older queue.
    const next = slots.release(w('bad', 'e0', 'bad0'));
    expect(next).toEqual(w('good', 'g', 'good1'));
    expect(slots.active('bad')).toBe(1);
  });

  it('loses no queued work: every admitted delivery starts exactly once', () => {
    const slots = new TenantSlots({ ...LIMITS, total: 5, perTenant: 3, perEndpoint: 2 });
    const running: SlotWork[] = [];
    const all = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const work = w(`t${i % 7}`, `e${i % 13}`, `d${i}`);
      all.add(work.deliveryId);
      const admission = slots.admit(work);
      if (admission === 'run') running.push(work);
      else expect(['wait', 'park']).toContain(admission);
    }
    const started = [...running.map((r) => r.deliveryId), ...runToEnd(slots, running)];
    expect(started).toHaveLength(400);
    expect(new Set(started)).toEqual(all);
    expect(slots.active()).toBe(0);
    expect(slots.queuedCount()).toBe(0);
  });

  it('never exceeds any cap while work churns', () => {
    const limits = { ...LIMITS, total: 6, perTenant: 3, perEndpoint: 2 };
    const slots = new TenantSlots(limits);
    const running: SlotWork[] = [];
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const check = (): void => {
      const byTenant = new Map<string, number>();
      const byEndpoint = new Map<string, number>();
      for (const r of running) {
        byTenant.set(r.tenantId, (byTenant.get(r.tenantId) ?? 0) + 1);
        byEndpoint.set(r.endpointId, (byEndpoint.get(r.endpointId) ?? 0) + 1);
      }
      expect(running.length).toBeLessThanOrEqual(limits.total);
      for (const n of byTenant.values()) expect(n).toBeLessThanOrEqual(limits.perTenant);
      for (const n of byEndpoint.values()) expect(n).toBeLessThanOrEqual(limits.perEndpoint);
    };
    for (let i = 0; i < 2000; i++) {
      if (running.length > 0 && rand(2) === 0) {
        const [done] = running.splice(rand(running.length), 1);
        const next = slots.release(done);
        if (next) running.push(next);
      } else {
        const t = rand(4);
        const work = w(`t${t}`, `t${t}-e${rand(3)}`, `d${i}`);
        if (slots.admit(work) === 'run') running.push(work);
      }
      check();
    }
  });

  it('keeps a delivery queued once, and refuses beyond its bounds without keeping anything', () => {
    const slots = new TenantSlots({ ...LIMITS, perTenant: 1, maxQueuedPerTenant: 2, maxQueued: 3 });
    slots.admit(w('a', 'e', 'a0'));
    expect(slots.admit(w('a', 'e', 'a1'))).toBe('park');
    expect(slots.admit(w('a', 'e', 'a1'))).toBe('duplicate');
    expect(slots.admit(w('a', 'e', 'a2'))).toBe('park');
    expect(slots.admit(w('a', 'e2', 'a3'))).toBe('refused');
    slots.admit(w('b', 'e', 'b0'));
    expect(slots.admit(w('b', 'e', 'b1'))).toBe('park');
    expect(slots.admit(w('b', 'e', 'b2'))).toBe('refused');
    expect(slots.queuedCount()).toBe(3);
    expect(slots.queuedCount('a')).toBe(2);
  });

  it('ignores a release it has no slot for, and drains queued work on shutdown', () => {
    const slots = new TenantSlots({ ...LIMITS, perTenant: 1 });
    expect(slots.release(w('nobody', 'e', 'x'))).toBeNull();
    slots.admit(w('a', 'e', 'a0'));
    slots.admit(w('a', 'e', 'a1'));
    slots.admit(w('a', 'e', 'a2'));
    expect(slots.drain().map((d) => d.deliveryId)).toEqual(['a1', 'a2']);
    expect(slots.release(w('a', 'e', 'a0'))).toBeNull();
    expect(slots.active()).toBe(0);
    expect(slots.admit(w('a', 'e', 'a1'))).toBe('run');
  });
});
