import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { AttemptDeliveriesJob } from '../common/queue/queue.constants';
import { RateLimiter } from '../common/queue/rate-limiter';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DeliveryStatus } from './delivery.entity';
import { DeliveryNotifier } from './delivery-notifier';
import { claimedToEntity, ClaimedRow, DeliveryStore } from './delivery-store';
import { AttemptRecorder } from './attempt-recorder';
import { AttemptRunner } from './attempt-runner';
import { SlotWork, TenantSlots } from './tenant-slots';

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

/**
 * Runs the deliveries the queue hands this worker: admits each under the worker's, its tenant's and its endpoint's
 * slots (TenantSlots), claims it (DeliveryStore), respects its rate limit (RateLimiter), attempts it
 * (AttemptRunner), hands the result to AttemptRecorder (written, retry or lane queued, AttemptRecorded emitted),
 * and on shutdown drains all of that in order.
 */
@Injectable()
export class DispatchService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DispatchService.name);
  private readonly slots: TenantSlots;
  /** Jobs holding their queue slot until a worker slot frees (backpressure), by delivery id. */
  private readonly waiting = new Map<string, (granted: boolean) => void>();
  /** Attempts holding a slot (claim, rate limit, HTTP), and results waiting to be written, for the shutdown. */
  private readonly attempts = new Set<Promise<void>>();
  private readonly records = new Set<Promise<void>>();
  private closing = false;
  /** Results written during the shutdown that found their delivery handed back (see record). */
  private supersededWhileStopping = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: DeliveryStore,
    private readonly runner: AttemptRunner,
    private readonly rateLimiter: RateLimiter,
    private readonly recorder: AttemptRecorder,
    private readonly notifier: DeliveryNotifier,
  ) {
    this.slots = new TenantSlots({
      total: config.workerConcurrency,
      perTenant: Math.min(config.tenantConcurrency, config.workerConcurrency),
      perEndpoint: config.endpointConcurrency,
      maxQueuedPerTenant: MAX_QUEUED_PER_TENANT,
      maxQueued: MAX_QUEUED,
    });
  }

  /**
   * Takes one queue job. The attempt itself never holds the queue slot: it starts at once when the worker, its
   * tenant and its endpoint have a free slot, and runs in the background, so a black-hole endpoint holding attempts
   * until DELIVERY_TIMEOUT_MS cannot keep the next tenant's job in the queue. Over its tenant's or endpoint's cap the
   * job is parked in memory (no queue slot held); when only the worker is full, the job keeps its queue slot
   * until a slot frees, which is what stops the worker from reading the whole queue into memory.
   */
  /**
   * Takes one batch job: its deliveries are admitted one after the other, exactly as single jobs would be, so the
   * per-endpoint and per-tenant caps, rate limits and ordering lanes mean what they did. The job holds its queue
   * slot only while one of them waits for a worker slot.
   */
  async handleBatch(job: AttemptDeliveriesJob): Promise<void> {
    if (!Array.isArray(job.deliveryIds)) return; // a malformed job: its rows stay due and are found again
    for (const deliveryId of job.deliveryIds) {
      if (this.closing) return;
      await this.handle(String(deliveryId), job.endpointId, job.tenantId);
    }
  }

  /**
   * Whether this worker already holds the delivery, waiting for a slot under its tenant's, endpoint's or its own
   * cap. Its row is overdue in Postgres (nothing changed it) but its job is not lost: the reconciler leaves it.
   */
  holds(deliveryId: string): boolean {
    return this.slots.isQueued(deliveryId);
  }

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
      this.logger.error({
        msg: 'delivery attempt crashed',
        deliveryId: work.deliveryId,
        error: error instanceof Error ? error.message : String(error),
      });
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
    const claimed = await this.store.claim(deliveryId);
    if (!claimed) return;
    if (this.closing && claimed.status !== DeliveryStatus.HELD) {
      await this.recorder.giveBack(claimed, 0); // claimed as the shutdown began (its batch was on its way): released unsent
      return;
    }
    // Not awaited: the push waits up to the notifier's window for its batch, and the attempt need not. Order holds:
    // this change is submitted before the attempt's result, to the same FIFO batcher and one Redis connection.
    void this.notifier.changed([claimedToEntity(claimed)]).catch(() => undefined);
    if (claimed.status === DeliveryStatus.HELD) return; // its endpoint was disabled after the job was queued
    if (!(await this.respectRateLimit(claimed))) {
      await this.recorder.giveBack(claimed, 1000);
      return;
    }
    const record = await this.runner.run(claimed);
    // The queue slot is free as soon as the HTTP exchange is over: recording waits for its batch in the
    // background (the lease still covers the row: a record that never lands becomes a retry, at least once).
    const recording = this.recorder
      .record(record)
      .then((result) => {
        if (result === 'superseded' && this.closing) this.supersededWhileStopping += 1;
      })
      .finally(() => this.records.delete(recording));
    this.records.add(recording);
    if (this.records.size > MAX_BACKGROUND_RECORDS) await recording; // backpressure when Postgres lags
  }

  /** Waits for a free rate-limit window, but never longer than half the lease, nor through a shutdown. */
  private async respectRateLimit(claimed: ClaimedRow): Promise<boolean> {
    const limit = claimed.rate_limit_per_second;
    if (!limit) return true;
    return this.rateLimiter.acquire(
      claimed.endpoint_id,
      limit,
      Date.now() + this.config.leaseGraceMs / 2,
      () => this.closing,
    );
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
   * exchange is bounded by DELIVERY_TIMEOUT_MS) or are released (a claim that returns now, or a rate-limit wait,
   * gives the delivery back unsent), then the result writer is flushed and every result waited for, however long
   * a loaded Postgres takes. A result written after the pool closed would be lost, and the reconciler would send
   * that delivery a second time. This process's reconciler stopped in step one, so no lease runs out here unseen;
   * another worker's reconciler may still recover one, and the log counts those results as `superseded`.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopClaiming();
    const attemptsEnded = await this.settle(
      this.attempts,
      Date.now() + this.config.deliveryTimeoutMs + this.config.leaseGraceMs,
    );
    const recordsEnded = await this.settle(this.records, Date.now() + SHUTDOWN_RECORDS_MS);
    const superseded = this.supersededWhileStopping;
    const log = {
      msg: 'dispatch stopped',
      unfinishedAttempts: this.attempts.size,
      unrecorded: this.records.size,
      superseded,
    };
    if (attemptsEnded && recordsEnded && superseded === 0) this.logger.log(log);
    else this.logger.warn({ ...log, detail: 'left to their lease: the reconciler retries them' });
  }

  /** Waits for every promise of the set (including those added meanwhile), flushing the batches as it goes. */
  private async settle(running: Set<Promise<void>>, deadline: number): Promise<boolean> {
    while (running.size > 0) {
      if (Date.now() >= deadline) return false;
      this.store.flush();
      this.recorder.flush();
      await Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, 100))]);
    }
    return true;
  }
}
