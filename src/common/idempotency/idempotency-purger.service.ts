import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { PeriodicTask } from '../periodic-task';
import { IdempotencyService } from './idempotency.service';

/** Every IDEMPOTENCY_PURGE_INTERVAL_MS, deletes the idempotency keys past their 24 h, so the table stops growing. */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyPurger.name);
  private readonly task: PeriodicTask;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly idempotency: IdempotencyService,
  ) {
    this.task = new PeriodicTask(
      'idempotency purge',
      config.idempotencyPurgeIntervalMs,
      () => this.purge(),
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  private async purge(): Promise<void> {
    const removed = await this.idempotency.purgeExpired();
    if (removed > 0) this.logger.log({ msg: 'expired idempotency keys purged', removed });
  }
}
