import { EndpointEntity } from './endpoint.entity';

/** In-process domain events of the endpoints module (@nestjs/event-emitter), emitted after their transaction commits. */
export enum EndpointEvent {
  Enabled = 'endpoints.enabled',
  Disabled = 'endpoints.disabled',
}

/** Why an endpoint stopped receiving: the `reason` of the endpoint.disabled operational event. */
export enum DisableCause {
  MANUAL = 'MANUAL',
  GONE = 'GONE',
  FAILING = 'FAILING',
}

/** An endpoint went from inactive to active (its HELD deliveries may go). */
export class EndpointEnabled {
  constructor(readonly endpoint: EndpointEntity) {}
}

/** An endpoint went from active to inactive: by hand, on 410 Gone, or by the health rules at disableAt. */
export class EndpointDisabled {
  constructor(
    readonly endpoint: EndpointEntity,
    readonly cause: DisableCause,
    readonly lastError: string | null,
  ) {}
}
