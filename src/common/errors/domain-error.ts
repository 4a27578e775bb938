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
  Internal = 'INTERNAL_SERVER_ERROR',
}

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  /** Extra, safe-to-show fields added to extensions (e.g. field, reason, retryAfterMs). */
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = ErrorCode.Unauthenticated;
}

export class ForbiddenError extends DomainError {
  readonly code = ErrorCode.Forbidden;
}

export class NotFoundError extends DomainError {
  readonly code = ErrorCode.NotFound;
  constructor(entity: string, id?: string) {
    super(id ? `${entity} ${id} not found` : `${entity} not found`, { entity });
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
