import { LimitExceededError, RateLimitedDomainError } from '../errors/domain-error';

/** A credential past its rate limit (API_RATE_LIMIT_PER_MINUTE and its burst): RATE_LIMITED, with retryAfterMs. */
export class CredentialRateLimitedError extends RateLimitedDomainError {
  constructor(readonly retryAfterMs: number) {
    super(`rate limit exceeded for this credential: retry after ${retryAfterMs} ms`, {
      reasonCode: 'CREDENTIAL_RATE_LIMITED',
      retryAfterMs,
    });
  }
}

/** A request that needs more points at once than the rate limit can ever grant (a batch larger than any window). */
export class RateLimitRequestTooLargeError extends LimitExceededError {
  constructor(field: string, points: number, limit: number) {
    super(
      field,
      `needs ${points} rate-limit points at once, more than the rate limit ever grants at once (${limit}): send fewer items per call`,
      limit,
    );
  }
}
