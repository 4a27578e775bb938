import { BadUserInputError, ConflictError } from '../errors/domain-error';

/** How long a client should wait before retrying a key that is still in flight. */
const RETRY_AFTER_MS = 1000;

/** An idempotency key that is empty, too long, or has control characters. */
export class InvalidIdempotencyKeyError extends BadUserInputError {
  constructor(field: string, reason: string) {
    super(field, reason, { reasonCode: 'IDEMPOTENCY_KEY_INVALID' });
  }
}

/**
 * The key was used (within 24 h) with other input. `field` names the key (`idempotencyKey`, or
 * `inputs[3].idempotencyKey` in a batch); `message` says which.
 */
export class IdempotencyKeyReusedError extends ConflictError {
  constructor(message: string, field: string) {
    super(message, { field, reasonCode: 'IDEMPOTENCY_KEY_REUSED' });
  }
}

/** The first request with this key has not finished: retry after retryAfterMs. */
export class IdempotencyInFlightError extends ConflictError {
  constructor(message: string) {
    super(message, { retryAfterMs: RETRY_AFTER_MS, reasonCode: 'IDEMPOTENCY_IN_FLIGHT' });
  }
}
