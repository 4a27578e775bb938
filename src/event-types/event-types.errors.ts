import { BadUserInputError, NotFoundError } from '../common/errors/domain-error';

/** extensions.reasonCode of the event-type module's errors. */
export enum EventTypeReasonCode {
  UnknownEventType = 'UNKNOWN_EVENT_TYPE',
  EventTypeArchived = 'EVENT_TYPE_ARCHIVED',
  EventTypePlatformOnly = 'EVENT_TYPE_PLATFORM_ONLY',
  PayloadSchemaMismatch = 'PAYLOAD_SCHEMA_MISMATCH',
}

function plural(names: readonly string[]): string {
  return names.length > 1 ? 's' : '';
}

/** A name that no catalog the tenant sees holds. */
export class UnknownEventTypeError extends BadUserInputError {
  constructor(eventType: string, field = 'eventType', reason = `unknown event type "${eventType}"`) {
    super(field, reason, { reasonCode: EventTypeReasonCode.UnknownEventType });
  }

  /** For inputs that only name a type (filters): the name cut to 100 characters, and where to look. */
  static withHint(eventType: string): UnknownEventTypeError {
    return new UnknownEventTypeError(
      eventType,
      'eventType',
      `unknown event type "${eventType.slice(0, 100)}"; see the eventTypes query`,
    );
  }
}

/** An endpoint's eventTypes name types no catalog holds; `unknown` lists them. */
export class UnknownEventTypesError extends BadUserInputError {
  constructor(unknown: string[]) {
    super('eventTypes', `unknown event type${plural(unknown)}: ${unknown.join(', ')}`, {
      unknown,
      reasonCode: EventTypeReasonCode.UnknownEventType,
    });
  }
}

/** An archived type cannot be published. */
export class ArchivedEventTypeError extends BadUserInputError {
  constructor(field: string, eventType: string) {
    super(field, `event type "${eventType}" is archived`, { reasonCode: EventTypeReasonCode.EventTypeArchived });
  }
}

/** Nor newly subscribed to: `archived` lists them (an endpoint keeps the ones it already had). */
export class ArchivedEventTypesError extends BadUserInputError {
  constructor(archived: string[]) {
    super('eventTypes', `archived event type${plural(archived)}: ${archived.join(', ')}`, {
      archived,
      reasonCode: EventTypeReasonCode.EventTypeArchived,
    });
  }
}

/** Operational types and webhook.test are published by the platform, never through publishEvent. */
export class PlatformOnlyEventTypeError extends BadUserInputError {
  constructor(field: string, eventType: string) {
    super(field, `"${eventType}" is published by the platform only`, {
      reasonCode: EventTypeReasonCode.EventTypePlatformOnly,
    });
  }
}

/** The payload does not meet its type's JSON Schema: `field` is the path of the first violation. */
export class PayloadSchemaMismatchError extends BadUserInputError {
  constructor(field: string, reason: string) {
    super(field, reason, { reasonCode: EventTypeReasonCode.PayloadSchemaMismatch });
  }
}

/** The eventType query for a name the tenant cannot see (reasonCode EVENT_TYPE_NOT_FOUND). */
export class EventTypeNotFoundError extends NotFoundError {
  constructor(name: string) {
    super('EventType', name);
  }
}
