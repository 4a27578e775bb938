/**
 * Where an event type comes from. BUILT_IN (the commerce catalog and webhook.test) and OPERATIONAL ship with the
 * service as data files (catalog/) and are the same for every tenant; TENANT types belong to one tenant.
 */
export enum EventTypeSource {
  BuiltIn = 'BUILT_IN',
  Tenant = 'TENANT',
  Operational = 'OPERATIONAL',
}

export interface EventTypeDefinition {
  name: string;
  description: string;
  /** JSON Schema draft 2020-12 for the event's payload (the `data` of a delivery), compiled by PayloadValidator. */
  schema: Record<string, unknown>;
  samplePayload: Record<string, unknown>;
  archived: boolean;
  source: EventTypeSource;
}

/** A type's name: 1-128 letters, digits and _ . - (both comment.created and NEW_CONSUMER_ORDER). */
export const EVENT_TYPE_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
