import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { AttemptDeliveryJob, JobName, QueueName } from '../common/queue/queue.constants';

export interface QueuedDelivery {
  id: string;
  tenantId: string;
  endpointId: string;
  attemptCount: number;
}

/**
 * The only place that adds delivery jobs. A job id names (delivery, attempt number), so a job re-added for the
 * same attempt while the first still waits in Redis is ignored; Postgres decides whether an attempt runs at all.
 */
@Injectable()
export class DeliveryQueue {
  constructor(@InjectQueue(QueueName.Deliveries) private readonly queue: Queue<AttemptDeliveryJob>) {}

  /** `requeue` names a second job for the same attempt, for when the first one is the job still running. */
  async enqueue(deliveries: QueuedDelivery[], delayMs = 0, requeue = false): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue.addBulk(
      deliveries.map((d) => ({
        name: JobName.AttemptDelivery,
        data: { deliveryId: d.id, endpointId: d.endpointId, tenantId: d.tenantId },
        opts: {
          jobId: requeue ? `${d.id}_${d.attemptCount}_r${Date.now()}` : `${d.id}_${d.attemptCount}`,
          delay: Math.max(0, Math.round(delayMs)),
          removeOnComplete: true,
          removeOnFail: true,
          attempts: 1,
        },
      })),
    );
  }

  /** Best effort for after-commit enqueues: a lost job is found again by the reconciler. */
  async enqueueSafely(deliveries: QueuedDelivery[], delayMs = 0, requeue = false): Promise<void> {
    await this.enqueue(deliveries, delayMs, requeue).catch(() => undefined);
  }

  get redis(): Queue['client'] {
    return this.queue.client;
  }
}
