import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { purgeInBatches, PurgeResult, untilEmpty } from '../common/purge-batches';
import { InboundEventStatus } from './inbound-event.entity';

/** What processing has finished with; PENDING and PROCESSING events are never purged. */
export const FINISHED_INBOUND_STATUSES = [
  InboundEventStatus.PROCESSED,
  InboundEventStatus.SKIPPED,
  InboundEventStatus.FAILED,
];

/**
 * Deletes a tenant's finished inbound events by a cut-off, in bounded statements. The retention sweep
 * (`retention/`) decides the cut-off; this owns the SQL of `inbound_events`.
 */
@Injectable()
export class InboundRetention {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Finished events last changed before the cut-off (`updated_at`: when processing ended, or the last retry), on the
   * partial index of finished rows. A row being retried or reprocessed right now is locked and skipped, and the lock
   * re-checks the status, so an event made PENDING meanwhile stays.
   */
  purge(tenantId: string, before: Date, batchSize: number, onBatch?: (n: number) => void): Promise<PurgeResult> {
    return purgeInBatches(async () => {
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
    }, onBatch);
  }
}
