import { createHash } from 'node:crypto';
import { digestsEqual } from './providers/signature';

/**
 * Faire's brand token (`X-Faire-Brand-Token`) finds the integration a callback to `POST /inbound/faire` is for.
 * Only its SHA-256 is stored (hex, `integrations.brand_token_hash`, unique across tenants: the route names no tenant).
 */
export const BRAND_TOKEN_MIN_LENGTH = 8;
export const BRAND_TOKEN_MAX_LENGTH = 256;
/** Printable ASCII without spaces: what an HTTP header carries unchanged. */
export const BRAND_TOKEN_PATTERN = /^[\x21-\x7e]+$/;

export function hashBrandToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time check of a presented token against a stored hash. */
export function brandTokenMatches(storedHash: string, presented: string): boolean {
  return digestsEqual(Buffer.from(storedHash, 'hex'), Buffer.from(hashBrandToken(presented), 'hex'));
}

/** What a header value must look like before it is hashed and looked up (bounded like the input). */
export function isPlausibleBrandToken(value: string): boolean {
  return (
    value.length >= BRAND_TOKEN_MIN_LENGTH && value.length <= BRAND_TOKEN_MAX_LENGTH && BRAND_TOKEN_PATTERN.test(value)
  );
}
