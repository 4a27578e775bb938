import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryReturning } from '../database/returning';
import { DataSource } from 'typeorm';
import { OutboundHttpClient } from '../common/http/http-client';
import { isUuid } from '../common/ids';
import { MicroBatcher } from '../common/micro-batcher';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EndpointsService } from '../endpoints/endpoints.service';
import { DeliveryStatus } from './delivery.entity';
import { DeliveryEntity } from './delivery.entity';
import { DeliveryNotifier } from './delivery-notifier';
import { AttemptOutcome, decideOutcome } from './delivery-outcome';
import { DeliveryQueue } from './delivery-queue';
import { FanoutService } from './fanout.service';
import { DisableCause } from '../endpoints/endpoint.events';
import { deadLetteredPayload, endpointFailingPayload } from './operational-events';
import { buildSignatureHeaders } from './signing/sign-payload';
import { SlotWork, TenantSlots } from './tenant-slots';

const USER_AGENT = 'Hookline-Webhooks/1.0';
const HEALTHY_CACHE_MS = 5_000;
const MAX_STORED_BODY = 64 * 1024;
/** Attempts whose result is still waiting to be written before new attempts wait for them. */
const MAX_BACKGROUND_RECORDS = 1000;
/**
 * Deliveries queued in memory behind a cap, per tenant and in all (ids: about 150 bytes each). Beyond that a job
 * is dropped: its row stays due and the reconciler queues it again.
 */
const MAX_QUEUED_PER_TENANT = 50_000;
const MAX_QUEUED = 200_000;
/**
 * How long a shutdown waits for results to be written once every attempt has ended. Far beyond a loaded
 * Postgres's lag: only a database that stopped answering gets here, and then its pool cannot be used either.
 */
const SHUTDOWN_RECORDS_MS = 120_000;

interface ClaimedRow {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: DeliveryStatus;
  attempt_count: number;
  payload: Record<string, unknown>;
  ordering_key: string | null;
  seq: string;
  replay_of_id: string | null;
  is_test: boolean;
  created_at: Date;
  url: string;
  headers: Record<string, string> | null;
  rate_limit_per_second: number | null;
  /** Read with the claim, so the attempt signs with the secrets of this moment (a rotation in any process). */
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  previous_secret_expires_at: Date | null;
}

interface AttemptRecord {
  claimed: ClaimedRow;
  startedAt: Date;
  outcome: AttemptOutcome;
  responseTimeMs: number | null;
  responseBody: string | null;
  nextAttemptAt: Date | null;
}


/**
 * Attempts deliveries. Claims and results are written in micro-batches (one statement for many attempts), so
 * Postgres sees a few commits per hundred deliveries; Postgres stays the truth: a claim is a lease
 * (IN_FLIGHT until next_attempt_at), and anything a crash interrupts is found again by the reconciler.
 */
