/**
 * The event types the platform publishes about itself. Their definitions are data (catalog/operational/*.json);
 * these are the names code refers to. The catalog loader checks that the two agree.
 */
export enum OperationalEventType {
  EndpointFailing = 'endpoint.failing',
  EndpointDisabled = 'endpoint.disabled',
  DeliveryDeadLettered = 'delivery.dead_lettered',
}

/** What sendTestDelivery sends unless told otherwise; a built-in type that only the platform publishes. */
export const TEST_EVENT_TYPE = 'webhook.test';

const OPERATIONAL_NAMES: ReadonlySet<string> = new Set(Object.values(OperationalEventType));

/** Operational types are never matched by an endpoint's empty eventTypes: an endpoint must list them. */
export function isOperationalEventType(name: string): name is OperationalEventType {
  return OPERATIONAL_NAMES.has(name);
}

/** Neither a user nor an inbound provider may publish these; the platform does. */
export function isPublishedByPlatformOnly(name: string): boolean {
  return isOperationalEventType(name) || name === TEST_EVENT_TYPE;
}
