import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  addPurge,
  cutoffParams,
  CUTOFFS_SQL,
  onlyDue,
  purgeInBatches,
  PurgeResult,
  TenantCutoff,
  untilEmpty,
} from '../common/purge-batches';
import { InboundEventStatus } from './inbound-event.entity';

/** What processing has finished with; PENDING and PROCESSING events are never purged. */
export const FINISHED_INBOUND_STATUSES = [
  InboundEventStatus.PROCESSED,
  InboundEventStatus.SKIPPED,
  InboundEventStatus.FAILED,
];

/**
 * Deletes tenants' finished inbound events by a cut-off per tenant, in bounded statements. The retention sweep
 * (`retention/`) decides the cut-offs; this owns the SQL of `inbound_events`.
 */
@Injectable()
export class InboundRetention {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One statement finds which tenants of the page have anything due; only those get the per-tenant batches. */
  async purge(cutoffs: TenantCutoff[], batchSize: number, onBatch?: (n: number) => void): Promise<PurgeResult> {
    const total: PurgeResult = { deleted: 0, statements: 0 };
    if (cutoffs.length === 0) return total;
    const due = (await this.dataSource.query(
      `SELECT c.tenant_id FROM ${CUTOFFS_SQL}
        WHERE EXISTS (SELECT 1 FROM inbound_events i
                       WHERE i.tenant_id = c.tenant_id AND i.status = ANY($3) AND i.updated_at < c.before)`,
      [...cutoffParams(cutoffs), FINISHED_INBOUND_STATUSES],
    )) as { tenant_id: string }[];
    for (const { tenantId, before } of onlyDue(cutoffs, due))
      addPurge(total, await purgeInBatches(() => this.purgeBatch(tenantId, before, batchSize), onBatch));
    return total;
  }

  /**
   * Finished events last changed before the cut-off (`updated_at`: when processing ended, or the last retry), on the
   * partial index of finished rows. A row being retried or reprocessed right now is locked and skipped, and the lock
   * re-checks the status, so an event made PENDING meanwhile stays.
   */
  private async purgeBatch(tenantId: string, before: Date, batchSize: number) {
    const [row] = (await this.dataSource.query(
      `WITH batch AS (
         SELECT id FROM inbound_events
          WHERE tenant_id = $1 AND status = ANY($2) AND updated_at < $3
          LIMIT $4 FOR UPDATE SKIP LOCKED),
       gone AS (DELETE FROM inbound_events i USING batch WHERE i.id = batch.id RETURNING 1)
       SELECT count(*)::int AS deleted FROM gone`,
      [tenantId, FINISHED_INBOUND_STATUSES, before, batchSize],
    )) as { deleted: number }[];
    return untilEmpty(row.deleted);
  }
}
