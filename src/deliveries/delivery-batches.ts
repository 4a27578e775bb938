import { createHash } from 'node:crypto';

export interface QueuedDelivery {
  id: string;
  tenantId: string;
  endpointId: string;
  attemptCount: number;
}

/** One queue job: one endpoint's deliveries, and the job id that makes a second add of the same batch a no-op. */
export interface DeliveryBatch {
  jobId: string;
  tenantId: string;
  endpointId: string;
  deliveryIds: string[];
}

/**
 * Groups deliveries into jobs of one endpoint each, at most `size` deliveries a job, in the order given (a lane's
 * deliveries keep their order in a job). A delivery named twice is queued once, at its highest attempt number.
 * The job id names its (delivery, attempt) pairs, so re-adding the same batch while it waits in Redis is ignored;
 * a batch of one keeps the id a job of one delivery always had (`<deliveryId>_<attempt>`).
 */
export function toDeliveryBatches(deliveries: QueuedDelivery[], size: number): DeliveryBatch[] {
  const latest = new Map<string, QueuedDelivery>();
  for (const d of deliveries) {
    const seen = latest.get(d.id);
    if (!seen || d.attemptCount > seen.attemptCount) latest.set(d.id, d);
  }
  const byEndpoint = new Map<string, QueuedDelivery[]>();
  for (const d of latest.values()) {
    const key = `${d.tenantId}\u0000${d.endpointId}`;
    const group = byEndpoint.get(key);
    if (group) group.push(d);
    else byEndpoint.set(key, [d]);
  }
  const batches: DeliveryBatch[] = [];
  for (const group of byEndpoint.values()) {
    for (let i = 0; i < group.length; i += size) {
      const chunk = group.slice(i, i + size);
      batches.push({
        jobId: batchJobId(chunk),
        tenantId: chunk[0].tenantId,
        endpointId: chunk[0].endpointId,
        deliveryIds: chunk.map((d) => d.id),
      });
    }
  }
  return batches;
}

function batchJobId(chunk: QueuedDelivery[]): string {
  if (chunk.length === 1) return `${chunk[0].id}_${chunk[0].attemptCount}`;
  const hash = createHash('sha256');
  for (const d of chunk) hash.update(`${d.id}_${d.attemptCount};`);
  return `b_${chunk[0].endpointId}_${hash.digest('hex').slice(0, 32)}`;
}

/** Retries coalesced for a moment, grouped so that each job's delay is the latest of its deliveries' due times. */
export interface LaterDelivery {
  delivery: QueuedDelivery;
  dueAt: number;
  requeue: boolean;
}

/**
 * Groups deferred deliveries by the second they fall due in (and by requeue), each group with the delay of its
 * latest one: no job arrives before one of its deliveries is due (a claim then would find it not due and skip it),
 * and none is held back by more than a second.
 */
export function groupByDueSecond(
  items: LaterDelivery[],
  now: number,
): { deliveries: QueuedDelivery[]; delayMs: number; requeue: boolean }[] {
  const groups = new Map<string, { deliveries: QueuedDelivery[]; dueAt: number; requeue: boolean }>();
  for (const item of items) {
    const key = `${Math.floor(item.dueAt / 1000)}_${item.requeue ? 'r' : 'n'}`;
    const group = groups.get(key);
    if (group) {
      group.deliveries.push(item.delivery);
      group.dueAt = Math.max(group.dueAt, item.dueAt);
    } else {
      groups.set(key, { deliveries: [item.delivery], dueAt: item.dueAt, requeue: item.requeue });
    }
  }
  return [...groups.values()].map((g) => ({
    deliveries: g.deliveries,
    delayMs: Math.max(0, g.dueAt - now),
    requeue: g.requeue,
  }));
}
