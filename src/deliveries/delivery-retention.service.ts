import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  addPurge,
  cutoffParams,
  CUTOFFS_SQL,
  onlyDue,
  PurgeBatch,
  purgeInBatches,
  PurgeResult,
  TenantCutoff,
  untilEmpty,
} from '../common/purge-batches';
import { FINAL_STATUSES } from './delivery.entity';

/** What a delivery purge removed: deliveries (with their attempts, counted apart) and events. */
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
 * Deletes tenants' finished deliveries, their attempts and the events left with no delivery, by a cut-off per
 * tenant, in bounded statements. The retention sweep (`retention/`) decides the cut-offs; this owns the SQL.
 */
@Injectable()
export class DeliveryRetention {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One statement finds which tenants of the page have anything due; only those get the per-tenant batches. */
  async purge(
    cutoffs: TenantCutoff[],
    batchSize: number,
    progress: DeliveryPurgeProgress = {},
  ): Promise<DeliveryPurgeResult> {
    const result: DeliveryPurgeResult = {
      deliveries: { deleted: 0, statements: 0 },
      attempts: 0,
      events: { deleted: 0, statements: 0 },
    };
    for (const { tenantId, before } of await this.withFinishedDue(cutoffs)) {
      addPurge(
        result.deliveries,
        await purgeInBatches(async () => {
          const batch = await this.purgeFinishedBatch(tenantId, before, batchSize);
          result.attempts += batch.attempts;
          progress.attempts?.(batch.attempts);
          return untilEmpty(batch.deliveries);
        }, progress.deliveries),
      );
    }
    for (const { tenantId, before } of await this.withEventsDue(cutoffs)) {
      let after = FIRST_EVENT;
      addPurge(
        result.events,
        await purgeInBatches(async () => {
          const batch = await this.purgeEventsBatch(tenantId, before, batchSize, after);
          if (batch.last) after = batch.last;
          return batch;
        }, progress.events),
      );
    }
    return result;
  }

  private async withFinishedDue(cutoffs: TenantCutoff[]): Promise<TenantCutoff[]> {
    if (cutoffs.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT c.tenant_id FROM ${CUTOFFS_SQL}
        WHERE EXISTS (SELECT 1 FROM deliveries d
                       WHERE d.tenant_id = c.tenant_id AND d.status = ANY($3) AND d.updated_at < c.before)`,
      [...cutoffParams(cutoffs), FINAL_STATUSES],
    )) as { tenant_id: string }[];
    return onlyDue(cutoffs, rows);
  }

  private async withEventsDue(cutoffs: TenantCutoff[]): Promise<TenantCutoff[]> {
    if (cutoffs.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT c.tenant_id FROM ${CUTOFFS_SQL}
        WHERE EXISTS (SELECT 1 FROM events e
                       WHERE e.tenant_id = c.tenant_id AND e.created_at < c.before
                         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id))`,
      cutoffParams(cutoffs),
    )) as { tenant_id: string }[];
    return onlyDue(cutoffs, rows);
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
