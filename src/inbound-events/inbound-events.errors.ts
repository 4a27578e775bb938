import { BadUserInputError, NotFoundError, UnprocessableError } from '../common/errors/domain-error';

/** No inbound event of the caller's tenant has this id. */
export class InboundEventNotFoundError extends NotFoundError {
  constructor(id?: string) {
    super('InboundEvent', id, 'INBOUND_EVENT_NOT_FOUND');
  }
}

/** A delete whose confirmation is not exactly the word asked for: nothing was deleted. */
export class DeleteNotConfirmedError extends UnprocessableError {
  constructor(confirmation: string) {
    super(`confirmation must be exactly ${confirmation}; nothing was deleted`, {
      field: 'confirmation',
      reasonCode: 'DELETE_NOT_CONFIRMED',
    });
  }
}

/** An `after` cursor issued under another orderBy than the one given now. */
export class CursorOrderingMismatchError extends BadUserInputError {
  constructor() {
    super('after', 'the cursor belongs to another ordering', { reasonCode: 'CURSOR_ORDERING_MISMATCH' });
  }
}

/** A bulk operation given both ways of selecting events: eventIds with applyToAll, integrationId or filter. */
export class AmbiguousSelectionError extends BadUserInputError {
  constructor(field: string, reason: string) {
    super(field, reason, { reasonCode: 'SELECTION_AMBIGUOUS' });
  }
}

/** A bulk operation given neither eventIds nor a whole selection (applyToAll with integrationId and filter). */
export class IncompleteSelectionError extends BadUserInputError {
  constructor(field: string, reason: string) {
    super(field, reason, { reasonCode: 'SELECTION_INCOMPLETE' });
  }
}

/** eventIds: []. */
export class EmptyEventIdsError extends BadUserInputError {
  constructor() {
    super('eventIds', 'must not be empty', { reasonCode: 'EVENT_IDS_EMPTY' });
  }
}

/** eventIds with an id that is not a UUID. */
export class InvalidEventIdError extends BadUserInputError {
  constructor() {
    super('eventIds', 'contains an id that is not a UUID', { reasonCode: 'EVENT_ID_INVALID' });
  }
}

/** applyToAll whose filter names another integration than integrationId. */
export class FilterIntegrationMismatchError extends BadUserInputError {
  constructor() {
    super('filter.integrationId', 'must be the same as integrationId', { reasonCode: 'FILTER_INTEGRATION_MISMATCH' });
  }
}

/**
 * Why POST /inbound/{provider}/{integrationId} (or POST /inbound/faire) refused a callback. These are answered by the receiver itself (not
 * thrown), in the shape DomainExceptionFilter gives REST errors: `{ error: { code, message, reasonCode } }`.
 */
export enum InboundRefusalReason {
  /** 404: no active integration of that provider has this id. */
  IntegrationNotFound = 'INTEGRATION_NOT_FOUND',
  /** 401, POST /inbound/faire: no X-Faire-Brand-Token header. */
  BrandTokenMissing = 'BRAND_TOKEN_MISSING',
  /** 404, POST /inbound/faire: no active Faire integration has this brand token. */
  BrandTokenUnknown = 'BRAND_TOKEN_UNKNOWN',
  /** 415: content-type is not application/json. */
  ContentTypeNotJson = 'CONTENT_TYPE_NOT_JSON',
  /** 401: the provider's signature is missing, malformed or does not match the raw body (message says which). */
  SignatureInvalid = 'SIGNATURE_INVALID',
  /** 400: a signed body that is not JSON (or, for Temu, cannot be decrypted into JSON). */
  BodyNotJson = 'BODY_NOT_JSON',
  /** 400: a signed JSON body that is neither an object nor an array. */
  BodyNotObject = 'BODY_NOT_OBJECT',
  /** 400: a signed body nested deeper than MAX_JSON_DEPTH (with `limit`). */
  LimitExceeded = 'LIMIT_EXCEEDED',
  /** 429: the integration's callbacks are past INBOUND_RATE_LIMIT_PER_MINUTE (with `retryAfterMs`, and Retry-After). */
  IntegrationRateLimited = 'INTEGRATION_RATE_LIMITED',
}

export interface InboundRefusal {
  code: string;
  message: string;
  reasonCode: InboundRefusalReason;
  limit?: number;
  retryAfterMs?: number;
}
