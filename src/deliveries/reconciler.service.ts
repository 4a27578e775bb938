import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryReturning } from '../database/returning';
import { DataSource } from 'typeorm';
import { AdvisoryLock } from '../common/advisory-lock';
import { withDeadline } from '../common/deadline';
import { PeriodicTask } from '../common/periodic-task';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DeliveryStatus, DUE_STATUSES } from './delivery.entity';
import { fromRow } from './delivery-store';
import { DeliveryNotifier } from './delivery-notifier';
import { DeliveryQueue } from './deliveries.queue';
import { DispatchService } from './dispatch.service';
import { EndpointHealthTracker } from '../endpoints/endpoint-health-tracker.service';

const RECONCILE_LOCK_ID = AdvisoryLock.DeliveryReconcile;
export const HELD_RETENTION_DAYS = 7;
const HELD_EXPIRED_ERROR = `held for ${HELD_RETENTION_DAYS} days while the endpoint was disabled`;
const BATCH = 1000;
/**
 * At most this many overdue deliveries of one endpoint per tick, taken round-robin across tenants and, within a
 * tenant, across its endpoints: a dead tenant's backlog (parked in a worker, so overdue in Postgres), however many
 * endpoints it spreads over, can never crowd another tenant's lost job out of the batch, and re-queueing that
 * backlog costs a bounded amount per tick.
 */
export const RECONCILE_PER_ENDPOINT = 200;
/** How long a tick waits for Redis to take its jobs and status pushes. */
const REDIS_DEADLINE_MS = 5_000;

export interface ReconcileReport {
  abandoned: number;
  requeued: number;
  /** Overdue deliveries left alone because this worker holds them, parked behind a cap (see DispatchService.holds). */
  heldHere: number;
  expiredHeld: number;
  /** FAILING endpoints disabled because their disableAt passed. */
  disabledEndpoints: number;
}

