/**
 * The contract's error codes (../shared/contract/README.md "Errors").
 * Services throw DomainError subclasses; one formatter maps them to extensions.code.
 */
export enum ErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  BadUserInput = 'BAD_USER_INPUT',
  Conflict = 'CONFLICT',
  Unprocessable = 'UNPROCESSABLE',
  /** A credential (or an integration's callbacks) past its rate limit; comes with retryAfterMs. */
  RateLimited = 'RATE_LIMITED',
  Internal = 'INTERNAL_SERVER_ERROR',
}

/**
 * Every DomainError names its fault with a stable, machine-readable `reasonCode` (UPPER_SNAKE, e.g.
 * ENDPOINT_NOT_FOUND, REPLAY_NOT_ALLOWED), sent as extensions.reasonCode. Named errors live in one
 * `<module>.errors.ts` per module and pass it in `details.reasonCode`; the base classes give a generic one.
 * For every code but BAD_USER_INPUT it is also extensions.reason. BAD_USER_INPUT keeps the contract's
 * human-readable `reason` (with `field`) and carries the code only as reasonCode.
 */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  /** Extra, safe-to-show fields added to extensions (e.g. field, reason, reasonCode, retryAfterMs). */
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }

  /** The stable reason: details.reasonCode, or the generic one of the error's code. */
  get reasonCode(): string {
    const given = this.details.reasonCode;
    return typeof given === 'string' ? given : GENERIC_REASON[this.code];
  }

  /** What extensions carry besides the code. */
  extensions(): Record<string, unknown> {
    const reasonCode = this.reasonCode;
    if (this.code === ErrorCode.BadUserInput) return { ...this.details, reasonCode };
    return { ...this.details, reason: reasonCode, reasonCode };
  }
}

/** The reason an error gets when it is not a named one. */
const GENERIC_REASON: Record<ErrorCode, string> = {
  [ErrorCode.Unauthenticated]: 'UNAUTHENTICATED',
  [ErrorCode.Forbidden]: 'FORBIDDEN',
  [ErrorCode.NotFound]: 'NOT_FOUND',
  [ErrorCode.BadUserInput]: 'INVALID_INPUT',
  [ErrorCode.Conflict]: 'CONFLICT',
  [ErrorCode.Unprocessable]: 'UNPROCESSABLE',
  [ErrorCode.RateLimited]: 'RATE_LIMITED',
  [ErrorCode.Internal]: 'INTERNAL',
};

export class UnauthenticatedError extends DomainError {
  readonly code = ErrorCode.Unauthenticated;
}

export class ForbiddenError extends DomainError {
  readonly code = ErrorCode.Forbidden;
}

function notFoundReason(entity: string): string {
  const words = entity.trim().replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  return `${words.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_NOT_FOUND`;
}

/**
 * Reason: `<ENTITY>_NOT_FOUND` ("Delivery" → DELIVERY_NOT_FOUND, "EventType" or "event type" → EVENT_TYPE_NOT_FOUND),
 * unless a named subclass gives its own.
 */
export class NotFoundError extends DomainError {
  readonly code = ErrorCode.NotFound;
  constructor(entity: string, id?: string, reasonCode = notFoundReason(entity)) {
    super(id ? `${entity} ${id} not found` : `${entity} not found`, { entity, reasonCode });
  }
}

/** Bad input: names the field and the reason. */
export class BadUserInputError extends DomainError {
  readonly code = ErrorCode.BadUserInput;
  constructor(field: string, reason: string, details: Record<string, unknown> = {}) {
    super(`${field}: ${reason}`, { field, reason, ...details });
  }
}

/** extensions.reasonCode of a BAD_USER_INPUT that hit a limit (as FilterLimitError reports it). */
export const LIMIT_EXCEEDED = 'LIMIT_EXCEEDED';

/** Bad input because it is over a limit: names the field, the reason and the limit. */
export class LimitExceededError extends BadUserInputError {
  constructor(field: string, reason: string, limit: number) {
    super(field, reason, { limit, reasonCode: LIMIT_EXCEEDED });
  }
}

export class ConflictError extends DomainError {
  readonly code = ErrorCode.Conflict;
}

export class UnprocessableError extends DomainError {
  readonly code = ErrorCode.Unprocessable;
}

export class RateLimitedDomainError extends DomainError {
  readonly code = ErrorCode.RateLimited;
}
