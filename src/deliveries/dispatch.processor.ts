import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AttemptDeliveryJob, JobName, QueueName } from '../common/queue/queue.constants';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DispatchService } from './dispatch.service';

/**
 * Works the deliveries queue with WORKER_CONCURRENCY parallel jobs. Registered at boot rather than through
 * @Process, whose concurrency is fixed when the module is first imported and could not follow the config.
 */
@Injectable()
export class DispatchProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DispatchProcessor.name);

  constructor(
    @InjectQueue(QueueName.Deliveries) private readonly queue: Queue<AttemptDeliveryJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dispatch: DispatchService,
  ) {}

  onApplicationBootstrap(): void {
    void this.queue.process(JobName.AttemptDelivery, this.config.workerConcurrency, (job: Job<AttemptDeliveryJob>) => this.dispatch.handle(job.data.deliveryId, job.data.endpointId, job.data.tenantId));
  }

  /**
   * The first step of a shutdown: this process takes no more jobs (a local pause: they stay in Redis for the other
   * workers) and the dispatcher claims nothing more. Not awaited: the pause resolves once the jobs holding a slot
   * end, which the dispatcher's own shutdown brings about.
   */
  onModuleDestroy(): void {
    this.dispatch.stopClaiming();
    this.queue.pause(true).catch((error: unknown) => this.logger.warn({ msg: 'pausing the deliveries queue failed', error: error instanceof Error ? error.message : String(error) }));
  }
}