@Injectable()
export class DispatchService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DispatchService.name);
  private readonly slots: TenantSlots;
  /** Jobs holding their queue slot until a worker slot frees (backpressure), by delivery id. */
  private readonly waiting = new Map<string, (granted: boolean) => void>();
  private readonly claimer: MicroBatcher<string, ClaimedRow | null>;
  private readonly writer: MicroBatcher<AttemptRecord, DeliveryEntity | null>;
  /** Attempts holding a slot (claim, rate limit, HTTP), and results waiting to be written, for the shutdown. */
  private readonly attempts = new Set<Promise<void>>();
  private readonly records = new Set<Promise<void>>();
  private recordsPending = 0;
  private readonly knownHealthy = new Map<string, number>();
  private closing = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly http: OutboundHttpClient,
    private readonly endpoints: EndpointsService,
    private readonly queue: DeliveryQueue,
    private readonly notifier: DeliveryNotifier,
    private readonly fanout: FanoutService,
  ) {
    this.slots = new TenantSlots({
      total: config.workerConcurrency,
      perTenant: Math.min(config.tenantConcurrency, config.workerConcurrency),
      perEndpoint: config.endpointConcurrency,
      maxQueuedPerTenant: MAX_QUEUED_PER_TENANT,
      maxQueued: MAX_QUEUED,
    });
    // Claims hold a queue slot, so their window is short; results are recorded off the slot, so theirs can be
    // longer and their batches larger (bench/deliveries.bench.ts measures commits per delivery).
    this.claimer = new MicroBatcher((ids) => this.claimBatch(ids), { maxItems: 200, maxWaitMs: 5 });
    this.writer = new MicroBatcher((records) => this.writeBatch(records), { maxItems: 500, maxWaitMs: 20 });
  }

  /**
   * Takes one queue job. The attempt itself never holds the queue slot: it starts at once when the worker, its
   * tenant and its endpoint have a free slot, and runs in the background, so a black-hole endpoint holding attempts
   * until DELIVERY_TIMEOUT_MS cannot keep the next tenant's job in the queue. Over its tenant's or endpoint's cap the
   * job is parked in memory (no queue slot held); when only the worker is full, the job keeps its queue slot
   * until a slot frees, which is what stops the worker from reading the whole queue into memory.
   */
  async handle(deliveryId: string, endpointId: string, tenantId?: string): Promise<void> {
    if (this.closing) return;
    // Jobs queued before they carried a tenant are capped as a tenant of their own endpoint.
    const work: SlotWork = { deliveryId, endpointId, tenantId: tenantId ?? `endpoint:${endpointId}` };
    const admission = this.slots.admit(work);
    if (admission === 'wait') {
      const granted = await new Promise<boolean>((resolve) => this.waiting.set(deliveryId, resolve));
      if (granted) this.startInBackground(work);
    } else if (admission === 'run') {
      this.startInBackground(work);
    }
  }

  /** Starts work that holds its slots; queued work handed on as it ends starts the same way. */
  private startInBackground(work: SlotWork): void {
    const run = this.runHoldingSlot(work).finally(() => this.attempts.delete(run));
    this.attempts.add(run);
  }

  private async runHoldingSlot(work: SlotWork): Promise<void> {
    try {
      await this.attempt(work.deliveryId);
    } catch (error) {
      // The row stays claimed or due: the reconciler retries it. Never let one failure kill the worker.
      this.logger.error({ msg: 'delivery attempt crashed', deliveryId: work.deliveryId, error: error instanceof Error ? error.message : String(error) });
    } finally {
      this.handOn(this.slots.release(work));
    }
  }

  /** Work handed a freed slot: a waiting job resumes, parked work starts (while closing, the slot is freed again). */
  private handOn(next: SlotWork | null): void {
    while (next && this.closing) next = this.slots.release(next);
    if (!next) return;
    const waiter = this.waiting.get(next.deliveryId);
    if (waiter) {
      this.waiting.delete(next.deliveryId);
      waiter(true);
    } else {
      this.startInBackground(next);
    }
  }

  private async attempt(deliveryId: string): Promise<void> {
    const claimed = await this.claimer.submit(deliveryId);
    if (!claimed) return; // final, not due, claimed elsewhere, or waiting behind its ordering lane
    await this.notifier.changed([rowToEntity(claimed)]);
    if (claimed.status === DeliveryStatus.HELD) return; // its endpoint was disabled after the job was queued
    if (!(await this.respectRateLimit(claimed))) {
      await this.unclaim(claimed, 1000);
      return;
    }

    const body = JSON.stringify(claimed.payload);
    const secrets = this.endpoints.secretsOf({
      secretEncrypted: claimed.secret_encrypted,
      previousSecretEncrypted: claimed.previous_secret_encrypted,
      previousSecretExpiresAt: claimed.previous_secret_expires_at,
    });
    const signature = buildSignatureHeaders({ msgId: claimed.event_id, timestamp: Math.floor(Date.now() / 1000), body, secrets });
    const headers = { ...(claimed.headers ?? {}), 'content-type': 'application/json', 'user-agent': USER_AGENT, ...signature };
    const startedAt = new Date();
    const result = await this.http.post(claimed.url, body, headers, { timeoutMs: this.config.deliveryTimeoutMs });
    const outcome = decideOutcome(result, claimed.attempt_count, this.config.retryScheduleMs);
    const nextAttemptAt = outcome.retryInMs !== null ? new Date(Date.now() + outcome.retryInMs) : null;

    const record: AttemptRecord = {
      claimed,
      startedAt,
      outcome,
      responseTimeMs: result.ok ? Math.round(result.durationMs) : null,
      responseBody: result.ok ? result.body.slice(0, MAX_STORED_BODY) : null,
      nextAttemptAt,
    };
    // The queue slot is free as soon as the HTTP exchange is over: recording waits for its batch in the
    // background (the lease still covers the row: a record that never lands becomes a retry, at least once).
    this.recordsPending += 1;
    const recording = this.record(record).finally(() => {
      this.recordsPending -= 1;
      this.records.delete(recording);
    });
    this.records.add(recording);
    if (this.recordsPending > MAX_BACKGROUND_RECORDS) await recording; // backpressure when Postgres lags
  }

  private async record(record: AttemptRecord): Promise<void> {
    const { claimed, outcome, startedAt } = record;
    try {
      const updated = await this.writer.submit(record);
      if (!updated) return; // the reconciler reclaimed it meanwhile; its own attempt will report

      await this.notifier.changed([updated]);
      if (outcome.status === DeliveryStatus.RETRYING) {
        await this.queue.enqueueSafely([{ id: updated.id, tenantId: updated.tenantId, endpointId: updated.endpointId, attemptCount: updated.attemptCount }], outcome.retryInMs ?? 0);
      } else if (updated.orderingKey) {
        await this.releaseLane(updated);
      }
      await this.updateHealth(claimed, outcome, startedAt);
      if (outcome.status === DeliveryStatus.DEAD_LETTER && !isOperational(claimed.event_type)) {
        const payload = deadLetteredPayload({ deliveryId: claimed.id, endpointId: claimed.endpoint_id, url: claimed.url, eventId: claimed.event_id, eventType: claimed.event_type, attempts: claimed.attempt_count, lastError: outcome.error, lastResponseStatus: outcome.responseStatus });
        await this.fanout.publishOperational(claimed.tenant_id, 'delivery.dead_lettered', payload, claimed.endpoint_id);
      }
    } catch (error) {
      // The row stays IN_FLIGHT until its lease ends; the reconciler then retries it.
      this.logger.error({ msg: 'recording a delivery attempt failed', deliveryId: claimed.id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  private async updateHealth(claimed: ClaimedRow, outcome: AttemptOutcome, at: Date): Promise<void> {
    const endpointId = claimed.endpoint_id;
    if (outcome.status === DeliveryStatus.SUCCEEDED) {
      const seen = this.knownHealthy.get(endpointId);
      if (seen && Date.now() - seen < HEALTHY_CACHE_MS) return; // saves a write per delivery on the hot path
      await this.endpoints.recordSuccess(endpointId, at);
      this.knownHealthy.set(endpointId, Date.now());
      return;
    }
    this.knownHealthy.delete(endpointId);
    if (outcome.gone) {
      await this.endpoints.disable(endpointId, 'endpoint answered 410 Gone', DisableCause.GONE, outcome.error); // announces endpoint.disabled
      return;
    }
    // A transition to disabled is announced (endpoint.disabled) by the endpoints module's domain event.
    const { endpoint, transition } = await this.endpoints.recordFailure(endpointId, at, outcome.error);
    if (transition === 'failing') {
      await this.fanout.publishOperational(claimed.tenant_id, 'endpoint.failing', endpointFailingPayload(endpoint, outcome.error, at), endpointId);
    }
  }

  /** A final delivery unblocks the next one of its ordering lane. */
  private async releaseLane(done: DeliveryEntity): Promise<void> {
    const next: { id: string; attempt_count: number }[] = await this.dataSource.query(
      `SELECT id, attempt_count FROM deliveries
        WHERE endpoint_id = $1 AND ordering_key = $2 AND status IN ('PENDING','RETRYING')
        ORDER BY seq LIMIT 1`,
      [done.endpointId, done.orderingKey],
    );
    await this.queue.enqueueSafely(next.map((n) => ({ id: n.id, tenantId: done.tenantId, endpointId: done.endpointId, attemptCount: n.attempt_count })));
  }

  /**
   * Fixed one-second windows in Redis, shared by every worker process. Waits for a free window, but never for
   * longer than half the lease: false means "give the delivery back and try again later".
   */
  private async respectRateLimit(claimed: ClaimedRow): Promise<boolean> {
    const limit = claimed.rate_limit_per_second;
    if (!limit) return true;
    const giveUpAt = Date.now() + this.config.leaseGraceMs / 2;
    for (;;) {
      if (this.closing) return false; // shutting down: released, not waited for
      const second = Math.floor(Date.now() / 1000);
      const key = `${this.config.queuePrefix}:ratelimit:${claimed.endpoint_id}:${second}`;
      const [[, count]] = (await this.queue.redis.multi().incr(key).pexpire(key, 2000).exec()) as [[Error | null, number], unknown];
      if (count <= limit) return true;
      const nextWindow = (second + 1) * 1000 + 1;
      if (nextWindow > giveUpAt) return false;
      await new Promise((r) => setTimeout(r, nextWindow - Date.now()));
    }
  }

  /** Hands a claimed delivery back, as if never attempted, to be tried again after `delayMs`. */
  private async unclaim(claimed: ClaimedRow, delayMs: number): Promise<void> {
    const rows = await queryReturning(
      this.dataSource,
      `UPDATE deliveries SET status = CASE WHEN attempt_count > 1 THEN 'RETRYING' ELSE 'PENDING' END, attempt_count = attempt_count - 1,
              next_attempt_at = now() + make_interval(secs => $2), updated_at = now()
        WHERE id = $1 AND status = 'IN_FLIGHT' AND attempt_count = $3 RETURNING *`,
      [claimed.id, delayMs / 1000, claimed.attempt_count],
    );
    const back = rows.map(fromRow);
    await this.notifier.changed(back);
    await this.queue.enqueueSafely(back.map((d) => ({ id: d.id, tenantId: d.tenantId, endpointId: d.endpointId, attemptCount: d.attemptCount })), delayMs, true);
  }

  private async claimBatch(requested: string[]): Promise<(ClaimedRow | null)[]> {
    const ids = requested.filter(isUuid); // one malformed job must not fail the whole batch
    if (ids.length === 0) return requested.map(() => null);
    const leaseSeconds = (this.config.deliveryTimeoutMs + this.config.leaseGraceMs) / 1000;
    const rows = await queryReturning<ClaimedRow>(
      this.dataSource,
      `UPDATE deliveries d SET
          status = CASE WHEN e.is_active THEN 'IN_FLIGHT' ELSE 'HELD' END,
          attempt_count = d.attempt_count + CASE WHEN e.is_active THEN 1 ELSE 0 END,
          next_attempt_at = CASE WHEN e.is_active THEN now() + make_interval(secs => $2) ELSE NULL END,
          updated_at = now()
        FROM endpoints e
        WHERE d.id = ANY($1::uuid[]) AND e.id = d.endpoint_id
          AND d.status IN ('PENDING','RETRYING')
          AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= now() + interval '1 second')
          AND (d.ordering_key IS NULL OR NOT EXISTS (
                SELECT 1 FROM deliveries p
                 WHERE p.endpoint_id = d.endpoint_id AND p.ordering_key = d.ordering_key AND p.seq < d.seq
                   AND p.status NOT IN ('SUCCEEDED','FAILED','DEAD_LETTER')))
        RETURNING d.id, d.tenant_id, d.endpoint_id, d.event_id, d.event_type, d.status, d.attempt_count, d.payload,
                  d.ordering_key, d.seq, d.replay_of_id, d.is_test, d.created_at, e.url, e.headers, e.rate_limit_per_second,
                  e.secret_encrypted, e.previous_secret_encrypted, e.previous_secret_expires_at`,
      [ids, leaseSeconds],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return requested.map((id) => byId.get(id) ?? null);
  }

  /** One statement: insert the attempts and move each delivery out of IN_FLIGHT. */
  private async writeBatch(records: AttemptRecord[]): Promise<(DeliveryEntity | null)[]> {
    const col = <T>(f: (r: AttemptRecord) => T): T[] => records.map(f);
    const rows = await queryReturning(
      this.dataSource,
      `WITH attempts AS (
         INSERT INTO delivery_attempts (delivery_id, tenant_id, endpoint_id, attempt_number, started_at, response_status, response_time_ms, response_body, error, success)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::int[], $5::timestamptz[], $6::int[], $7::int[], $8::text[], $9::text[], $10::bool[])
       )
       UPDATE deliveries d SET status = v.status, next_attempt_at = v.next_attempt_at, last_response_status = v.response_status,
              last_response_time_ms = v.response_time_ms, last_error = v.error, updated_at = now()
         FROM unnest($1::uuid[], $11::text[], $12::timestamptz[], $6::int[], $7::int[], $9::text[], $4::int[])
              AS v(id, status, next_attempt_at, response_status, response_time_ms, error, attempt_number)
        WHERE d.id = v.id AND d.status = 'IN_FLIGHT' AND d.attempt_count = v.attempt_number
        RETURNING d.*`,
      [
        col((r) => r.claimed.id),
        col((r) => r.claimed.tenant_id),
        col((r) => r.claimed.endpoint_id),
        col((r) => r.claimed.attempt_count),
        col((r) => r.startedAt),
        col((r) => r.outcome.responseStatus),
        col((r) => r.responseTimeMs),
        col((r) => r.responseBody),
        col((r) => r.outcome.error),
        col((r) => r.outcome.status === DeliveryStatus.SUCCEEDED),
        col((r) => r.outcome.status),
        col((r) => r.nextAttemptAt),
      ],
    );
    const byId = new Map(rows.map((r) => [String(r.id), fromRow(r)]));
    return records.map((r) => byId.get(r.claimed.id) ?? null);
  }

  /**
   * Step one of a worker's shutdown (onModuleDestroy, before every beforeApplicationShutdown): take no more work.
   * Queued work never started keeps its due row in Postgres; jobs waiting for a slot end without running.
   */
  stopClaiming(): void {
    this.closing = true;
    this.slots.drain();
    for (const resolve of this.waiting.values()) resolve(false);
    this.waiting.clear();
  }

  /**
   * Steps two and three, before the database closes (TypeORM closes its pool in onApplicationShutdown, a phase
   * that starts only when every beforeApplicationShutdown has returned): the attempts in flight finish (their HTTP
   * exchange is bounded by DELIVERY_TIMEOUT_MS) or are released (a rate-limit wait gives the delivery back), then
   * the result writer is flushed and every result waited for, however long a loaded Postgres takes. A result
   * written after the pool closed would be lost, and the reconciler would send that delivery a second time.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopClaiming();
    const attemptsEnded = await this.settle(this.attempts, Date.now() + this.config.deliveryTimeoutMs + this.config.leaseGraceMs);
    const recordsEnded = await this.settle(this.records, Date.now() + SHUTDOWN_RECORDS_MS);
    const log = { msg: 'dispatch stopped', unfinishedAttempts: this.attempts.size, unrecorded: this.records.size };
    if (attemptsEnded && recordsEnded) this.logger.log(log);
    else this.logger.warn({ ...log, detail: 'left to their lease: the reconciler retries them' });
  }

  /** Waits for every promise of the set (including those added meanwhile), flushing the batchers as it goes. */
  private async settle(running: Set<Promise<void>>, deadline: number): Promise<boolean> {
    while (running.size > 0) {
      if (Date.now() >= deadline) return false;
      this.claimer.flush();
      this.writer.flush();
      await Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, 100))]);
    }
    return true;
  }
}

