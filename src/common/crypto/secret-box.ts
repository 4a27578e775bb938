import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DEFAULT_KEY_ID, KEY_BYTES, SecretKey } from '../../config/secret-key-ring';
import { SecretKeyMissingError } from './crypto.errors';

const LEGACY = 'v1:';
const VERSION = 'v2:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets at rest, under a key ring: `v2:<keyId>:` + base64(iv | tag | ciphertext), the prefix
 * bound to the ciphertext as additional authenticated data (a key id swapped by hand fails to open). The first key
 * of the ring seals; any key of the ring opens what carries its id. `v1:` values (sealed before key ids existed)
 * are key id `default`.
 */
export class SecretBox {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly currentKeyId: string;

  constructor(ring: readonly SecretKey[]) {
    if (ring.length === 0) throw new Error('SecretBox: the key ring is empty (set SECRETS_ENCRYPTION_KEYS)');
    for (const { id, key } of ring) {
      if (key.length !== KEY_BYTES) throw new Error(`SecretBox: key id "${id}" is not ${KEY_BYTES} bytes`);
    }
    this.keys = new Map(ring.map(({ id, key }) => [id, key]));
    this.currentKeyId = ring[0].id;
  }

  /** The key id a stored value was sealed under (without opening it). */
  static keyIdOf(box: string): string {
    if (box.startsWith(LEGACY)) return DEFAULT_KEY_ID;
    if (!box.startsWith(VERSION)) throw new Error('SecretBox: unknown format (expected a v1: or v2: prefix)');
    const end = box.indexOf(':', VERSION.length);
    if (end <= VERSION.length) throw new Error('SecretBox: malformed v2 value (no key id)');
    return box.slice(VERSION.length, end);
  }

  encrypt(plain: string): string {
    const prefix = `${VERSION}${this.currentKeyId}:`;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.currentKeyId), iv);
    cipher.setAAD(Buffer.from(prefix, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return prefix + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  /** Throws SecretKeyMissingError when the value's key id is not in the ring. */
  decrypt(box: string): string {
    const keyId = SecretBox.keyIdOf(box);
    const key = this.key(keyId);
    const legacy = box.startsWith(LEGACY);
    const prefix = legacy ? LEGACY : `${VERSION}${keyId}:`;
    const raw = Buffer.from(box.slice(prefix.length), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('SecretBox: ciphertext too short');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    if (!legacy) decipher.setAAD(Buffer.from(prefix, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`SecretBox: decryption failed under key id "${keyId}" (tampered ciphertext or wrong key)`);
    }
  }

  /** The value sealed under the current key: itself when it already is, else opened and sealed again. */
  reseal(box: string): string {
    return SecretBox.keyIdOf(box) === this.currentKeyId ? box : this.encrypt(this.decrypt(box));
  }

  private key(keyId: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) throw new SecretKeyMissingError(keyId);
    return key;
  }
}

/**
 * SQL for the key id of a stored value in `column` (NULL stays NULL), as SecretBox.keyIdOf reads it: what the
 * re-encryption scans compare with the current key id.
 */
export function keyIdSql(column: string): string {
  return `(CASE WHEN ${column} LIKE 'v2:%' THEN split_part(${column}, ':', 2) WHEN ${column} IS NULL THEN NULL ELSE '${DEFAULT_KEY_ID}' END)`;
}
