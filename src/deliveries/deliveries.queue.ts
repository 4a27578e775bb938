import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { MicroBatcher } from '../common/micro-batcher';
import { AttemptDeliveriesJob, JobName, QueueName } from '../common/queue/queue.constants';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { groupByDueSecond, LaterDelivery, QueuedDelivery, toDeliveryBatches } from './delivery-batches';

export type { QueuedDelivery } from './delivery-batches';

/**
 * How long deferred deliveries (retries, hand-backs) wait for others to share their jobs. A job's delay is computed
 * from each delivery's own due time when it is added, so the wait costs nothing as long as it is shorter than the
 * delay: those due within a couple of seconds wait 10 ms, later ones a quarter of a second.
 */
const COALESCE_MS = 10;
const COALESCE_LATER_MS = 250;
const LATER_FROM_MS = 2_000;

/**
 * The only place that adds delivery jobs. A job names one endpoint and up to DELIVERY_JOB_BATCH_SIZE deliveries
 * (delivery-batches.ts), so Bull's own Redis work (about twenty commands a job) is shared by the batch. Postgres
 * decides whether an attempt runs at all: a job run twice, or a delivery named by two jobs, attempts it once.
 */
@Injectable()
export class DeliveryQueue {
  private readonly soon: MicroBatcher<LaterDelivery, void>;
  private readonly later: MicroBatcher<LaterDelivery, void>;

  constructor(
    @InjectQueue(QueueName.Deliveries) private readonly queue: Queue<AttemptDeliveriesJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.soon = new MicroBatcher((items) => this.addLater(items), { maxItems: 1000, maxWaitMs: COALESCE_MS });
    this.later = new MicroBatcher((items) => this.addLater(items), { maxItems: 1000, maxWaitMs: COALESCE_LATER_MS });
  }

  /** `requeue` names a second job for the same attempt, for when the first one is the job still running. */
  async enqueue(deliveries: QueuedDelivery[], delayMs = 0, requeue = false): Promise<void> {
    if (deliveries.length === 0) return;
    const batches = toDeliveryBatches(deliveries, this.config.deliveryJobBatchSize);
    const suffix = requeue ? `_r${Date.now()}` : '';
    await this.queue.addBulk(
      batches.map((b) => ({
        name: JobName.AttemptDeliveries,
        data: { deliveryIds: b.deliveryIds, endpointId: b.endpointId, tenantId: b.tenantId },
        opts: {
          jobId: `${b.jobId}${suffix}`,
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

  /**
   * Best effort, like enqueueSafely, for one delivery at a time (a retry, a hand-back): those that fall due in
   * the same second within a few milliseconds of each other share jobs. Resolves once its job is added.
   */
  enqueueLater(delivery: QueuedDelivery, delayMs: number, requeue = false): Promise<void> {
    const batcher = delayMs >= LATER_FROM_MS ? this.later : this.soon;
    return batcher.submit({ delivery, dueAt: Date.now() + Math.max(0, delayMs), requeue });
  }

  /** Sends the deferred deliveries now (a shutdown does not wait for their window). */
  flush(): void {
    this.soon.flush();
    this.later.flush();
  }

  private async addLater(items: LaterDelivery[]): Promise<void[]> {
    const groups = groupByDueSecond(items, Date.now());
    await Promise.all(groups.map((g) => this.enqueueSafely(g.deliveries, g.delayMs, g.requeue)));
    return items.map(() => undefined);
  }

  get redis(): Queue['client'] {
    return this.queue.client;
  }
}
