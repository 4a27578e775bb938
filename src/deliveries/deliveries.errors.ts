import { BadUserInputError, NotFoundError, UnprocessableError } from '../common/errors/domain-error';
import { DeliveryStatus } from './delivery.entity';

/*
 * Every fault src/deliveries throws, each with a stable reasonCode (domain-error.ts): clients branch on
 * extensions.reasonCode, never on the message. Messages and codes are the ones the API has always given.
 */

export class EventNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Event', id); // reasonCode EVENT_NOT_FOUND
  }
}

export class DeliveryNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Delivery', id); // reasonCode DELIVERY_NOT_FOUND
  }
}

/** Only a FAILED or DEAD_LETTER delivery can be replayed (not one in progress, HELD or SUCCEEDED). */
export class ReplayNotAllowedError extends UnprocessableError {
  constructor(status: DeliveryStatus) {
    super(`only FAILED or DEAD_LETTER deliveries can be replayed; this one is ${status}`, {
      status,
      reasonCode: 'REPLAY_NOT_ALLOWED',
    });
  }
}

/** A test delivery of a type the endpoint does not receive (its event types, or its filter, leave it out). */
export class EndpointFiltersOutTypeError extends UnprocessableError {
  constructor(endpointId: string, eventType: string) {
    super(`endpoint ${endpointId} filters out "${eventType}" events`, { reasonCode: 'ENDPOINT_FILTERS_OUT_TYPE' });
  }
}

/** The payload is not a JSON object, or is larger or deeper than a webhook may be. */
export class InvalidPayloadError extends BadUserInputError {
  constructor(field: string, reason: string) {
    super(field, reason, { reasonCode: 'INVALID_PAYLOAD' });
  }
}

/** publishEvents holds 0 or more than MAX_BATCH events, or one idempotency key twice. */
export class InvalidBatchError extends BadUserInputError {
  constructor(reason: string) {
    super('inputs', reason, { reasonCode: 'INVALID_BATCH' });
  }
}

/** A filter argument (endpointId, eventId) that cannot be an id. */
export class MalformedIdError extends BadUserInputError {
  constructor(field: string) {
    super(field, 'must be an ID', { reasonCode: 'MALFORMED_ID' });
  }
}

/** A response-time series whose range is empty or holds too many buckets. */
export class InvalidSeriesRangeError extends BadUserInputError {
  constructor(field: 'to' | 'bucket', reason: string) {
    super(field, reason, { reasonCode: 'INVALID_SERIES_RANGE' });
  }
}
