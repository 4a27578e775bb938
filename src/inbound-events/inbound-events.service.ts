import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Not, Repository, SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { Principal } from '../auth/principal';
import { Page, pageSize } from '../common/graphql/pagination';
import { PubSubService, Topic } from '../common/graphql/pubsub';
import { isUuid } from '../common/ids';
import { TrackedJobEntity } from '../tracked-jobs/tracked-job.entity';
import { TrackedJobContext, TrackedJobsService } from '../tracked-jobs/tracked-jobs.service';
import { IntegrationsService } from '../integrations/integrations.service';
import { BulkDeleteInboundInput, BulkReprocessInboundInput } from './dto/bulk-inbound.input';
import { InboundEventFilter } from './dto/inbound-event-filter.input';
import { applyOrdering, DEFAULT_ORDERING, encodeInboundCursor, InboundEventOrdering } from './inbound-event-cursor';
import { InboundEventEntity, InboundEventStatus } from './inbound-event.entity';
import { InboundEvent } from './inbound-event.model';
import {
  AmbiguousSelectionError,
  DeleteNotConfirmedError,
  EmptyEventIdsError,
  FilterIntegrationMismatchError,
  InboundEventNotFoundError,
  IncompleteSelectionError,
  InvalidEventIdError,
} from './inbound-events.errors';
import { InboundProcessingService, ProcessOutcome } from './inbound-processing.service';

export const BULK_REPROCESS_JOB = 'inbound_events.bulk_reprocess';
/** Larger selections are reprocessed by a tracked job instead of inside the request. */
export const INLINE_REPROCESS_LIMIT = 100;
/** retryFailedInboundEvents leaves alone events that have failed this many times. */
export const MAX_RETRY_ATTEMPTS = 3;
/** processPendingInboundEvents handles at most this many per call (the queue handles the rest). */
const PROCESS_PENDING_BATCH = 500;
export const DELETE_CONFIRMATION = 'YES';

/** Which events a bulk operation acts on: explicit ids, or every event of an integration matching a filter. */
export type Selection = { eventIds: string[] } | { filter: InboundEventFilter };

export interface ProcessCounts {
  processed: number;
  failed: number;
  skipped: number;
}

const ALIAS = 'e';

@Injectable()
export class InboundEventsService implements OnModuleInit {
  constructor(
    @InjectRepository(InboundEventEntity) private readonly events: Repository<InboundEventEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly integrations: IntegrationsService,
    private readonly processing: InboundProcessingService,
    private readonly trackedJobs: TrackedJobsService,
    private readonly audit: AuditService,
    private readonly pubsub: PubSubService,
  ) {}

  onModuleInit(): void {
    this.trackedJobs.registerHandler(BULK_REPROCESS_JOB, (ctx) => this.runBulkReprocess(ctx));
  }

  async list(
    tenantId: string,
    filter: InboundEventFilter,
    args: { orderBy?: InboundEventOrdering | null; first?: number | null; after?: string | null },
  ): Promise<Page<InboundEventEntity>> {
    await this.integrations.find(tenantId, filter.integrationId);
    const limit = pageSize(args.first);
    // The validation pipe hands an absent orderBy over as an empty object.
    const ordering = args.orderBy?.field ? args.orderBy : DEFAULT_ORDERING;
    const base = this.select(tenantId, { filter });
    const totalCount = await base.clone().getCount();
    const qb = base.clone();
    applyOrdering(qb, ALIAS, ordering, args.after);
    const rows = await qb.limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const edges = page.map((node) => ({ node, cursor: encodeInboundCursor(node, ordering) }));
    return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
  }

  async find(tenantId: string, id: string): Promise<InboundEventEntity> {
    const found = isUuid(id) ? await this.events.findOneBy({ tenantId, id }) : null;
    if (!found) throw new InboundEventNotFoundError(id);
    return found;
  }

