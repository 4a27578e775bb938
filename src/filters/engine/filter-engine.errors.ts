import { BadUserInputError, LIMIT_EXCEEDED, LimitExceededError } from '../../common/errors/domain-error';

export { LIMIT_EXCEEDED };

/** A filter or reducer hit one of FilterLimits: BAD_USER_INPUT, reasonCode LIMIT_EXCEEDED, with the limit named. */
export class FilterLimitError extends LimitExceededError {}

/*
 * The engine's compile-time refusals: BAD_USER_INPUT with the field and the reason a person reads, and
 * a stable reasonCode a client can branch on.
 */

/** A filter node that is neither a leaf (query/condition) nor a group (logic/conditions). */
export class FilterShapeError extends BadUserInputError {
  constructor(field: string, reason: string) {
    super(field, reason, { reasonCode: 'FILTER_SHAPE_INVALID' });
  }
}

/** Condition text that is not a string, is empty, or does not parse (with the position where it can). */
export class ConditionSyntaxError extends BadUserInputError {
  constructor(field: string, reason: string, details: { position?: number } = {}) {
    super(field, reason, { ...details, reasonCode: 'CONDITION_SYNTAX_ERROR' });
  }
}

/** A condition that parses but uses what the whitelist does not allow (a name, operator, method or construct). */
export class ConditionNotAllowedError extends BadUserInputError {
  constructor(field: string, reason: string, details: { position?: number } = {}) {
    super(field, reason, { ...details, reasonCode: 'CONDITION_NOT_ALLOWED' });
  }
}

/** A JSONPath query that is not a string or does not parse as RFC 9535 (with the position where it can). */
export class JsonPathSyntaxError extends BadUserInputError {
  constructor(field: string, reason: string, details: { position?: number } = {}) {
    super(field, reason, { ...details, reasonCode: 'JSONPATH_SYNTAX_ERROR' });
  }
}

/** A valid JSONPath query the engine refuses to run (regex functions, more than one `..`, many-node filter queries). */
export class JsonPathNotAllowedError extends BadUserInputError {
  constructor(field: string, reason: string) {
    super(field, reason, { reasonCode: 'JSONPATH_NOT_ALLOWED' });
  }
}

/** A reducer template that is not a JSON object, holds a non-JSON value, or a `__proto__` key. */
export class ReducerShapeError extends BadUserInputError {
  constructor(field: string, reason: string) {
    super(field, reason, { reasonCode: 'REDUCER_SHAPE_INVALID' });
  }
}

/**
 * A condition failed while running (wrong type, missing property, denied key).
 * Never leaves the engine: the leaf becomes false and the explanation says why.
 */
export class ConditionRuntimeError extends Error {
  override readonly name = 'ConditionRuntimeError';
}

/** The reason to show a person: BadUserInputError carries it without the field prefix. */
export function errorReason(error: unknown): string {
  if (error instanceof BadUserInputError) {
    const reason = error.details.reason;
    if (typeof reason === 'string') return reason;
  }
  if (error instanceof Error) return error.message;
  return 'unknown error';
}
