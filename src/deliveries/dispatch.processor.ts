import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AttemptDeliveryJob, JobName, QueueName } from '../common/queue/queue.constants';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DispatchService } from './dispatch.service';

/**
 * Works the deliveries queue with WORKER_CONCURRENCY parallel jobs. Registered at boot rather than through
 * @Process, whose concurrency is fixed when the module is first imported and could not follow the config.
 */
@Injectable()
export class DispatchProcessor implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.Deliveries) private readonly queue: Queue<AttemptDeliveryJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dispatch: DispatchService,
  ) {}

  onApplicationBootstrap(): void {
    void this.queue.process(JobName.AttemptDelivery, this.config.workerConcurrency, (job: Job<AttemptDeliveryJob>) => this.dispatch.handle(job.data.deliveryId, job.data.endpointId, job.data.tenantId));
  }
}
