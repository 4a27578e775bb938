import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../common/errors/domain-error';

/** No Authorization header (or connectionParams.authorization on a socket). */
export class MissingCredentialsError extends UnauthenticatedError {
  constructor() {
    super('missing credentials: send Authorization: Bearer <token>', { reasonCode: 'CREDENTIALS_MISSING' });
  }
}

/** An Authorization header that is not `Bearer <token>`. */
export class MalformedAuthorizationError extends UnauthenticatedError {
  constructor() {
    super('malformed Authorization header: expected "Bearer <token>"', { reasonCode: 'AUTHORIZATION_MALFORMED' });
  }
}

/** A bearer credential longer than any key or token we issue. */
export class CredentialTooLongError extends UnauthenticatedError {
  constructor() {
    super('credential too long', { reasonCode: 'CREDENTIAL_TOO_LONG' });
  }
}

/** A JWT past its `exp`. */
export class TokenExpiredError extends UnauthenticatedError {
  constructor() {
    super('token expired', { reasonCode: 'TOKEN_EXPIRED' });
  }
}

/** A JWT that does not verify: malformed, another algorithm, another key. */
export class InvalidTokenError extends UnauthenticatedError {
  constructor(why?: string) {
    super(why ? `invalid token: ${why}` : 'invalid token', { reasonCode: 'TOKEN_INVALID' });
  }
}

/** A JWT that verifies but lacks a claim we need, or has one of the wrong shape (exp, iat, sub, tenant_id). */
export class InvalidTokenClaimError extends UnauthenticatedError {
  constructor(why: string) {
    super(`invalid token: ${why}`, { reasonCode: 'TOKEN_CLAIM_INVALID' });
  }
}

/** A JWT valid for longer than JWT_MAX_LIFETIME_SECONDS (from iat, or from now). */
export class TokenLifetimeTooLongError extends UnauthenticatedError {
  constructor(maxLifetimeSeconds: number) {
    super(`invalid token: lifetime over the maximum of ${maxLifetimeSeconds} s (JWT_MAX_LIFETIME_SECONDS)`, {
      reasonCode: 'TOKEN_LIFETIME_TOO_LONG',
    });
  }
}

const INVALID_API_KEY = 'invalid or revoked API key';

/** A `whk_` key that was never issued. The message does not say which of unknown and revoked it is. */
export class InvalidApiKeyError extends UnauthenticatedError {
  constructor() {
    super(INVALID_API_KEY, { reasonCode: 'API_KEY_INVALID' });
  }
}

/** A `whk_` key that was issued and has been revoked. */
export class ApiKeyRevokedError extends UnauthenticatedError {
  constructor() {
    super(INVALID_API_KEY, { reasonCode: 'API_KEY_REVOKED' });
  }
}

/** An operation that declares no @RequirePermission (deny by default). */
export class PermissionNotDeclaredError extends ForbiddenError {
  constructor() {
    super('this operation is not open to any permission', { reasonCode: 'PERMISSION_NOT_DECLARED' });
  }
}

/** An @AdminOnly() operation (API key management, the retention policy) called with an API key. */
export class AdminOnlyError extends ForbiddenError {
  constructor() {
    super('only an admin JWT may call this operation, not an API key', { reasonCode: 'ADMIN_ONLY' });
  }
}

/** The caller lacks the operation's permission (named in extensions.permission). */
export class MissingPermissionError extends ForbiddenError {
  constructor(permission: string) {
    super(`missing permission ${permission}`, { permission, reasonCode: 'PERMISSION_MISSING' });
  }
}

/** No API key of the caller's tenant has this id. */
export class ApiKeyNotFoundError extends NotFoundError {
  constructor(id?: string) {
    super('ApiKey', id, 'API_KEY_NOT_FOUND');
  }
}
