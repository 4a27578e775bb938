import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from './queue.constants';

/** Bull waits for Redis indefinitely; a scrape must answer even while Redis is down. */
const COUNT_TIMEOUT_MS = 500;

/** Jobs per queue and state, for the metrics gauge; a queue that does not answer in time is left out. */
@Injectable()
export class QueueDepths {
  private readonly queues: Queue[];

  constructor(
    @InjectQueue(QueueName.Deliveries) deliveries: Queue,
    @InjectQueue(QueueName.InboundEvents) inbound: Queue,
    @InjectQueue(QueueName.TrackedJobs) tracked: Queue,
  ) {
    this.queues = [deliveries, inbound, tracked];
  }

  async read(): Promise<{ queue: string; counts: Record<string, number> }[]> {
    const read = await Promise.all(
      this.queues.map(async (queue) => {
        const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), COUNT_TIMEOUT_MS).unref());
        const counts = await Promise.race([queue.getJobCounts().catch(() => null), timeout]);
        return counts ? { queue: queue.name, counts: counts as unknown as Record<string, number> } : null;
      }),
    );
    return read.filter((r): r is { queue: string; counts: Record<string, number> } => r !== null);
  }
}
