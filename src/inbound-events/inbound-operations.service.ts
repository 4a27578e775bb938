import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, Repository } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { Principal } from '../auth/principal';
import { IntegrationsService } from '../integrations/integrations.service';
import { TrackedJobEntity } from '../tracked-jobs/tracked-job.entity';
import { TrackedJobContext, TrackedJobsService } from '../tracked-jobs/tracked-jobs.service';
import { BulkReprocessInboundInput } from './dto/bulk-inbound.input';
import { InboundEventQueries } from './inbound-event-queries.service';
import { InboundEventEntity, InboundEventStatus } from './inbound-event.entity';
import { InboundProcessingService, ProcessOutcome } from './inbound-processing.service';
import { integrationOf, parseSelection, Selection, selectedIds } from './inbound-selection';

export const BULK_REPROCESS_JOB = 'inbound_events.bulk_reprocess';
/** Larger selections are reprocessed by a tracked job instead of inside the request. */
export const INLINE_REPROCESS_LIMIT = 100;
/** retryFailedInboundEvents leaves alone events that have failed this many times. */
export const MAX_RETRY_ATTEMPTS = 3;
/** processPendingInboundEvents handles at most this many per call (the queue handles the rest). */
const PROCESS_PENDING_BATCH = 500;

export interface ProcessCounts {
  processed: number;
  failed: number;
  skipped: number;
}

/**
 * What an operator does to stored inbound events besides deleting them: process the pending ones now, retry the
 * failed, process or reprocess one, and bulk-reprocess a selection (a tracked job past INLINE_REPROCESS_LIMIT).
 */
@Injectable()
export class InboundOperations implements OnModuleInit {
  constructor(
    @InjectRepository(InboundEventEntity) private readonly events: Repository<InboundEventEntity>,
    private readonly queries: InboundEventQueries,
    private readonly integrations: IntegrationsService,
    private readonly processing: InboundProcessingService,
    private readonly trackedJobs: TrackedJobsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.trackedJobs.registerHandler(BULK_REPROCESS_JOB, (ctx) => this.runBulkReprocess(ctx));
  }
  /** Processes the integration's PENDING events now, in the request, oldest first. */
  async processPending(tenantId: string, integrationId: string, eventCode?: string | null): Promise<ProcessCounts> {
    await this.integrations.find(tenantId, integrationId);
    const rows = await this.events.find({
      where: { tenantId, integrationId, status: InboundEventStatus.PENDING, ...(eventCode ? { eventCode } : {}) },
      select: { id: true },
      order: { receivedAt: 'ASC', id: 'ASC' },
      take: PROCESS_PENDING_BATCH,
    });
    return this.processAll(rows.map((row) => row.id));
  }
  /** FAILED events with fewer than MAX_RETRY_ATTEMPTS attempts go back to PENDING and are processed now. */
  async retryFailed(tenantId: string, integrationId: string): Promise<ProcessCounts> {
    await this.integrations.find(tenantId, integrationId);
    const result = await this.events
      .createQueryBuilder()
      .update()
      .set({ status: InboundEventStatus.PENDING })
      .where('tenant_id = :tenantId AND integration_id = :integrationId AND status = :failed AND attempts < :max', {
        tenantId,
        integrationId,
        failed: InboundEventStatus.FAILED,
        max: MAX_RETRY_ATTEMPTS,
      })
      .returning(['id'])
      .execute();
    return this.processAll((result.raw as { id: string }[]).map((row) => row.id));
  }
  /** Processes one event now; a PROCESSED (or in-flight) event is returned unchanged. */
  async processOne(tenantId: string, id: string): Promise<InboundEventEntity> {
    const event = await this.queries.find(tenantId, id);
    if (event.status === InboundEventStatus.PROCESSED || event.status === InboundEventStatus.PROCESSING) return event;
    await this.resetToPending(tenantId, [id]);
    await this.processing.process(id);
    return this.queries.find(tenantId, id);
  }
  /** Forces the event back to PENDING, whatever its status, and processes it now (publishing nothing twice). */
  async reprocess(tenantId: string, id: string): Promise<InboundEventEntity> {
    await this.queries.find(tenantId, id);
    await this.resetToPending(tenantId, [id]);
    await this.processing.process(id);
    return this.queries.find(tenantId, id);
  }
  async bulkReprocess(
    principal: Principal,
    input: BulkReprocessInboundInput,
  ): Promise<{ affected: number; trackedJob: TrackedJobEntity | null }> {
    const selection = parseSelection(input);
    const integrationId = integrationOf(selection);
    if (integrationId) await this.integrations.find(principal.tenantId, integrationId);
    const ids = await selectedIds(this.events, principal.tenantId, selection);
    if (input.dryRun) return { affected: ids.length, trackedJob: null };
    const target = { type: 'integration', id: integrationId };
    if (ids.length > INLINE_REPROCESS_LIMIT) {
      const job = await this.trackedJobs.start(principal.tenantId, BULK_REPROCESS_JOB, { selection });
      await this.audit.record(principal, 'inbound_event.bulk_reprocess_started', target, {
        count: ids.length,
        trackedJobId: job.id,
      });
      return { affected: ids.length, trackedJob: job };
    }
    await this.audit.record(principal, 'inbound_event.bulk_reprocessed', target, { count: ids.length });
    await this.reprocessAll(principal.tenantId, ids);
    return { affected: ids.length, trackedJob: null };
  }
  private async runBulkReprocess(ctx: TrackedJobContext): Promise<Record<string, unknown>> {
    const { selection } = ctx.job.params as { selection: Selection };
    const ids = await selectedIds(this.events, ctx.job.tenantId, selection);
    const counts: ProcessCounts = { processed: 0, failed: 0, skipped: 0 };
    await ctx.progress(0, ids.length);
    for (const [index, id] of ids.entries()) {
      await this.resetToPending(ctx.job.tenantId, [id]);
      this.count(counts, await this.processing.process(id));
      await ctx.progress(index + 1, ids.length);
    }
    return { affected: ids.length, ...counts };
  }
  private async reprocessAll(tenantId: string, ids: string[]): Promise<ProcessCounts> {
    await this.resetToPending(tenantId, ids);
    return this.processAll(ids);
  }
  private async processAll(ids: string[]): Promise<ProcessCounts> {
    const counts: ProcessCounts = { processed: 0, failed: 0, skipped: 0 };
    for (const id of ids) this.count(counts, await this.processing.process(id));
    return counts;
  }
  private count(counts: ProcessCounts, outcome: ProcessOutcome | null): void {
    if (outcome === InboundEventStatus.PROCESSED) counts.processed += 1;
    else if (outcome === InboundEventStatus.FAILED) counts.failed += 1;
    else if (outcome === InboundEventStatus.SKIPPED) counts.skipped += 1;
  }
  private async resetToPending(tenantId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.events.update(
      { tenantId, id: In(ids), status: Not(InboundEventStatus.PENDING) },
      { status: InboundEventStatus.PENDING },
    );
  }
}
