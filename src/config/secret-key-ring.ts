/**
 * The key ring of secrets at rest (SECRETS_ENCRYPTION_KEYS=id:base64key,...): the first key encrypts, every key
 * of the ring decrypts what was sealed under its id. The legacy SECRETS_ENCRYPTION_KEY is the key id `default`.
 * Errors name the entry (its position and id) and never the key material.
 */

export const KEY_BYTES = 32;
/** The id of the single SECRETS_ENCRYPTION_KEY, and of values stored before key ids existed (`v1:`). */
export const DEFAULT_KEY_ID = 'default';
export const MAX_KEYS = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface SecretKey {
  id: string;
  key: Buffer;
}

export class KeyRingError extends Error {}

/** One `id:base64key` entry; `position` is 1-based, for the message. */
function parseEntry(entry: string, position: number): SecretKey {
  const where = `SECRETS_ENCRYPTION_KEYS entry ${position}`;
  const colon = entry.indexOf(':');
  if (colon < 0) throw new KeyRingError(`${where}: expected id:base64key (no ':' found)`);
  const id = entry.slice(0, colon).trim();
  const material = entry.slice(colon + 1).trim();
  if (!KEY_ID.test(id)) {
    throw new KeyRingError(`${where}: the key id must be 1-32 characters of A-Z a-z 0-9 _ - (got ${idForMessage(id)})`);
  }
  const key = BASE64.test(material) ? Buffer.from(material, 'base64') : null;
  if (!key || key.length !== KEY_BYTES) {
    const got = key ? `${key.length} bytes` : 'not base64';
    throw new KeyRingError(
      `${where} (key id "${id}"): the key must be base64 of exactly ${KEY_BYTES} bytes (${got}); generate one with: openssl rand -base64 32`,
    );
  }
  return { id, key };
}

/** A bad id is shown only when it is short and printable, so a pasted key never reaches a log. */
function idForMessage(id: string): string {
  if (id === '') return 'an empty id';
  return id.length <= 32 && /^[\x21-\x7e]+$/.test(id) ? `"${id}"` : `${id.length} characters`;
}

/**
 * The ring from both variables. When both are set, SECRETS_ENCRYPTION_KEYS comes first (its first key encrypts)
 * and SECRETS_ENCRYPTION_KEY is appended as `default`, unless the ring already has a `default` entry: the same key
 * is accepted, a different one refused.
 */
export function parseKeyRing(ring: string | undefined, legacy: string | undefined): SecretKey[] {
  const keys: SecretKey[] = [];
  if (ring !== undefined) {
    const entries = ring.split(',');
    if (entries.length > MAX_KEYS) {
      throw new KeyRingError(`SECRETS_ENCRYPTION_KEYS: at most ${MAX_KEYS} keys (got ${entries.length})`);
    }
    entries.forEach((entry, i) => {
      if (entry.trim() === '') throw new KeyRingError(`SECRETS_ENCRYPTION_KEYS entry ${i + 1}: empty`);
      const key = parseEntry(entry, i + 1);
      if (keys.some((k) => k.id === key.id)) {
        throw new KeyRingError(`SECRETS_ENCRYPTION_KEYS entry ${i + 1}: duplicate key id "${key.id}"`);
      }
      keys.push(key);
    });
  }
  if (legacy !== undefined) {
    const key = BASE64.test(legacy) ? Buffer.from(legacy, 'base64') : null;
    if (!key || key.length !== KEY_BYTES) {
      throw new KeyRingError(`SECRETS_ENCRYPTION_KEY: must be base64 of exactly ${KEY_BYTES} bytes`);
    }
    const named = keys.find((k) => k.id === DEFAULT_KEY_ID);
    if (named && !named.key.equals(key)) {
      throw new KeyRingError(
        `SECRETS_ENCRYPTION_KEYS has a key id "${DEFAULT_KEY_ID}" that differs from SECRETS_ENCRYPTION_KEY; keep one of them`,
      );
    }
    if (!named) keys.push({ id: DEFAULT_KEY_ID, key });
  }
  return keys;
}
