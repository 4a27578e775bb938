import {
  BadUserInputError,
  ConflictError,
  LimitExceededError,
  NotFoundError,
  UnprocessableError,
} from '../common/errors/domain-error';

/** extensions.reasonCode of the event-type module's errors. */
export enum EventTypeReasonCode {
  UnknownEventType = 'UNKNOWN_EVENT_TYPE',
  EventTypeArchived = 'EVENT_TYPE_ARCHIVED',
  EventTypePlatformOnly = 'EVENT_TYPE_PLATFORM_ONLY',
  PayloadSchemaMismatch = 'PAYLOAD_SCHEMA_MISMATCH',
  InvalidEventTypeName = 'INVALID_EVENT_TYPE_NAME',
  EventTypeNameTaken = 'EVENT_TYPE_NAME_TAKEN',
  EventTypeNameReserved = 'EVENT_TYPE_NAME_RESERVED',
  EventTypeReadOnly = 'EVENT_TYPE_READ_ONLY',
  InvalidEventTypeSchema = 'INVALID_EVENT_TYPE_SCHEMA',
  RemoteSchemaRef = 'REMOTE_SCHEMA_REF',
  SampleSchemaMismatch = 'SAMPLE_SCHEMA_MISMATCH',
  InvalidOpenApi = 'INVALID_OPENAPI',
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

/** An archived type cannot be published: the input is well formed, the type's state refuses it (UNPROCESSABLE). */
export class ArchivedEventTypeError extends UnprocessableError {
  constructor(field: string, eventType: string) {
    super(`${field}: event type "${eventType}" is archived`, {
      field,
      reasonCode: EventTypeReasonCode.EventTypeArchived,
    });
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

/** A tenant type's name: 1-128 letters, digits and _ . - */
export class InvalidEventTypeNameError extends BadUserInputError {
  constructor(field: string) {
    super(field, 'must be 1-128 characters of letters, digits and _ . -', {
      reasonCode: EventTypeReasonCode.InvalidEventTypeName,
    });
  }
}

/** The tenant already has a type of that name. */
export class EventTypeNameTakenError extends ConflictError {
  constructor(name: string) {
    super(`event type "${name}" already exists`, { field: 'name', reasonCode: EventTypeReasonCode.EventTypeNameTaken });
  }
}

/** A built-in or operational type has that name; a tenant type may not shadow it. */
export class EventTypeNameReservedError extends ConflictError {
  constructor(name: string) {
    super(`"${name}" is a built-in or operational event type`, {
      field: 'name',
      reasonCode: EventTypeReasonCode.EventTypeNameReserved,
    });
  }
}

/** Built-in and operational types ship with the service; no tenant changes them. */
export class EventTypeReadOnlyError extends UnprocessableError {
  constructor(name: string) {
    super(`event type "${name}" ships with the service and cannot be changed`, {
      reasonCode: EventTypeReasonCode.EventTypeReadOnly,
    });
  }
}

/** Not a valid draft 2020-12 schema: `schemaPath` is the JSON pointer of the fault inside the schema. */
export class InvalidEventTypeSchemaError extends BadUserInputError {
  constructor(field: string, schemaPath: string, reason: string) {
    super(field, schemaPath ? `${reason} (at ${schemaPath})` : reason, {
      schemaPath,
      reasonCode: EventTypeReasonCode.InvalidEventTypeSchema,
    });
  }
}

/** A `$ref` that leaves the document: resolving it would be an outbound request (SSRF). Only `#...` refs resolve. */
export class RemoteSchemaRefError extends BadUserInputError {
  constructor(field: string, schemaPath: string, ref: string) {
    super(
      field,
      `remote $ref "${String(ref).slice(0, 200)}" is refused; only local refs (#...) resolve (at ${schemaPath})`,
      {
        schemaPath,
        reasonCode: EventTypeReasonCode.RemoteSchemaRef,
      },
    );
  }
}

/** The schema is larger than a type may have. */
export class EventTypeSchemaTooLargeError extends LimitExceededError {
  constructor(field: string, size: number, limit: number) {
    super(field, `is ${size} bytes; the limit is ${limit}`, limit);
  }
}

/** The type's sample payload does not meet its (new) schema: `field` is the sample's path of the first violation. */
export class SampleSchemaMismatchError extends BadUserInputError {
  constructor(field: string, reason: string) {
    super(field, reason, { reasonCode: EventTypeReasonCode.SampleSchemaMismatch });
  }
}

/** The OpenAPI document could not be read or has no usable webhooks. */
export class InvalidOpenApiError extends BadUserInputError {
  constructor(field: string, reason: string) {
    super(field, reason, { reasonCode: EventTypeReasonCode.InvalidOpenApi });
  }
}