function isOperational(eventType: string): boolean {
  return eventType === 'endpoint.failing' || eventType === 'endpoint.disabled' || eventType === 'delivery.dead_lettered';
}

function rowToEntity(r: ClaimedRow): DeliveryEntity {
  return {
    id: r.id,
    seq: r.seq,
    tenantId: r.tenant_id,
    endpointId: r.endpoint_id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    attemptCount: r.attempt_count,
    nextAttemptAt: null,
    lastResponseStatus: null,
    lastResponseTimeMs: null,
    lastError: null,
    replayOfId: r.replay_of_id,
    isTest: r.is_test,
    orderingKey: r.ordering_key,
    payload: r.payload,
    createdAt: r.created_at,
    updatedAt: new Date(),
  };
}

/** Raw `RETURNING d.*` row (snake_case) to the entity shape. */
export function fromRow(r: Record<string, unknown>): DeliveryEntity {
  return {
    id: String(r.id),
    seq: String(r.seq),
    tenantId: String(r.tenant_id),
    endpointId: String(r.endpoint_id),
    eventId: String(r.event_id),
    eventType: String(r.event_type),
    status: r.status as DeliveryStatus,
    attemptCount: Number(r.attempt_count),
    nextAttemptAt: (r.next_attempt_at as Date | null) ?? null,
    lastResponseStatus: (r.last_response_status as number | null) ?? null,
    lastResponseTimeMs: (r.last_response_time_ms as number | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    replayOfId: (r.replay_of_id as string | null) ?? null,
    isTest: Boolean(r.is_test),
    orderingKey: (r.ordering_key as string | null) ?? null,
    payload: r.payload as Record<string, unknown>,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}
