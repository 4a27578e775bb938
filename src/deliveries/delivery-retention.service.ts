import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PurgeBatch, purgeInBatches, PurgeResult, untilEmpty } from '../common/purge-batches';
import { FINAL_STATUSES } from './delivery.entity';

/** What one tenant's delivery purge removed: deliveries (with their attempts, counted apart) and events. */
export interface DeliveryPurgeResult {
  deliveries: PurgeResult;
  attempts: number;
  events: PurgeResult;
}

export interface DeliveryPurgeProgress {
  deliveries?: (deleted: number) => void;
  attempts?: (deleted: number) => void;
  events?: (deleted: number) => void;
}

/** The oldest possible keyset position of an event: before every (created_at, id). */
const FIRST_EVENT = { createdAt: new Date(0), id: '00000000-0000-0000-0000-000000000000' };

/**
 * Deletes a tenant's finished deliveries, their attempts and the events left with no delivery, by a cut-off, in
 * bounded statements. The retention sweep (`retention/`) decides the cut-off; this owns the SQL of these tables.
 */
@Injectable()
export class DeliveryRetention {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async purge(
    tenantId: string,
    before: Date,
    batchSize: number,
    progress: DeliveryPurgeProgress = {},
  ): Promise<DeliveryPurgeResult> {
    let attempts = 0;
    const deliveries = await purgeInBatches(async () => {
      const batch = await this.purgeFinishedBatch(tenantId, before, batchSize);
      attempts += batch.attempts;
      progress.attempts?.(batch.attempts);
      return untilEmpty(batch.deliveries);
    }, progress.deliveries);
    let after = FIRST_EVENT;
    const events = await purgeInBatches(async () => {
      const batch = await this.purgeEventsBatch(tenantId, before, batchSize, after);
      if (batch.last) after = batch.last;
      return batch;
    }, progress.events);
    return { deliveries, attempts, events };
  }

  /**
   * Final deliveries (SUCCEEDED, FAILED, DEAD_LETTER) that became final before the cut-off (`updated_at`: a final
   * row is never updated again), on the partial index of final rows. A row another transaction holds is skipped
   * (the next sweep takes it); the lock re-checks the status, so a row made non-final meanwhile stays.
   */
  private async purgeFinishedBatch(
    tenantId: string,
    before: Date,
    batchSize: number,
  ): Promise<{ deliveries: number; attempts: number }> {
    const [row] = (await this.dataSource.query(
      `WITH batch AS (
         SELECT id FROM deliveries
          WHERE tenant_id = $1 AND status = ANY($2) AND updated_at < $3
          LIMIT $4 FOR UPDATE SKIP LOCKED),
       attempts AS (DELETE FROM delivery_attempts a USING batch WHERE a.delivery_id = batch.id RETURNING 1),
       gone AS (DELETE FROM deliveries d USING batch WHERE d.id = batch.id RETURNING 1)
       SELECT (SELECT count(*) FROM gone)::int AS deliveries, (SELECT count(*) FROM attempts)::int AS attempts`,
      [tenantId, FINAL_STATUSES, before, batchSize],
    )) as { deliveries: number; attempts: number }[];
    return row;
  }

  /**
   * Events published before the cut-off that have no delivery left (so none unfinished, and deleting one cascades
   * to nothing). Walks the (tenant_id, created_at, id) index by keyset, so events that must stay (an unfinished
   * delivery) are read once per sweep, not once per batch.
   */
  private async purgeEventsBatch(
    tenantId: string,
    before: Date,
    batchSize: number,
    after: { createdAt: Date; id: string },
  ): Promise<PurgeBatch & { last: { createdAt: Date; id: string } | null }> {
    const [row] = (await this.dataSource.query(
      `WITH candidates AS (
         SELECT id, created_at FROM events
          WHERE tenant_id = $1 AND created_at < $2 AND (created_at, id) > ($3, $4)
          ORDER BY created_at, id LIMIT $5),
       doomed AS (
         SELECT e.id FROM events e JOIN candidates c ON c.id = e.id
          WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)
          FOR UPDATE OF e SKIP LOCKED),
       gone AS (DELETE FROM events e USING doomed WHERE e.id = doomed.id RETURNING 1),
       last AS (SELECT id, created_at FROM candidates ORDER BY created_at DESC, id DESC LIMIT 1)
       SELECT (SELECT count(*) FROM gone)::int AS deleted, (SELECT count(*) FROM candidates)::int AS seen,
              (SELECT id FROM last) AS last_id, (SELECT created_at FROM last) AS last_created_at`,
      [tenantId, before, after.createdAt, after.id, batchSize],
    )) as { deleted: number; seen: number; last_id: string | null; last_created_at: Date | null }[];
    const last = row.last_id && row.last_created_at ? { createdAt: row.last_created_at, id: row.last_id } : null;
    return { deleted: row.deleted, more: row.seen === batchSize, last };
  }
}
