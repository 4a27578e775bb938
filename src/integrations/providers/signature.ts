import { createHmac, timingSafeEqual } from 'node:crypto';

const SHA256_BYTES = 32;
const HEX_DIGEST = /^[0-9a-f]{64}$/i;
const BASE64_DIGEST = /^[A-Za-z0-9+/]{43}=?$|^[A-Za-z0-9_-]{43}=?$/;

export function hmacSha256(key: string | Buffer, ...parts: (string | Buffer)[]): Buffer {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/** A SHA-256 digest given as hex or base64 (standard or url-safe), optionally prefixed `sha256=`; null if neither. */
export function decodeSha256Digest(value: string): Buffer | null {
  const digest = value.trim().replace(/^sha256=/i, '');
  if (HEX_DIGEST.test(digest)) return Buffer.from(digest, 'hex');
  if (BASE64_DIGEST.test(digest)) {
    const bytes = Buffer.from(digest.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return bytes.length === SHA256_BYTES ? bytes : null;
  }
  return null;
}

/** Constant-time comparison; buffers of different lengths never match. */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
