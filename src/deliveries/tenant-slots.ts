/**
 * Who may start an attempt in one worker process, and who goes next when one ends. Three caps: the worker's
 * (WORKER_CONCURRENCY), each tenant's (TENANT_CONCURRENCY) and each endpoint's (ENDPOINT_CONCURRENCY). Work over a
 * cap is queued here instead of holding a queue slot; a freed slot goes to queued work of the least busy tenant
 * (round-robin among equals), then round-robin across that tenant's endpoints, then in arrival order per endpoint. So a tenant whose endpoints
 * never answer holds at most its own cap, however many endpoints and deliveries it has, and the others still get
 * slots. Queued work is only a hint: its row stays due in Postgres (a crash loses nothing; the reconciler finds it).
 *
 * Pure: no I/O, no clock. The caller runs what `admit` and `release` hand it.
 */
export interface SlotWork {
  tenantId: string;
  endpointId: string;
  deliveryId: string;
}

export interface SlotLimits {
  /** In-flight attempts of the whole worker. */
  total: number;
  perTenant: number;
  perEndpoint: number;
  /** Queued work kept per tenant, and in all; beyond it work is refused (its row stays due). */
  maxQueuedPerTenant: number;
  maxQueued: number;
}

/**
 * - `run`: the work holds its slots now.
 * - `wait`: queued because only the worker's cap is full; the caller may hold its queue slot (backpressure).
 * - `park`: queued behind its tenant's or endpoint's cap; the caller should free its queue slot.
 * - `duplicate`: this delivery is already queued.
 * - `refused`: the queue is full; nothing is kept.
 */
export type Admission = 'run' | 'wait' | 'park' | 'duplicate' | 'refused';

/** FIFO with O(1) shift (an array's shift() copies). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  drain(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}

interface Lane<W> {
  active: number;
  queue: Fifo<W>;
}

interface TenantState<W> {
  active: number;
  queued: number;
  lanes: Map<string, Lane<W>>;
  /** Endpoints with queued work, in round-robin order (a lane served moves to the end). */
  waitingLanes: Set<string>;
}

export class TenantSlots<W extends SlotWork = SlotWork> {
  private readonly tenants = new Map<string, TenantState<W>>();
  /** Tenants with queued work, in round-robin order (a tenant served moves to the end). */
  private readonly waitingTenants = new Set<string>();
  private readonly queuedIds = new Set<string>();
  private activeTotal = 0;

  constructor(private readonly limits: SlotLimits) {}

  /** Whether this delivery waits here for a slot (parked or waiting): its queue job has already been taken. */
  isQueued(deliveryId: string): boolean {
    return this.queuedIds.has(deliveryId);
  }

  admit(work: W): Admission {
    if (this.queuedIds.has(work.deliveryId)) return 'duplicate';
    const tenant = this.tenant(work.tenantId);
    const lane = this.lane(tenant, work.endpointId);
    const blockedByOwnCap = tenant.active >= this.limits.perTenant || lane.active >= this.limits.perEndpoint;
    if (!blockedByOwnCap && this.activeTotal < this.limits.total) {
      this.acquire(tenant, lane);
      return 'run';
    }
    if (tenant.queued >= this.limits.maxQueuedPerTenant || this.queuedIds.size >= this.limits.maxQueued) {
      this.forget(work.tenantId, tenant, work.endpointId, lane);
      return 'refused';
    }
    lane.queue.push(work);
    tenant.queued += 1;
    tenant.waitingLanes.add(work.endpointId);
    this.waitingTenants.add(work.tenantId);
    this.queuedIds.add(work.deliveryId);
    return blockedByOwnCap ? 'park' : 'wait';
  }

  /**
   * Frees the slots of work that ended; returns the queued work that now holds a slot, if any. Only what the
   * freed slot unblocks is looked at: the whole round-robin when the worker was full, else the same tenant.
   */
  release(done: SlotWork): W | null {
    const tenant = this.tenants.get(done.tenantId);
    const lane = tenant?.lanes.get(done.endpointId);
    if (!tenant || !lane || lane.active <= 0) return null;
    const workerWasFull = this.activeTotal >= this.limits.total;
    const tenantWasFull = tenant.active >= this.limits.perTenant;
    this.activeTotal -= 1;
    tenant.active -= 1;
    lane.active -= 1;

    let next: W | null;
    if (workerWasFull) next = this.nextAcrossTenants();
    else if (tenantWasFull) next = this.nextOfTenant(done.tenantId, tenant);
    else next = this.nextOfLane(done.tenantId, tenant, done.endpointId, lane);
    this.forget(done.tenantId, tenant, done.endpointId, lane);
    return next;
  }

