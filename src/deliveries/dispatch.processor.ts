import { InjectQueue } from '@nestjs/bull';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { withDeadline } from '../common/deadline';
import { AttemptDeliveriesJob, AttemptDeliveryJob, JobName, QueueName } from '../common/queue/queue.constants';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DispatchService } from './dispatch.service';

/**
 * Works the deliveries queue with WORKER_CONCURRENCY parallel jobs. Registered at boot rather than through
 * @Process, whose concurrency is fixed when the module is first imported and could not follow the config.
 */
@Injectable()
export class DispatchProcessor implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(DispatchProcessor.name);
  private pausing: Promise<void> = Promise.resolve();

  constructor(
    @InjectQueue(QueueName.Deliveries) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dispatch: DispatchService,
  ) {}

  /**
   * One processor for every job name ('*'), so that Bull runs one loop of WORKER_CONCURRENCY: batch jobs, and the
   * single-delivery jobs an older version may have left in Redis. (Two named processors ran two loops, and one of
   * them could report its blocking read cut by a quick close as an error.)
   */
  onApplicationBootstrap(): void {
    void this.queue.process(
      '*',
      this.config.workerConcurrency,
      (job: Job<AttemptDeliveriesJob | AttemptDeliveryJob>) =>
        job.name === JobName.AttemptDelivery
          ? this.legacy(job.data as AttemptDeliveryJob)
          : this.dispatch.handleBatch(job.data as AttemptDeliveriesJob),
    );
  }

  private legacy(job: AttemptDeliveryJob): Promise<void> {
    return this.dispatch.handle(job.deliveryId, job.endpointId, job.tenantId);
  }

  /**
   * The first step of a shutdown: this process takes no more jobs (a local pause: they stay in Redis for the other
   * workers) and the dispatcher claims nothing more. The pause does not wait for the jobs holding a slot (the
   * dispatcher's own shutdown ends them), so its promise is Bull's reconnection of its blocking client alone.
   */
  onModuleDestroy(): void {
    this.dispatch.stopClaiming();
    this.pausing = this.queue.pause(true, true).catch((error: unknown) =>
      this.logger.warn({
        msg: 'pausing the deliveries queue failed',
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  /**
   * The pause must be over before the queue closes (onApplicationShutdown): close() pauses again, and two
   * reconnections of Bull's blocking client at once fail with "Redis is already connecting/connected", an
   * unhandled rejection that ended a quickly drained worker with exit code 1. Bounded, for a Redis that is down.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await withDeadline(this.pausing, 5_000, 'Redis').catch((error: unknown) =>
      this.logger.warn({
        msg: 'pausing the deliveries queue did not end',
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }
}
