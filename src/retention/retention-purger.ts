import { Injectable } from '@nestjs/common';
import { AuditService } from '../auth/audit.service';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { PurgeResult } from '../common/purge-batches';
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

function add(report: SweepReport, table: RetainedTable, result: PurgeResult): void {
  report[table].deleted += result.deleted;
  report[table].statements += result.statements;
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

  /** Deliveries first, so that events left without one go in the same sweep. */
  async purgeTenant(tenantId: string, cutoffs: RetentionCutoffs, batchSize: number, report: SweepReport) {
    const counted = (table: RetainedTable) => (n: number) => this.metrics.statement(table, n);
    const delivered = await this.deliveries.purge(tenantId, cutoffs.deliveriesBefore, batchSize, {
      deliveries: counted(RetainedTable.Deliveries),
      attempts: (n) => this.metrics.rowsAlongside(RetainedTable.DeliveryAttempts, n),
      events: counted(RetainedTable.Events),
    });
    add(report, RetainedTable.Deliveries, delivered.deliveries);
    add(report, RetainedTable.DeliveryAttempts, { deleted: delivered.attempts, statements: 0 });
    add(report, RetainedTable.Events, delivered.events);
    const inbound = await this.inbound.purge(
      tenantId,
      cutoffs.inboundEventsBefore,
      batchSize,
      counted(RetainedTable.InboundEvents),
    );
    add(report, RetainedTable.InboundEvents, inbound);
    const audit = await this.audit.purgeBefore(
      tenantId,
      cutoffs.auditLogBefore,
      batchSize,
      counted(RetainedTable.AuditLogs),
    );
    add(report, RetainedTable.AuditLogs, audit);
  }

  /** Idempotency keys are kept 24 h whatever the tenant's policy, so they are purged across tenants at once. */
  async purgeIdempotencyKeys(now: Date, batchSize: number, report: SweepReport): Promise<void> {
    const result = await this.idempotency.purgeExpired(now, batchSize, (n) =>
      this.metrics.statement(RetainedTable.IdempotencyKeys, n),
    );
    add(report, RetainedTable.IdempotencyKeys, result);
  }
}
