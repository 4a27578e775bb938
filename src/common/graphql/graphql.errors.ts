import { BadUserInputError, LimitExceededError, UnauthenticatedError } from '../errors/domain-error';

/**
 * GraphQL's own refusals. The limits are BAD_USER_INPUT with reasonCode LIMIT_EXCEEDED (as every limit is),
 * told apart by `field` and `limit`.
 */

/** Refused before execution: BAD_USER_INPUT, reasonCode LIMIT_EXCEEDED, naming the cost and the limit. */
export class QueryCostLimitError extends LimitExceededError {
  constructor(cost: number, limit: number) {
    const reason = `the operation costs at least ${cost}, over the limit of ${limit}: ask for fewer items (first), fewer nested lists or fewer aliases`;
    super('query', reason, limit);
  }
}

/** A socket asked for one more subscription than WS_MAX_SUBSCRIPTIONS_PER_SOCKET allows. */
export class SubscriptionLimitError extends LimitExceededError {
  constructor(limit: number) {
    const reason = `this socket already holds ${limit} operations, the limit (WS_MAX_SUBSCRIPTIONS_PER_SOCKET); complete one first`;
    super('subscribe', reason, limit);
  }
}

/** A variable nested deeper than MAX_VARIABLES_DEPTH: refused before graphql-js coerces it (recursively). */
export class VariablesTooDeepError extends LimitExceededError {
  constructor(variable: string, reason: string, limit: number) {
    super(variable, reason, limit);
  }
}

/** An `after` cursor we did not issue (or one we can no longer read). */
export class MalformedCursorError extends BadUserInputError {
  constructor(field = 'after') {
    super(field, 'malformed cursor', { reasonCode: 'CURSOR_MALFORMED' });
  }
}

/** `first` outside 1..MAX_PAGE_SIZE. */
export class PageSizeOutOfRangeError extends BadUserInputError {
  constructor(max: number) {
    super('first', `must be between 1 and ${max}`, { reasonCode: 'PAGE_SIZE_OUT_OF_RANGE' });
  }
}

/** A socket's JWT expired while it was open: the next subscribe is refused (and the socket closed, 4403). */
export class CredentialExpiredError extends UnauthenticatedError {
  constructor() {
    super('credential expired', { reasonCode: 'CREDENTIAL_EXPIRED' });
  }
}

/** Input text Postgres cannot store (a NUL, a lone surrogate), refused before any validator or resolver runs. */
export class UnstorableTextError extends BadUserInputError {
  constructor(field: string, reason: string) {
    super(field, reason, { reasonCode: 'TEXT_NOT_STORABLE' });
  }
}
