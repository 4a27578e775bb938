import { AdvisoryLock } from '../common/advisory-lock';
import { withDeadline } from '../common/deadline';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { STALE_PROCESSING_MS } from './inbound-processing.service';
import { InboundReceiverService } from './inbound-receiver.service';

const SWEEP_LOCK_ID = AdvisoryLock.InboundSweep;

/**
 * Inbound events are stored before they are queued, so Postgres knows what is left to do. On every tick (in
 * worker processes, one at a time) this queues again PENDING events whose job was lost (Redis flushed or down
 * when they arrived) and PROCESSING events whose worker died. Queuing an event whose job still exists is a no-op.
 */
@Injectable()
export class InboundSweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboundSweeperService.name);
  private readonly task: PeriodicTask;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly receiver: InboundReceiverService,
  ) {
    this.task = new PeriodicTask('inbound sweep', config.reconcileIntervalMs, () => this.sweep(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  async sweep(): Promise<number> {
    const ids = await this.dataSource.transaction(async (m) => {
      const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [SWEEP_LOCK_ID]);
      if (!locked) return [];
      const rows: { id: string }[] = await m.query(
        `SELECT id FROM inbound_events
          WHERE (status = 'PENDING' AND updated_at < now() - make_interval(secs => $1))
             OR (status = 'PROCESSING' AND updated_at < now() - make_interval(secs => $2))
          ORDER BY received_at LIMIT 500`,
        [Math.max(2000, 2 * this.config.reconcileIntervalMs) / 1000, STALE_PROCESSING_MS / 1000],
      );
      return rows.map((r) => r.id);
    });
    try {
      // Bounded: a Redis that is down must not wedge this task or the shutdown waiting for it; the rows stay due.
      await withDeadline(
        (async () => {
          for (const id of ids) await this.receiver.enqueue(id);
        })(),
        5_000,
        'Redis',
      );
    } catch (error) {
      this.logger.warn({
        msg: 'inbound events not queued; the next sweep tries again',
        count: ids.length,
        error: error instanceof Error ? error.message : String(error),
      });
      return 0;
    }
    if (ids.length > 0) this.logger.log({ msg: 'queued inbound events again', count: ids.length });
    return ids.length;
  }
}
