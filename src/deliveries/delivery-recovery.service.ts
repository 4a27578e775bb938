import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { ALL_CHANNELS, ChannelScope, channelScope, Principal } from '../auth/principal';
import { TrackedJobEntity } from '../tracked-jobs/tracked-job.entity';
import { TrackedJobsService } from '../tracked-jobs/tracked-jobs.service';
import { queryReturning } from '../database/returning';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { EndpointsService } from '../endpoints/endpoints.service';
import { DeliveryNotFoundError, ReplayNotAllowedError } from './deliveries.errors';
import { findDeliveryOf } from './delivery-lookups';
import { DeliveryEntity, DeliveryStatus, FINAL_STATUSES } from './delivery.entity';
import { DeliveryQueue } from './deliveries.queue';
import { FanoutService } from './fanout.service';
import { fromRow } from './delivery-store';

export const RECOVER_JOB = 'deliveries.recover';
/** What replay and recover copy: a delivery that ended without success. */
const REPLAYABLE = [DeliveryStatus.FAILED, DeliveryStatus.DEAD_LETTER];
const RECOVER_BATCH = 50;

type Progress = (done: number, total?: number) => Promise<void>;

/**
 * Deliveries sent again or let go: replay one (a fresh copy), recover an endpoint's failures since a time (a
 * tracked job, safe to rerun), purge an endpoint's final deliveries, release an enabled endpoint's HELD ones.
 */
@Injectable()
export class DeliveryRecovery implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly fanout: FanoutService,
    private readonly endpoints: EndpointsService,
    private readonly audit: AuditService,
    private readonly trackedJobs: TrackedJobsService,
    private readonly queue: DeliveryQueue,
  ) {}

  onModuleInit(): void {
    this.trackedJobs.registerHandler(RECOVER_JOB, (ctx) => this.runRecover(ctx.job, ctx.progress));
  }

  async replay(principal: Principal, id: string): Promise<DeliveryEntity> {
    const original = await findDeliveryOf(this.dataSource.manager, principal.tenantId, id);
    if (!(await this.endpoints.isInScope(principal.tenantId, original.endpointId, channelScope(principal)))) {
      throw new DeliveryNotFoundError(id);
    }
    if (!REPLAYABLE.includes(original.status)) throw new ReplayNotAllowedError(original.status);
    const copy = await this.createReplay(original);
    await this.audit.record(
      principal,
      'delivery.replayed',
      { type: 'delivery', id: original.id },
      { replayId: copy.id },
    );
    return copy;
  }

  async startRecover(principal: Principal, endpointId: string, since: Date): Promise<TrackedJobEntity> {
    await this.endpoints.find(principal.tenantId, endpointId, channelScope(principal));
    const params = { endpointId, since: since.toISOString() };
    const job = await this.trackedJobs.start(principal.tenantId, RECOVER_JOB, params);
    const target = { type: 'endpoint', id: endpointId };
    await this.audit.record(principal, 'deliveries.recover_started', target, {
      since: since.toISOString(),
      trackedJobId: job.id,
    });
    return job;
  }

  async purge(principal: Principal, endpointId: string): Promise<number> {
    await this.endpoints.find(principal.tenantId, endpointId, channelScope(principal));
    const result = await this.dataSource
      .getRepository(DeliveryEntity)
      .delete({ tenantId: principal.tenantId, endpointId, status: In(FINAL_STATUSES) });
    const count = result.affected ?? 0;
    await this.audit.record(principal, 'deliveries.purged', { type: 'endpoint', id: endpointId }, { count });
    return count;
  }

  /** An endpoint enabled again: its HELD deliveries are released in publish order. */
  async releaseHeld(endpoint: EndpointEntity): Promise<number> {
    const rows = await queryReturning(
      this.dataSource,
      `UPDATE deliveries SET status = $3, next_attempt_at = now(), updated_at = now()
        WHERE endpoint_id = $1 AND tenant_id = $2 AND status = $4 RETURNING *`,
      [endpoint.id, endpoint.tenantId, DeliveryStatus.PENDING, DeliveryStatus.HELD],
    );
    const released = rows
      .map((r) => ({
        id: String(r.id),
        tenantId: endpoint.tenantId,
        endpointId: endpoint.id,
        attemptCount: Number(r.attempt_count),
        seq: BigInt(String(r.seq)),
      }))
      .sort((a, b) => (a.seq < b.seq ? -1 : 1));
    await this.queue.enqueueSafely(released);
    return released.length;
  }

  /** What a recover started now would replay: the count, for a preview that changes nothing. */
  async countRecoverable(tenantId: string, endpointId: string, since: Date, channel: ChannelScope): Promise<number> {
    await this.endpoints.find(tenantId, endpointId, channel);
    return this.recoverable(tenantId, endpointId, since).getCount();
  }

  private recoverable(tenantId: string, endpointId: string, since: Date) {
    return this.dataSource
      .getRepository(DeliveryEntity)
      .createQueryBuilder('d')
      .where('d.tenant_id = :tenantId AND d.endpoint_id = :endpointId AND d.created_at >= :since', {
        tenantId,
        endpointId,
        since,
      })
      .andWhere('d.status IN (:...statuses)', { statuses: REPLAYABLE })
      .andWhere('NOT EXISTS (SELECT 1 FROM deliveries r WHERE r.replay_of_id = d.id)');
  }

  /** Replays every FAILED/DEAD_LETTER delivery of the endpoint since the time that has not been replayed yet. */
  private async runRecover(job: TrackedJobEntity, progress: Progress): Promise<Record<string, unknown>> {
    const endpointId = String(job.params.endpointId);
    const since = new Date(String(job.params.since));
    const candidates = () => this.recoverable(job.tenantId, endpointId, since);
    const total = await candidates().getCount();
    await progress(0, total);
    let done = 0;
    for (;;) {
      const batch = await candidates().orderBy('d.seq', 'ASC').take(RECOVER_BATCH).getMany();
      if (batch.length === 0) break;
      for (const d of batch) {
        await this.createReplay(d);
        done += 1;
      }
      await progress(done, Math.max(total, done));
    }
    return { replayed: done };
  }

  /**
   * A fresh copy of the delivery: PENDING, or HELD while its endpoint is disabled. Copied in SQL, so the body
   * keeps the exact text first sent (no round trip through a JavaScript object).
   */
  private async createReplay(original: DeliveryEntity): Promise<DeliveryEntity> {
    // The original was found within the caller's scope already.
    const endpoint = await this.endpoints.find(original.tenantId, original.endpointId, ALL_CHANNELS);
    const [row] = await queryReturning(
      this.dataSource,
      `INSERT INTO deliveries (id, tenant_id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at,
                               ordering_key, is_test, replay_of_id, payload, trace_parent, created_at, updated_at)
       SELECT $1, tenant_id, endpoint_id, event_id, event_type, $4, 0, CASE WHEN $5 THEN now() END,
              ordering_key, is_test, id, payload, trace_parent, now(), now()
         FROM deliveries WHERE id = $2 AND tenant_id = $3
       RETURNING *`,
      [
        randomUUID(),
        original.id,
        original.tenantId,
        endpoint.isActive ? DeliveryStatus.PENDING : DeliveryStatus.HELD,
        endpoint.isActive,
      ],
    );
    if (!row) throw new DeliveryNotFoundError(original.id);
    const saved = fromRow(row);
    await this.fanout.dispatch([saved]);
    return saved;
  }
}
