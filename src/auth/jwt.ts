import { JsonWebTokenError, TokenExpiredError as JwtExpiredError, verify } from 'jsonwebtoken';
import { createSecretKey, KeyObject } from 'node:crypto';
import { InvalidTokenClaimError, InvalidTokenError, TokenExpiredError, TokenLifetimeTooLongError } from './auth.errors';

export interface AdminClaims {
  sub: string;
  tenantId: string;
  permissions: string[];
}

export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/**
 * Given a string, jsonwebtoken first tries createPublicKey on it, which throws for an HMAC secret, on every
 * request (a tenth of the api's CPU in the soak profile). A KeyObject made once skips that.
 */
let cachedKey: { secret: string; key: KeyObject } | undefined;
function hmacKey(secret: string): KeyObject {
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
  return cachedKey.key;
}

/** Default of JWT_MAX_LIFETIME_SECONDS: a token may be valid for at most a day. */
export const DEFAULT_JWT_MAX_LIFETIME_SECONDS = 86_400;
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * HS256 only: `alg: none` and every other algorithm are refused; `exp` is required, and may lie at most
 * `maxLifetimeSeconds` after `iat` (when present) and after now, so an `exp: 1e300` token is not a permanent credential.
 */
export function verifyAdminJwt(
  token: string,
  secret: string,
  maxLifetimeSeconds = DEFAULT_JWT_MAX_LIFETIME_SECONDS,
  nowMs = Date.now(),
): AdminClaims {
  let payload: unknown;
  try {
    payload = verify(token, hmacKey(secret), {
      algorithms: ['HS256'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      clockTimestamp: Math.floor(nowMs / 1000),
    });
  } catch (error) {
    if (error instanceof JwtExpiredError) throw new TokenExpiredError();
    if (error instanceof JsonWebTokenError) throw new InvalidTokenError(error.message);
    throw new InvalidTokenError();
  }
  if (typeof payload !== 'object' || payload === null) throw new InvalidTokenClaimError('no claims');
  const claims = payload as Record<string, unknown>;
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp))
    throw new InvalidTokenClaimError('exp claim required');
  assertLifetime(claims.exp, claims.iat, maxLifetimeSeconds, nowMs / 1000);
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new InvalidTokenClaimError('sub claim required');
  if (typeof claims.tenant_id !== 'string' || !TENANT_ID_PATTERN.test(claims.tenant_id)) {
    throw new InvalidTokenClaimError('tenant_id claim must be 1-64 characters of letters, digits, _ . : -');
  }
  const permissions = Array.isArray(claims.permissions)
    ? claims.permissions.filter((p): p is string => typeof p === 'string')
    : [];
  return { sub: claims.sub, tenantId: claims.tenant_id, permissions };
}

function assertLifetime(exp: number, iat: unknown, maxLifetimeSeconds: number, nowSeconds: number): void {
  if (exp - nowSeconds > maxLifetimeSeconds + CLOCK_TOLERANCE_SECONDS)
    throw new TokenLifetimeTooLongError(maxLifetimeSeconds);
  if (iat === undefined) return;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new InvalidTokenClaimError('iat claim must be a number');
  if (exp - iat > maxLifetimeSeconds) throw new TokenLifetimeTooLongError(maxLifetimeSeconds);
}