  /** Counts by status in one query. */
  async stats(tenantId: string, integrationId: string): Promise<Record<'total' | 'pending' | 'processing' | 'processed' | 'failed' | 'skipped', number>> {
    await this.integrations.find(tenantId, integrationId);
    const count = (status: InboundEventStatus): string => `count(*) FILTER (WHERE status = '${status}')::int`;
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS total, ${count(InboundEventStatus.PENDING)} AS pending, ${count(InboundEventStatus.PROCESSING)} AS processing,
              ${count(InboundEventStatus.PROCESSED)} AS processed, ${count(InboundEventStatus.FAILED)} AS failed, ${count(InboundEventStatus.SKIPPED)} AS skipped
         FROM inbound_events WHERE tenant_id = $1 AND integration_id = $2`,
      [tenantId, integrationId],
    )) as { total: number; pending: number; processing: number; processed: number; failed: number; skipped: number }[];
    return row;
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
    const event = await this.find(tenantId, id);
    if (event.status === InboundEventStatus.PROCESSED || event.status === InboundEventStatus.PROCESSING) return event;
    await this.resetToPending(tenantId, [id]);
    await this.processing.process(id);
    return this.find(tenantId, id);
  }

  /** Forces the event back to PENDING, whatever its status, and processes it now (publishing nothing twice). */
  async reprocess(tenantId: string, id: string): Promise<InboundEventEntity> {
    await this.find(tenantId, id);
    await this.resetToPending(tenantId, [id]);
    await this.processing.process(id);
    return this.find(tenantId, id);
  }

  async bulkReprocess(principal: Principal, input: BulkReprocessInboundInput): Promise<{ affected: number; trackedJob: TrackedJobEntity | null }> {
    const selection = await this.selection(principal.tenantId, input);
    const ids = await this.selectedIds(principal.tenantId, selection);
    if (input.dryRun) return { affected: ids.length, trackedJob: null };
    const target = { type: 'integration', id: 'filter' in selection ? selection.filter.integrationId : null };
    if (ids.length > INLINE_REPROCESS_LIMIT) {
      const job = await this.trackedJobs.start(principal.tenantId, BULK_REPROCESS_JOB, { selection });
      await this.audit.record(principal, 'inbound_event.bulk_reprocess_started', target, { count: ids.length, trackedJobId: job.id });
      return { affected: ids.length, trackedJob: job };
    }
    await this.audit.record(principal, 'inbound_event.bulk_reprocessed', target, { count: ids.length });
    await this.reprocessAll(principal.tenantId, ids);
    return { affected: ids.length, trackedJob: null };
  }

  async bulkDelete(principal: Principal, input: BulkDeleteInboundInput): Promise<{ deleted: number }> {
    const selection = await this.selection(principal.tenantId, input);
    if (input.dryRun) return { deleted: await this.select(principal.tenantId, selection).getCount() };
    this.requireConfirmation(input.confirmation);
    const target = { type: 'integration', id: 'filter' in selection ? selection.filter.integrationId : null };
    return this.deleteSelected(principal, selection, 'inbound_event.bulk_deleted', target);
  }

  async deleteAll(principal: Principal, integrationId: string, confirmation: string, dryRun = false): Promise<{ deleted: number }> {
    await this.integrations.find(principal.tenantId, integrationId);
    const selection: Selection = { filter: { integrationId } };
    if (dryRun) return { deleted: await this.select(principal.tenantId, selection).getCount() };
    this.requireConfirmation(confirmation);
    return this.deleteSelected(principal, selection, 'inbound_event.all_deleted', { type: 'integration', id: integrationId });
  }

  /** Checks the integration belongs to the caller's tenant before a subscription starts. */
  async subscribe(tenantId: string, integrationId: string): Promise<AsyncIterator<InboundEvent>> {
    await this.integrations.find(tenantId, integrationId);
    return this.pubsub.asyncIterator<InboundEvent>(Topic.InboundEventUpdated, tenantId);
  }

  private async runBulkReprocess(ctx: TrackedJobContext): Promise<Record<string, unknown>> {
    const { selection } = ctx.job.params as { selection: Selection };
    const ids = await this.selectedIds(ctx.job.tenantId, selection);
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
    await this.events.update({ tenantId, id: In(ids), status: Not(InboundEventStatus.PENDING) }, { status: InboundEventStatus.PENDING });
  }

  private async deleteSelected(principal: Principal, selection: Selection, action: string, target: { type: string; id: string | null }): Promise<{ deleted: number }> {
    return this.dataSource.transaction(async (manager) => {
      const ids = (await this.select(principal.tenantId, selection, manager.getRepository(InboundEventEntity)).select(`${ALIAS}.id`, 'id').getRawMany<{ id: string }>()).map((r) => r.id);
      if (ids.length > 0) await manager.getRepository(InboundEventEntity).delete({ tenantId: principal.tenantId, id: In(ids) });
      await this.audit.record(principal, action, target, { count: ids.length }, manager);
      return { deleted: ids.length };
    });
  }

  private requireConfirmation(confirmation: string): void {
    if (confirmation !== DELETE_CONFIRMATION) throw new DeleteNotConfirmedError(DELETE_CONFIRMATION);
  }

  /** Either eventIds, or applyToAll with integrationId and a filter for that integration; anything else is BAD_USER_INPUT. */
  private async selection(tenantId: string, input: BulkReprocessInboundInput): Promise<Selection> {
    const hasIds = input.eventIds !== undefined && input.eventIds !== null;
    const applyToAll = input.applyToAll === true;
    if (hasIds && applyToAll) throw new AmbiguousSelectionError('eventIds', 'give either eventIds or applyToAll, not both');
    if (hasIds) {
      if (input.filter || input.integrationId) throw new AmbiguousSelectionError('filter', 'integrationId and filter go with applyToAll, not with eventIds');
      const eventIds = input.eventIds as string[];
      if (eventIds.length === 0) throw new EmptyEventIdsError();
      if (!eventIds.every(isUuid)) throw new InvalidEventIdError();
      return { eventIds };
    }
    if (!applyToAll) throw new IncompleteSelectionError('eventIds', 'give eventIds, or applyToAll: true with integrationId and filter');
    if (!input.integrationId) throw new IncompleteSelectionError('integrationId', 'is required with applyToAll');
    if (!input.filter) throw new IncompleteSelectionError('filter', 'is required with applyToAll');
    if (input.filter.integrationId !== input.integrationId) throw new FilterIntegrationMismatchError();
    await this.integrations.find(tenantId, input.integrationId);
    return { filter: input.filter };
  }

  private async selectedIds(tenantId: string, selection: Selection): Promise<string[]> {
    const qb = this.select(tenantId, selection).select(`${ALIAS}.id`, 'id').orderBy(`${ALIAS}.received_at`, 'ASC').addOrderBy(`${ALIAS}.id`, 'ASC');
    return (await qb.getRawMany<{ id: string }>()).map((row) => row.id);
  }

  private select(tenantId: string, selection: Selection, repo: Repository<InboundEventEntity> = this.events): SelectQueryBuilder<InboundEventEntity> {
    const qb = repo.createQueryBuilder(ALIAS).where(`${ALIAS}.tenant_id = :tenantId`, { tenantId });
    if ('eventIds' in selection) return qb.andWhere(`${ALIAS}.id IN (:...eventIds)`, { eventIds: selection.eventIds });
    const { filter } = selection;
    if (!isUuid(filter.integrationId)) return qb.andWhere('false');
    qb.andWhere(`${ALIAS}.integration_id = :integrationId`, { integrationId: filter.integrationId });
    if (filter.status?.length) qb.andWhere(`${ALIAS}.status IN (:...statuses)`, { statuses: filter.status });
    if (filter.eventCode) qb.andWhere(`${ALIAS}.event_code = :eventCode`, { eventCode: filter.eventCode });
    if (filter.receivedAfter) qb.andWhere(`${ALIAS}.received_at >= :receivedAfter`, { receivedAfter: filter.receivedAfter });
    if (filter.receivedBefore) qb.andWhere(`${ALIAS}.received_at < :receivedBefore`, { receivedBefore: filter.receivedBefore });
    return qb;
  }
}