/**
 * Postgres is the truth, Redis a cache of what to do next. On every tick (in worker processes, one at a time
 * through an advisory lock) this finds what a lost job or a dead worker left behind:
 * - IN_FLIGHT past its lease (the worker died mid-attempt) goes back to RETRYING;
 * - PENDING/RETRYING overdue by more than a grace period (its job was lost: Redis flushed or restarted empty,
 *   a stalled job given up by Bull) is queued again; re-adding a job that still exists is a no-op;
 * - HELD for more than 7 days becomes DEAD_LETTER with that reason;
 * - a FAILING endpoint whose disableAt has passed is disabled (endpoint.disabled is published).
 * It runs on a timer of its own, not as a Bull repeatable job, so a Redis that lost everything cannot stop it.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReconcilerService.name);
  private readonly task: PeriodicTask;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queue: DeliveryQueue,
    private readonly notifier: DeliveryNotifier,
    private readonly endpointHealth: EndpointHealthTracker,
    private readonly dispatch: DispatchService,
  ) {
    this.task = new PeriodicTask('reconcile', config.reconcileIntervalMs, () => this.reconcile(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  /**
   * Step one of a shutdown, with the dispatcher's stopClaiming (onModuleDestroy, before its drain): a draining
   * worker must not hand its own attempts back. Ticking on until the drain ended, this tick found the IN_FLIGHT
   * rows whose results waited for a lagging Postgres past their lease, and made them RETRYING; those results were
   * then refused (the row was no longer IN_FLIGHT) and the next worker sent every one of them again. A tick in
   * progress is awaited: the pool is open until onApplicationShutdown.
   */
  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** Grace before an overdue delivery is presumed to have lost its job: two ticks, at least 2 s. */
  get graceMs(): number {
    return Math.max(2000, 2 * this.config.reconcileIntervalMs);
  }

  async reconcile(): Promise<ReconcileReport | null> {
    const report = await this.reconcileDeliveries();
    if (report) {
      // Each one is announced (endpoint.disabled) by the endpoints module's domain event.
      report.disabledEndpoints += (await this.endpointHealth.disableOverdue()).length;
    }
    return report;
  }

  private async reconcileDeliveries(): Promise<ReconcileReport | null> {
    const found = await this.dataSource.transaction(async (m) => {
      const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [RECONCILE_LOCK_ID]);
      if (!locked) return null;

      const abandoned = await queryReturning(
        m,
        `UPDATE deliveries SET status = $1, next_attempt_at = now(), updated_at = now(),
                last_error = 'attempt abandoned: the worker stopped before recording a result'
          WHERE id IN (SELECT id FROM deliveries WHERE status = $2 AND next_attempt_at < now() LIMIT ${BATCH})
          RETURNING *`,
        [DeliveryStatus.RETRYING, DeliveryStatus.IN_FLIGHT],
      );
      // The endpoints with due work come from deliveries alone, by a skip scan of idx_deliveries_endpoint_due (one
      // probe per distinct endpoint; endpoints are another module's table). Then one probe per endpoint, its oldest
      // first; the turns go round-robin across the endpoints of a tenant (endpoint turn, then age), and round-robin
      // across tenants.
      const overdue: { id: string; tenant_id: string; endpoint_id: string; attempt_count: number }[] = await m.query(
        `WITH RECURSIVE due(endpoint_id) AS (
             (SELECT endpoint_id FROM deliveries WHERE status = ANY($3::text[]) ORDER BY endpoint_id LIMIT 1)
           UNION ALL
             SELECT (SELECT n.endpoint_id FROM deliveries n
                      WHERE n.status = ANY($3::text[]) AND n.endpoint_id > due.endpoint_id
                      ORDER BY n.endpoint_id LIMIT 1)
               FROM due WHERE due.endpoint_id IS NOT NULL)
         SELECT t.id, t.tenant_id, t.endpoint_id, t.attempt_count
           FROM (SELECT o.*, row_number() OVER (PARTITION BY o.tenant_id ORDER BY o.turn, o.next_attempt_at, o.id) AS tenant_turn
                   FROM due
                   CROSS JOIN LATERAL (
                     SELECT d.id, d.tenant_id, d.endpoint_id, d.attempt_count, d.next_attempt_at,
                            row_number() OVER (ORDER BY d.next_attempt_at) AS turn
                       FROM deliveries d
                      WHERE d.endpoint_id = due.endpoint_id AND d.status = ANY($3::text[])
                        AND d.next_attempt_at < now() - make_interval(secs => $1)
                      ORDER BY d.next_attempt_at LIMIT $2) o
                  WHERE due.endpoint_id IS NOT NULL) t
          ORDER BY t.tenant_turn, t.next_attempt_at LIMIT ${BATCH}`,
        [this.graceMs / 1000, RECONCILE_PER_ENDPOINT, DUE_STATUSES],
      );
      const expired = await queryReturning(
        m,
        `UPDATE deliveries SET status = $1, next_attempt_at = NULL, updated_at = now(), last_error = $2
          WHERE id IN (SELECT id FROM deliveries WHERE status = $3 AND created_at < now() - make_interval(days => $4) LIMIT ${BATCH})
          RETURNING *`,
        [DeliveryStatus.DEAD_LETTER, HELD_EXPIRED_ERROR, DeliveryStatus.HELD, HELD_RETENTION_DAYS],
      );

      return { abandoned, overdue, expired };
    });
    if (!found) return null;
    const { abandoned, expired } = found;
    // A tenant's backlog parked in this worker behind its cap is overdue in Postgres, but its job is not lost.
    // Re-queued every tick, each of up to BATCH rows would become a queue job again only to be found a duplicate:
    // with a one-second interval, a thousand jobs a second of churn for nothing, which slowed the backlog itself
    // and every request in the process. Another worker process's parked work is still re-queued (a duplicate
    // there, and harmless).
    const overdue = found.overdue.filter((r) => !this.dispatch.holds(r.id));
    const heldHere = found.overdue.length - overdue.length;

    // After the commit, and bounded: Redis is only told what Postgres already says. A Redis that is down must not
    // hold the transaction (and the lock) open, nor wedge this task and the shutdown that waits for it; whatever
    // is not queued now is still due and found again on the next tick.
    const toQueue = [
      ...abandoned.map((r) => ({
        id: String(r.id),
        tenantId: String(r.tenant_id),
        endpointId: String(r.endpoint_id),
        attemptCount: Number(r.attempt_count),
      })),
      ...overdue.map((r) => ({
        id: r.id,
        tenantId: r.tenant_id,
        endpointId: r.endpoint_id,
        attemptCount: r.attempt_count,
      })),
    ];
    const changed = [...abandoned, ...expired].map(fromRow);
    try {
      await withDeadline(
        (async () => {
          await this.queue.enqueue(toQueue);
          if (changed.length > 0) await this.notifier.changed(changed);
        })(),
        REDIS_DEADLINE_MS,
        'Redis',
      );
    } catch (error) {
      this.logger.warn({
        msg: 'reconciled deliveries not queued; the next tick tries again',
        count: toQueue.length,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    if (abandoned.length + overdue.length + expired.length > 0) {
      this.logger.log({
        msg: 'reconciled deliveries',
        abandoned: abandoned.length,
        requeued: overdue.length,
        heldHere,
        expiredHeld: expired.length,
      });
    }
    return {
      abandoned: abandoned.length,
      requeued: overdue.length,
      heldHere,
      expiredHeld: expired.length,
      disabledEndpoints: 0,
    };
  }
}
