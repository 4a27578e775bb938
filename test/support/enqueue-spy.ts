import { INestApplication } from '@nestjs/common';
import { DeliveryQueue, QueuedDelivery } from '../../src/deliveries/deliveries.queue';

/**
 * Runs `work` and returns what it returned with every delivery it queued, in order. The jobs still go to the
 * real Redis queue: the spy only watches DeliveryQueue.enqueue, and is removed when `work` ends.
 */
export async function recordEnqueues<T>(
  app: INestApplication,
  work: () => Promise<T>,
): Promise<{ result: T; enqueued: QueuedDelivery[] }> {
  const queue = app.get(DeliveryQueue);
  const enqueued: QueuedDelivery[] = [];
  const enqueue = queue.enqueue.bind(queue);
  const spy = jest.spyOn(queue, 'enqueue').mockImplementation(async (items, delayMs, requeue) => {
    enqueued.push(...items);
    return enqueue(items, delayMs, requeue);
  });
  try {
    return { result: await work(), enqueued };
  } finally {
    spy.mockRestore();
  }
}
