import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { queryReturning } from '../database/returning';
import { DataSource, In } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { Principal } from '../auth/principal';
import { BadUserInputError, NotFoundError, UnprocessableError } from '../common/errors/domain-error';
import { Page, paginate } from '../common/graphql/pagination';
import { isUuid } from '../common/ids';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { TrackedJobEntity } from '../common/tracked-jobs/tracked-job.entity';
import { TrackedJobsService } from '../common/tracked-jobs/tracked-jobs.service';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { EndpointsService } from '../endpoints/endpoints.service';
import { UnknownEventTypeError } from '../event-types/event-types.errors';
import { EventTypesService } from '../event-types/event-types.service';
import { TEST_EVENT_TYPE } from '../event-types/platform-event-types';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DeliveryEntity, DeliveryStatus, FINAL_STATUSES } from './delivery.entity';
import { DeliveryStats, ResponseTimePoint, TimeBucket } from './delivery.model';
import { DeliveryNotifier } from './delivery-notifier';
import { DeliveryQueue } from './delivery-queue';
import { DeliveryFilter, EventFilter } from './dto/delivery-filter.input';
import { EventEntity } from './event.entity';
import { FanoutService, NewEvent } from './fanout.service';

export const MAX_BATCH = 100;
export const MAX_PAYLOAD_BYTES = 256 * 1024;
const MAX_PAYLOAD_DEPTH = 32;
const MAX_SERIES_POINTS = 5000;
export const RECOVER_JOB = 'deliveries.recover';
const BUCKET_MS: Record<TimeBucket, number> = { [TimeBucket.MINUTE]: 60_000, [TimeBucket.HOUR]: 3_600_000, [TimeBucket.DAY]: 86_400_000 };

export interface PublishInput {
  eventType: string;
  payload: unknown;
  channels?: string[] | null;
  orderingKey?: string | null;
  idempotencyKey?: string | null;
}

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_PAYLOAD_DEPTH) return depth;
  if (Array.isArray(value)) return value.reduce<number>((max, v) => Math.max(max, depthOf(v, depth + 1)), depth + 1);
  if (value && typeof value === 'object') return Object.values(value).reduce<number>((max, v) => Math.max(max, depthOf(v, depth + 1)), depth + 1);
  return depth;
}

