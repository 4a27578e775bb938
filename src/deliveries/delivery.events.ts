import { AttemptOutcome } from './delivery-outcome';
import { DeliveryEntity } from './delivery.entity';

/** In-process domain events of the deliveries module (@nestjs/event-emitter), emitted after their write commits. */
export enum DeliveryEvent {
  AttemptRecorded = 'deliveries.attempt-recorded',
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
