import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TenantsService } from '../auth/tenants.service';
import { AdvisoryLock } from '../common/advisory-lock';
import { PeriodicTask } from '../common/periodic-task';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RetentionMetrics, SweepOutcome } from './retention-metrics';
import { RetentionPolicies } from './retention-policies.service';
import { emptyReport, RetentionPurger, SweepReport } from './retention-purger';
import { cutoffsAt } from './retention-rules';

/** Tenants read (with their policies) a page at a time; each owner then asks once which of them have anything due. */
const TENANT_PAGE = 500;

/**
 * Every RETENTION_INTERVAL_MS (worker role), deletes what is past each tenant's policy and the expired idempotency
 * keys. One process sweeps at a time: a session advisory lock, held on a connection of its own for the sweep (a
 * transaction-scoped one would make the sweep one long transaction). Every DELETE is a bounded statement in its own
 * short transaction, so publishing and dispatch never wait on the sweep for longer than one batch's row locks, and
 * those are on finished rows that nothing else writes.
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionSweeper.name);
  private readonly task: PeriodicTask;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenants: TenantsService,
    private readonly policies: RetentionPolicies,
    private readonly purger: RetentionPurger,
    private readonly metrics: RetentionMetrics,
  ) {
    this.task = new PeriodicTask('retention sweep', config.retention.intervalMs, () => this.sweep(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One sweep as of `now`; null when another process holds the lock (it is sweeping). */
  async sweep(now: Date = new Date()): Promise<SweepReport | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        AdvisoryLock.RetentionSweep,
      ])) as { locked: boolean }[];
      if (!locked) {
        this.metrics.sweep(SweepOutcome.Skipped);
        return null;
      }
      try {
        const started = process.hrtime.bigint();
        const report = await this.sweepAll(now);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.metrics.sweep(SweepOutcome.Completed, seconds);
        this.logger.log({ msg: 'retention sweep done', seconds, ...summary(report) });
        return report;
      } catch (error) {
        this.metrics.sweep(SweepOutcome.Failed);
        throw error;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [AdvisoryLock.RetentionSweep]).catch(() => undefined);
      }
    } finally {
      await runner.release();
    }
  }

  private async sweepAll(now: Date): Promise<SweepReport> {
    const report = emptyReport();
    const batchSize = this.config.retention.batchSize;
    let after: string | null = null;
    for (;;) {
      const ids = await this.tenants.listIds(after, TENANT_PAGE);
      if (ids.length === 0) break;
      const policies = await this.policies.getMany(ids);
      const page = [...policies].map(([tenantId, policy]) => ({ tenantId, cutoffs: cutoffsAt(policy, now) }));
      await this.purger.purgePage(page, batchSize, report);
      after = ids[ids.length - 1];
    }
    await this.purger.purgeIdempotencyKeys(now, batchSize, report);
    return report;
  }
}

function summary(report: SweepReport): Record<string, number> {
  return Object.fromEntries(Object.entries(report).map(([table, r]) => [table, r.deleted]));
}