@Injectable()
export class DeliveriesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly fanout: FanoutService,
    private readonly endpoints: EndpointsService,
    private readonly eventTypes: EventTypesService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly trackedJobs: TrackedJobsService,
    private readonly queue: DeliveryQueue,
    private readonly notifier: DeliveryNotifier,
  ) {}

  onModuleInit(): void {
    this.trackedJobs.registerHandler(RECOVER_JOB, (ctx) => this.runRecover(ctx.job, ctx.progress));
  }

  // ------------------------------------------------------------------ publish

  /** Validates an event as a user publishes it: a known, current, non-operational type whose schema the payload meets. */
  private async toNewEvent(tenantId: string, input: PublishInput, field = 'input'): Promise<NewEvent> {
    await this.eventTypes.requirePublishable(tenantId, input.eventType, field);
    if (!input.payload || typeof input.payload !== 'object' || Array.isArray(input.payload)) throw new BadUserInputError(`${field}.payload`, 'must be a JSON object');
    const size = Buffer.byteLength(JSON.stringify(input.payload));
    if (size > MAX_PAYLOAD_BYTES) throw new BadUserInputError(`${field}.payload`, `is ${size} bytes; the limit is ${MAX_PAYLOAD_BYTES}`);
    if (depthOf(input.payload) > MAX_PAYLOAD_DEPTH) throw new BadUserInputError(`${field}.payload`, `is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`);
    await this.eventTypes.validatePayload(tenantId, input.eventType, input.payload);
    const channels = [...new Set(input.channels ?? [])];
    return { eventType: input.eventType, payload: input.payload as Record<string, unknown>, channels, orderingKey: input.orderingKey ?? null, idempotencyKey: input.idempotencyKey ?? null };
  }

  async publish(principal: Principal, input: PublishInput, headerKey?: string): Promise<EventEntity> {
    const key = input.idempotencyKey ?? headerKey ?? null;
    this.idempotency.validateKey(key);
    const event = await this.toNewEvent(principal.tenantId, { ...input, idempotencyKey: key });
    if (key === null) {
      // No transaction needed: fan-out reads, then stores the event and its deliveries in one atomic statement.
      const result = await this.fanout.store(this.dataSource.manager, principal.tenantId, [event]);
      await this.fanout.dispatch(result.deliveries);
      return result.events[0];
    }
    let deliveries: DeliveryEntity[] = [];
    const stored = await this.idempotency.run({
      tenantId: principal.tenantId,
      operation: 'publishEvent',
      key,
      input: { ...event, idempotencyKey: undefined },
      work: async (manager) => {
        const result = await this.fanout.store(manager, principal.tenantId, [event]);
        deliveries = result.deliveries;
        return { result: result.events[0], ref: { eventId: result.events[0].id } };
      },
      replay: async (ref) => this.findEvent(principal.tenantId, String(ref.eventId)),
    });
    await this.fanout.dispatch(deliveries);
    return stored;
  }

  /** Up to 100 events in one transaction. Items with an idempotency key already used return their first event. */
  async publishMany(principal: Principal, inputs: PublishInput[]): Promise<EventEntity[]> {
    if (inputs.length === 0 || inputs.length > MAX_BATCH) throw new BadUserInputError('inputs', `must hold 1 to ${MAX_BATCH} events`);
    const events: NewEvent[] = [];
    for (const [i, input] of inputs.entries()) {
      this.idempotency.validateKey(input.idempotencyKey, `inputs[${i}].idempotencyKey`);
      events.push(await this.toNewEvent(principal.tenantId, input, `inputs[${i}]`));
    }
    const keys = events.map((e) => e.idempotencyKey).filter((k): k is string => !!k);
    if (new Set(keys).size !== keys.length) throw new BadUserInputError('inputs', 'an idempotency key appears twice in one batch');

    const { stored, deliveries } = await this.dataSource.transaction(async (manager) => {
      const previous = await this.idempotency.findCompletedInBatch(manager, principal.tenantId, 'publishEvent', events.map((e) => (e.idempotencyKey ? { key: e.idempotencyKey, input: { ...e, idempotencyKey: undefined } } : null)));
      const fresh = events.filter((_, i) => !previous[i]);
      const result = fresh.length > 0 ? await this.fanout.store(manager, principal.tenantId, fresh) : { events: [], deliveries: [] };
      await this.idempotency.recordInBatch(manager, principal.tenantId, 'publishEvent', result.events.filter((e) => e.idempotencyKey).map((e) => ({ key: e.idempotencyKey as string, input: { ...fresh[result.events.indexOf(e)], idempotencyKey: undefined }, ref: { eventId: e.id } })));
      const reused = previous.filter((p): p is { eventId: string } => !!p).map((p) => p.eventId);
      const reusedEvents = reused.length > 0 ? await manager.findBy(EventEntity, { tenantId: principal.tenantId, id: In(reused) }) : [];
      let freshIndex = 0;
      const ordered = events.map((_, i) => (previous[i] ? (reusedEvents.find((e) => e.id === previous[i]?.eventId) as EventEntity) : result.events[freshIndex++]));
      return { stored: ordered, deliveries: result.deliveries };
    });
    await this.fanout.dispatch(deliveries);
    return stored;
  }

  async sendTestDelivery(principal: Principal, endpointId: string, eventType?: string | null): Promise<DeliveryEntity> {
    const endpoint = await this.endpoints.find(principal.tenantId, endpointId);
    const typeName = eventType ?? TEST_EVENT_TYPE;
    const type = await this.eventTypes.find(principal.tenantId, typeName);
    if (!type) throw new UnknownEventTypeError(typeName);
    const { deliveries } = await this.dataSource.transaction((m) =>
      this.fanout.store(m, principal.tenantId, [{ eventType: type.name, payload: type.samplePayload, channels: [], orderingKey: null, idempotencyKey: null }], { onlyEndpointId: endpoint.id, isTest: true }),
    );
    if (deliveries.length === 0) throw new UnprocessableError(`endpoint ${endpoint.id} filters out "${type.name}" events`);
    await this.fanout.dispatch(deliveries);
    await this.audit.record(principal, 'delivery.test_sent', { type: 'endpoint', id: endpoint.id }, { eventType: type.name, deliveryId: deliveries[0].id });
    return deliveries[0];
  }

  // ------------------------------------------------------------------ replay, recover, purge, release

  async replay(principal: Principal, id: string): Promise<DeliveryEntity> {
    const original = await this.findDelivery(principal.tenantId, id);
    if (!FINAL_STATUSES.includes(original.status) || original.status === DeliveryStatus.SUCCEEDED) {
      throw new UnprocessableError(`only FAILED or DEAD_LETTER deliveries can be replayed; this one is ${original.status}`, { status: original.status });
    }
    const copy = await this.createReplay(original);
    await this.audit.record(principal, 'delivery.replayed', { type: 'delivery', id: original.id }, { replayId: copy.id });
    return copy;
  }

  private async createReplay(original: DeliveryEntity): Promise<DeliveryEntity> {
    const endpoint = await this.endpoints.find(original.tenantId, original.endpointId);
    const now = new Date();
    const copy = this.dataSource.getRepository(DeliveryEntity).create({
      ...original,
      id: randomUUID(),
      seq: undefined,
      status: endpoint.isActive ? DeliveryStatus.PENDING : DeliveryStatus.HELD,
      attemptCount: 0,
      nextAttemptAt: endpoint.isActive ? now : null,
      lastResponseStatus: null,
      lastResponseTimeMs: null,
      lastError: null,
      replayOfId: original.id,
      createdAt: now,
      updatedAt: now,
    });
    const saved = await this.dataSource.getRepository(DeliveryEntity).save(copy);
    await this.fanout.dispatch([saved]);
    return saved;
  }

  async startRecover(principal: Principal, endpointId: string, since: Date): Promise<TrackedJobEntity> {
    await this.endpoints.find(principal.tenantId, endpointId);
    const job = await this.trackedJobs.start(principal.tenantId, RECOVER_JOB, { endpointId, since: since.toISOString() });
    await this.audit.record(principal, 'deliveries.recover_started', { type: 'endpoint', id: endpointId }, { since: since.toISOString(), trackedJobId: job.id });
    return job;
  }

  /** Replays every FAILED/DEAD_LETTER delivery of the endpoint since the time that has not been replayed yet (safe to rerun). */
  private async runRecover(job: TrackedJobEntity, progress: (done: number, total?: number) => Promise<void>): Promise<Record<string, unknown>> {
    const endpointId = String(job.params.endpointId);
    const since = new Date(String(job.params.since));
    const repo = this.dataSource.getRepository(DeliveryEntity);
    const candidates = () =>
      repo
        .createQueryBuilder('d')
        .where('d.tenant_id = :tenantId AND d.endpoint_id = :endpointId AND d.created_at >= :since', { tenantId: job.tenantId, endpointId, since })
        .andWhere('d.status IN (:...statuses)', { statuses: [DeliveryStatus.FAILED, DeliveryStatus.DEAD_LETTER] })
        .andWhere('NOT EXISTS (SELECT 1 FROM deliveries r WHERE r.replay_of_id = d.id)');
    const total = await candidates().getCount();
    await progress(0, total);
    let done = 0;
    for (;;) {
      const batch = await candidates().orderBy('d.seq', 'ASC').take(50).getMany();
      if (batch.length === 0) break;
      for (const d of batch) {
        await this.createReplay(d);
        done += 1;
      }
      await progress(done, Math.max(total, done));
    }
    return { replayed: done };
  }

  async purge(principal: Principal, endpointId: string): Promise<number> {
    await this.endpoints.find(principal.tenantId, endpointId);
    const result = await this.dataSource.getRepository(DeliveryEntity).delete({ tenantId: principal.tenantId, endpointId, status: In(FINAL_STATUSES) });
    const count = result.affected ?? 0;
    await this.audit.record(principal, 'deliveries.purged', { type: 'endpoint', id: endpointId }, { count });
    return count;
  }

  /** An endpoint enabled again: its HELD deliveries are released in publish order. */
  async releaseHeld(endpoint: EndpointEntity): Promise<number> {
    const rows = await queryReturning(
      this.dataSource,
      `UPDATE deliveries SET status = 'PENDING', next_attempt_at = now(), updated_at = now()
        WHERE endpoint_id = $1 AND tenant_id = $2 AND status = 'HELD' RETURNING *`,
      [endpoint.id, endpoint.tenantId],
    );
    const released = rows.map((r) => ({ id: String(r.id), tenantId: endpoint.tenantId, endpointId: endpoint.id, attemptCount: Number(r.attempt_count), seq: BigInt(String(r.seq)) })).sort((a, b) => (a.seq < b.seq ? -1 : 1));
    await this.queue.enqueueSafely(released);
    return released.length;
  }

  // ------------------------------------------------------------------ reads

  async findEvent(tenantId: string, id: string): Promise<EventEntity> {
    const event = isUuid(id) ? await this.dataSource.getRepository(EventEntity).findOneBy({ tenantId, id }) : null;
    if (!event) throw new NotFoundError('Event', id);
    return event;
  }

  async findDelivery(tenantId: string, id: string): Promise<DeliveryEntity> {
    const delivery = isUuid(id) ? await this.dataSource.getRepository(DeliveryEntity).findOneBy({ tenantId, id }) : null;
    if (!delivery) throw new NotFoundError('Delivery', id);
    return delivery;
  }

  async listEvents(tenantId: string, filter: EventFilter | null | undefined, page: { first?: number | null; after?: string | null }): Promise<Page<EventEntity>> {
    const qb = this.dataSource.getRepository(EventEntity).createQueryBuilder('e').where('e.tenant_id = :tenantId', { tenantId });
    if (filter?.eventType) qb.andWhere('e.event_type = :eventType', { eventType: filter.eventType });
    if (filter?.channel) qb.andWhere(':channel = ANY(e.channels)', { channel: filter.channel });
    if (filter?.after) qb.andWhere('e.created_at > :afterTime', { afterTime: filter.after });
    if (filter?.before) qb.andWhere('e.created_at < :beforeTime', { beforeTime: filter.before });
    return paginate(qb, 'e', page, (e) => e);
  }

  async listDeliveries(tenantId: string, filter: DeliveryFilter | null | undefined, page: { first?: number | null; after?: string | null }): Promise<Page<DeliveryEntity>> {
    const qb = this.dataSource.getRepository(DeliveryEntity).createQueryBuilder('d').where('d.tenant_id = :tenantId', { tenantId });
    if (filter?.endpointId) {
      if (!isUuid(filter.endpointId)) throw new BadUserInputError('filter.endpointId', 'must be an ID');
      qb.andWhere('d.endpoint_id = :endpointId', { endpointId: filter.endpointId });
    }
    if (filter?.eventId) {
      if (!isUuid(filter.eventId)) throw new BadUserInputError('filter.eventId', 'must be an ID');
      qb.andWhere('d.event_id = :eventId', { eventId: filter.eventId });
    }
    if (filter?.status?.length) qb.andWhere('d.status IN (:...statuses)', { statuses: filter.status });
    if (filter?.eventType) qb.andWhere('d.event_type = :eventType', { eventType: filter.eventType });
    if (filter?.after) qb.andWhere('d.created_at > :afterTime', { afterTime: filter.after });
    if (filter?.before) qb.andWhere('d.created_at < :beforeTime', { beforeTime: filter.before });
    return paginate(qb, 'd', page, (d) => d);
  }

  /** Endpoint.attempts batched (DataLoader): the attempts of many deliveries of one tenant in one query. */
  async attemptsByDelivery(tenantId: string, deliveryIds: readonly string[]): Promise<Map<string, DeliveryAttemptEntity[]>> {
    const ids = deliveryIds.filter(isUuid);
    const rows = ids.length ? await this.dataSource.getRepository(DeliveryAttemptEntity).find({ where: { tenantId, deliveryId: In(ids) }, order: { attemptNumber: 'ASC', startedAt: 'ASC' } }) : [];
    const byDelivery = new Map<string, DeliveryAttemptEntity[]>(deliveryIds.map((id) => [id, []]));
    for (const row of rows) byDelivery.get(row.deliveryId)?.push(row);
    return byDelivery;
  }

  /**
   * Endpoint.stats batched (DataLoader): the stats of many endpoints of one tenant in one statement. The endpoints
   * were loaded for the caller already, so unlike stats() there is no existence check; unknown ids get zeros.
   */
  async statsByEndpoint(tenantId: string, endpointIds: readonly string[], since?: Date | null, until?: Date | null): Promise<Map<string, DeliveryStats>> {
    const ids = endpointIds.filter(isUuid);
    const params: unknown[] = [tenantId, ids];
    const sinceRef = since ? `$${params.push(since)}` : null;
    const untilRef = until ? `$${params.push(until)}` : null;
    const window = (alias: string, time: string) => `${sinceRef ? `AND ${alias}.${time} >= ${sinceRef}` : ''} ${untilRef ? `AND ${alias}.${time} < ${untilRef}` : ''}`;
    const rows: { endpoint_id: string; total: number; succeeded: number; failed: number; pending: number; held: number; avg: number | null; p95: number | null }[] = ids.length
      ? await this.dataSource.query(
          `WITH c AS (
             SELECT d.endpoint_id, count(*)::int AS total,
                    count(*) FILTER (WHERE status = 'SUCCEEDED')::int AS succeeded,
                    count(*) FILTER (WHERE status IN ('FAILED','DEAD_LETTER'))::int AS failed,
                    count(*) FILTER (WHERE status IN ('PENDING','IN_FLIGHT','RETRYING'))::int AS pending,
                    count(*) FILTER (WHERE status = 'HELD')::int AS held
               FROM deliveries d WHERE d.tenant_id = $1 AND d.endpoint_id = ANY($2::uuid[]) ${window('d', 'created_at')}
              GROUP BY d.endpoint_id),
           t AS (
             SELECT a.endpoint_id, avg(response_time_ms)::float AS avg, percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms)::float AS p95
               FROM delivery_attempts a WHERE a.tenant_id = $1 AND a.endpoint_id = ANY($2::uuid[]) AND response_time_ms IS NOT NULL ${window('a', 'started_at')}
              GROUP BY a.endpoint_id)
           SELECT coalesce(c.endpoint_id, t.endpoint_id) AS endpoint_id, coalesce(c.total, 0) AS total, coalesce(c.succeeded, 0) AS succeeded,
                  coalesce(c.failed, 0) AS failed, coalesce(c.pending, 0) AS pending, coalesce(c.held, 0) AS held, t.avg, t.p95
             FROM c FULL JOIN t ON t.endpoint_id = c.endpoint_id`,
          params,
        )
      : [];
    const found = new Map(rows.map((r) => [r.endpoint_id, r]));
    return new Map(
      endpointIds.map((id) => {
        const r = found.get(id) ?? { total: 0, succeeded: 0, failed: 0, pending: 0, held: 0, avg: null, p95: null };
        const decided = r.succeeded + r.failed;
        const stats = { total: r.total, succeeded: r.succeeded, failed: r.failed, pending: r.pending, held: r.held };
        return [id, { ...stats, successRate: decided === 0 ? null : r.succeeded / decided, avgResponseTimeMs: r.avg, p95ResponseTimeMs: r.p95 }];
      }),
    );
  }

  /** Counts and response times in SQL (never by loading rows). */
  async stats(tenantId: string, endpointId: string | null | undefined, since?: Date | null, until?: Date | null): Promise<DeliveryStats> {
    if (endpointId) await this.endpoints.find(tenantId, endpointId);
    const where = (alias: string, time: string) => {
      const parts = [`${alias}.tenant_id = $1`];
      const params: unknown[] = [tenantId];
      if (endpointId) parts.push(`${alias}.endpoint_id = $${params.push(endpointId)}`);
      if (since) parts.push(`${alias}.${time} >= $${params.push(since)}`);
      if (until) parts.push(`${alias}.${time} < $${params.push(until)}`);
      return { sql: parts.join(' AND '), params };
    };
    const d = where('d', 'created_at');
    const [counts] = await this.dataSource.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE status = 'SUCCEEDED')::int AS succeeded,
              count(*) FILTER (WHERE status IN ('FAILED','DEAD_LETTER'))::int AS failed,
              count(*) FILTER (WHERE status IN ('PENDING','IN_FLIGHT','RETRYING'))::int AS pending,
              count(*) FILTER (WHERE status = 'HELD')::int AS held
         FROM deliveries d WHERE ${d.sql}`,
      d.params,
    );
    const a = where('a', 'started_at');
    const [times] = await this.dataSource.query(
      `SELECT avg(response_time_ms)::float AS avg, percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms)::float AS p95
         FROM delivery_attempts a WHERE ${a.sql} AND response_time_ms IS NOT NULL`,
      a.params,
    );
    const decided = counts.succeeded + counts.failed;
    return { ...counts, successRate: decided === 0 ? null : counts.succeeded / decided, avgResponseTimeMs: times.avg, p95ResponseTimeMs: times.p95 };
  }

  async responseTimeSeries(tenantId: string, endpointId: string | null | undefined, from: Date, to: Date, bucket: TimeBucket = TimeBucket.HOUR): Promise<ResponseTimePoint[]> {
    if (!(from < to)) throw new BadUserInputError('to', 'must be after from');
    if ((to.getTime() - from.getTime()) / BUCKET_MS[bucket] > MAX_SERIES_POINTS) throw new BadUserInputError('bucket', `the range holds more than ${MAX_SERIES_POINTS} buckets; use a larger bucket`);
    if (endpointId) await this.endpoints.find(tenantId, endpointId);
    const params: unknown[] = [bucket, tenantId, from, to];
    const endpointClause = endpointId ? `AND endpoint_id = $${params.push(endpointId)}` : '';
    const rows: { bucket_start: Date; attempts: number; success_count: number; failure_count: number; avg: number | null; p95: number | null }[] = await this.dataSource.query(
      `SELECT date_trunc($1, started_at) AS bucket_start, count(*)::int AS attempts,
              count(*) FILTER (WHERE success)::int AS success_count, count(*) FILTER (WHERE NOT success)::int AS failure_count,
              avg(response_time_ms)::float AS avg, percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms)::float AS p95
         FROM delivery_attempts
        WHERE tenant_id = $2 AND started_at >= $3 AND started_at < $4 ${endpointClause}
        GROUP BY 1 ORDER BY 1`,
      params,
    );
    return rows.map((r) => ({ bucketStart: r.bucket_start, attempts: r.attempts, successCount: r.success_count, failureCount: r.failure_count, avgResponseTimeMs: r.avg, p95ResponseTimeMs: r.p95 }));
  }

  async assertEndpoint(tenantId: string, endpointId: string): Promise<void> {
    await this.endpoints.find(tenantId, endpointId);
  }

  /** Used by the delivery subscription filter and by tests. */
  static matches(delivery: { endpointId: string; eventId: string }, args: { endpointId?: string | null; eventId?: string | null }): boolean {
    return (!args.endpointId || delivery.endpointId === args.endpointId) && (!args.eventId || delivery.eventId === args.eventId);
  }
}

