import { BadUserInputError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../common/errors/domain-error';

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

// ------------------------------------------------------------------ portal sessions

const INVALID_PORTAL_SESSION = 'invalid, expired or ended portal session';

/** A `whp_` token that was never issued. */
export class InvalidPortalSessionError extends UnauthenticatedError {
  constructor() {
    super(INVALID_PORTAL_SESSION, { reasonCode: 'PORTAL_SESSION_INVALID' });
  }
}

/** A portal session past its expiresAt. */
export class PortalSessionExpiredError extends UnauthenticatedError {
  constructor() {
    super(INVALID_PORTAL_SESSION, { reasonCode: 'PORTAL_SESSION_EXPIRED' });
  }
}

/** A portal session whose creator API key has been revoked since. */
export class PortalSessionEndedError extends UnauthenticatedError {
  constructor() {
    super(INVALID_PORTAL_SESSION, { reasonCode: 'PORTAL_SESSION_ENDED' });
  }
}

/** ttlSeconds outside 60..86400. */
export class PortalSessionTtlError extends BadUserInputError {
  constructor(min: number, max: number) {
    super('ttlSeconds', `must be an integer from ${min} to ${max} seconds`, {
      reasonCode: 'PORTAL_SESSION_TTL_INVALID',
    });
  }
}

/** A permission name that does not exist, or an empty list. */
export class InvalidPortalPermissionsError extends BadUserInputError {
  constructor(reason: string) {
    super('permissions', reason, { reasonCode: 'PORTAL_PERMISSIONS_INVALID' });
  }
}

/** The channel is not a non-empty string of at most 200 characters without control characters (as endpoint channels). */
export class InvalidPortalChannelError extends BadUserInputError {
  constructor(reason: string) {
    super('channel', reason, { reasonCode: 'PORTAL_CHANNEL_INVALID' });
  }
}

/** A session may carry only permissions its creator holds. */
export class PortalPermissionNotHeldError extends ForbiddenError {
  constructor(permission: string) {
    super(`a portal session may only carry permissions of its creator, who lacks ${permission}`, {
      permission,
      reasonCode: 'PORTAL_PERMISSION_NOT_HELD',
    });
  }
}

/** A portal session may not create portal sessions (it would outlive itself). */
export class PortalSessionCreationNotAllowedError extends ForbiddenError {
  constructor() {
    super('a portal session cannot create portal sessions; use an API key or an admin JWT', {
      reasonCode: 'PORTAL_SESSION_CREATION_NOT_ALLOWED',
    });
  }
}

/** A tenant-wide operation called by a portal session limited to one channel (deny by default). */
export class OutsideChannelScopeError extends ForbiddenError {
  constructor(channel: string) {
    super(`this operation is tenant-wide; a portal session limited to channel ${channel} may not call it`, {
      channel,
      reasonCode: 'OUTSIDE_CHANNEL_SCOPE',
    });
  }
}