  /** Empties the queue (shutdown): the returned work was never started and holds no slot. */
  drain(): W[] {
    const all: W[] = [];
    for (const [tenantId, tenant] of this.tenants) {
      for (const [endpointId, lane] of tenant.lanes) {
        all.push(...lane.queue.drain());
        this.forget(tenantId, tenant, endpointId, lane);
      }
      tenant.queued = 0;
      tenant.waitingLanes.clear();
    }
    this.waitingTenants.clear();
    this.queuedIds.clear();
    return all;
  }

  active(tenantId?: string, endpointId?: string): number {
    if (tenantId === undefined) return this.activeTotal;
    const tenant = this.tenants.get(tenantId);
    if (endpointId === undefined) return tenant?.active ?? 0;
    return tenant?.lanes.get(endpointId)?.active ?? 0;
  }

  queuedCount(tenantId?: string): number {
    if (tenantId === undefined) return this.queuedIds.size;
    return this.tenants.get(tenantId)?.queued ?? 0;
  }

  /** The least busy waiting tenant first, round-robin among equals: one running nothing never waits behind one holding slots. */
  private nextAcrossTenants(): W | null {
    const candidates: { tenantId: string; tenant: TenantState<W>; order: number }[] = [];
    for (const tenantId of this.waitingTenants) {
      const tenant = this.tenants.get(tenantId);
      if (tenant && tenant.active < this.limits.perTenant)
        candidates.push({ tenantId, tenant, order: candidates.length });
    }
    candidates.sort((a, b) => a.tenant.active - b.tenant.active || a.order - b.order);
    for (const { tenantId, tenant } of candidates) {
      const next = this.nextOfTenant(tenantId, tenant);
      if (next) return next;
    }
    return null;
  }

  private nextOfTenant(tenantId: string, tenant: TenantState<W>): W | null {
    for (const endpointId of tenant.waitingLanes) {
      const lane = tenant.lanes.get(endpointId);
      if (!lane || lane.active >= this.limits.perEndpoint) continue;
      return this.take(tenantId, tenant, endpointId, lane);
    }
    return null;
  }

  private nextOfLane(tenantId: string, tenant: TenantState<W>, endpointId: string, lane: Lane<W>): W | null {
    if (lane.queue.length === 0 || lane.active >= this.limits.perEndpoint) return null;
    return this.take(tenantId, tenant, endpointId, lane);
  }

  /** Takes the lane's oldest work, gives it the slots, and sends lane and tenant to the back of their rounds. */
  private take(tenantId: string, tenant: TenantState<W>, endpointId: string, lane: Lane<W>): W | null {
    const work = lane.queue.shift();
    if (!work) return null;
    this.queuedIds.delete(work.deliveryId);
    tenant.queued -= 1;
    tenant.waitingLanes.delete(endpointId);
    if (lane.queue.length > 0) tenant.waitingLanes.add(endpointId);
    this.waitingTenants.delete(tenantId);
    if (tenant.waitingLanes.size > 0) this.waitingTenants.add(tenantId);
    this.acquire(tenant, lane);
    return work;
  }

  private acquire(tenant: TenantState<W>, lane: Lane<W>): void {
    this.activeTotal += 1;
    tenant.active += 1;
    lane.active += 1;
  }

  /** Drops the bookkeeping of a lane and a tenant that hold and queue nothing, so memory follows the load. */
  private forget(tenantId: string, tenant: TenantState<W>, endpointId: string, lane: Lane<W>): void {
    if (lane.active === 0 && lane.queue.length === 0) tenant.lanes.delete(endpointId);
    if (tenant.active === 0 && tenant.queued === 0 && tenant.lanes.size === 0) this.tenants.delete(tenantId);
  }

  private tenant(tenantId: string): TenantState<W> {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = { active: 0, queued: 0, lanes: new Map(), waitingLanes: new Set() };
      this.tenants.set(tenantId, tenant);
    }
    return tenant;
  }

  private lane(tenant: TenantState<W>, endpointId: string): Lane<W> {
    let lane = tenant.lanes.get(endpointId);
    if (!lane) {
      lane = { active: 0, queue: new Fifo() };
      tenant.lanes.set(endpointId, lane);
    }
    return lane;
  }
}
