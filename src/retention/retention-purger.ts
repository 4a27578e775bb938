import { Injectable } from '@nestjs/common';
import { AuditService } from '../auth/audit.service';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { addPurge, PurgeResult, TenantCutoff } from '../common/purge-batches';
import { DeliveryRetention } from '../deliveries/delivery-retention.service';
import { InboundRetention } from '../inbound-events/inbound-retention.service';
import { RetainedTable, RetentionMetrics } from './retention-metrics';
import { RetentionCutoffs } from './retention-rules';

/** What a sweep removed: rows and statements per table. */
export type SweepReport = Record<RetainedTable, PurgeResult>;

export function emptyReport(): SweepReport {
  const report = {} as SweepReport;
  for (const table of Object.values(RetainedTable)) report[table] = { deleted: 0, statements: 0 };
  return report;
}

/** A tenant and where its policy cuts. */
export interface TenantCutoffs {
  tenantId: string;
  cutoffs: RetentionCutoffs;
}

function per(page: TenantCutoffs[], pick: (c: RetentionCutoffs) => Date): TenantCutoff[] {
  return page.map(({ tenantId, cutoffs }) => ({ tenantId, before: pick(cutoffs) }));
}

/**
 * Asks each owning module to delete what is past the cut-offs, in bounded statements (no module's SQL here), and
 * counts every statement as it ends.
 */
@Injectable()
export class RetentionPurger {
  constructor(
    private readonly deliveries: DeliveryRetention,
    private readonly inbound: InboundRetention,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
    private readonly metrics: RetentionMetrics,
  ) {}

  /** A page of tenants. Deliveries first, so that events left without one go in the same sweep. */
  async purgePage(page: TenantCutoffs[], batchSize: number, report: SweepReport): Promise<void> {
    const counted = (table: RetainedTable) => (n: number) => this.metrics.statement(table, n);
    const delivered = await this.deliveries.purge(
      per(page, (c) => c.deliveriesBefore),
      batchSize,
      {
        deliveries: counted(RetainedTable.Deliveries),
        attempts: (n) => this.metrics.rowsAlongside(RetainedTable.DeliveryAttempts, n),
        events: counted(RetainedTable.Events),
      },
    );
    addPurge(report[RetainedTable.Deliveries], delivered.deliveries);
    addPurge(report[RetainedTable.DeliveryAttempts], { deleted: delivered.attempts, statements: 0 });
    addPurge(report[RetainedTable.Events], delivered.events);
    const inbound = per(page, (c) => c.inboundEventsBefore);
    addPurge(
      report[RetainedTable.InboundEvents],
      await this.inbound.purge(inbound, batchSize, counted(RetainedTable.InboundEvents)),
    );
    const audit = per(page, (c) => c.auditLogBefore);
    addPurge(
      report[RetainedTable.AuditLogs],
      await this.audit.purgeBefore(audit, batchSize, counted(RetainedTable.AuditLogs)),
    );
  }

  /** Idempotency keys are kept 24 h whatever the tenant's policy, so they are purged across tenants at once. */
  async purgeIdempotencyKeys(now: Date, batchSize: number, report: SweepReport): Promise<void> {
    const result = await this.idempotency.purgeExpired(now, batchSize, (n) =>
      this.metrics.statement(RetainedTable.IdempotencyKeys, n),
    );
    addPurge(report[RetainedTable.IdempotencyKeys], result);
  }
}
