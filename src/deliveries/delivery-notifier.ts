import { Injectable } from '@nestjs/common';
import { PubSubService, Topic } from '../common/graphql/pubsub';
import { DeliveryEntity } from './delivery.entity';
import { toDeliveryModel } from './delivery.model';

/** Pushes every status change of a delivery to `deliveryUpdated` subscribers of its tenant (Redis pub/sub). */
@Injectable()
export class DeliveryNotifier {
  constructor(private readonly pubsub: PubSubService) {}

  async changed(deliveries: DeliveryEntity[]): Promise<void> {
    await Promise.all(
      deliveries.map((d) => this.pubsub.publish(Topic.DeliveryUpdated, d.tenantId, { ...toDeliveryModel(d) })),
    );
  }
}
