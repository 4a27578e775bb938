import { AttemptOutcome } from './delivery-outcome';
import { DeliveryEntity } from './delivery.entity';
import { EventEntity } from './event.entity';

/** In-process domain events of the deliveries module (@nestjs/event-emitter), emitted after their write commits. */
export enum DeliveryEvent {
  AttemptRecorded = 'deliveries.attempt-recorded',
  EventPublished = 'deliveries.event-published',
}

/** An attempt's result is in Postgres (the delivery as it now is); health and operational events react to it. */
export class AttemptRecorded {
  constructor(
    readonly delivery: DeliveryEntity,
    readonly outcome: AttemptOutcome,
    /** The endpoint's URL at claim time, for the operational payloads. */
    readonly url: string,
    readonly startedAt: Date,
  ) {}
}

/** Events stored with their deliveries (publish, publishEvents, inbound processing). */
export class EventPublished {
  constructor(
    readonly tenantId: string,
    readonly events: EventEntity[],
    readonly deliveryCount: number,
  ) {}
}
