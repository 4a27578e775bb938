import { Injectable } from '@nestjs/common';
import { MicroBatcher } from '../common/micro-batcher';
import { PubSubService, Topic } from '../common/graphql/pubsub';
import { DeliveryEntity } from './delivery.entity';
import { deliveryModelFields, PushedDelivery, toDeliveryModel } from './delivery.model';
import { payloadTextOf } from './delivery-store';

/** Status changes that share one Redis message: a claim or result batch resolves within a few milliseconds. */
const WINDOW_MS = 5;
/** Bounds a message (a delivery's model carries its body, up to 256 KiB). */
const PER_MESSAGE = 50;

/**
 * Pushes every status change of a delivery to `deliveryUpdated` subscribers of its tenant (Redis pub/sub): one
 * message per tenant per micro-batch, not one per delivery; subscribers get them one by one (manyIterator).
 */
@Injectable()
export class DeliveryNotifier {
  private readonly batcher: MicroBatcher<DeliveryEntity, void>;

  constructor(private readonly pubsub: PubSubService) {
    this.batcher = new MicroBatcher((changes) => this.publish(changes), { maxItems: 500, maxWaitMs: WINDOW_MS });
  }

  /** Resolves once the message holding these changes is published (best effort, like every push). */
  async changed(deliveries: DeliveryEntity[]): Promise<void> {
    await Promise.all(deliveries.map((d) => this.batcher.submit(d)));
  }

  private async publish(changes: DeliveryEntity[]): Promise<void[]> {
    const byTenant = new Map<string, Record<string, unknown>[]>();
    for (const d of changes) {
      const models = byTenant.get(d.tenantId) ?? [];
      // A claim's or result's entity carries its body as the stored text: it goes as that text, never parsed here.
      const text = payloadTextOf(d);
      const model: PushedDelivery =
        text === undefined ? toDeliveryModel(d) : { ...deliveryModelFields(d), payloadJson: text };
      models.push({ ...model });
      byTenant.set(d.tenantId, models);
    }
    const messages: Promise<void>[] = [];
    for (const [tenantId, models] of byTenant) {
      for (let i = 0; i < models.length; i += PER_MESSAGE) {
        messages.push(this.pubsub.publishMany(Topic.DeliveryUpdated, tenantId, models.slice(i, i + PER_MESSAGE)));
      }
    }
    await Promise.all(messages);
    return changes.map(() => undefined);
  }
}
