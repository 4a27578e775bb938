import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * AES-256-GCM for secrets at rest: `v1:` + base64(iv | tag | ciphertext).
 * The version prefix leaves room for a future key or algorithm change.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(keyBase64: string) {
    const key = Buffer.from(keyBase64 ?? '', 'base64');
    if (key.length !== KEY_BYTES) {
      throw new Error(
        `SECRETS_ENCRYPTION_KEY must be base64 of exactly ${KEY_BYTES} bytes (got ${key.length}); generate one with: openssl rand -base64 32`,
      );
    }
    this.key = key;
  }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return VERSION + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  decrypt(box: string): string {
    if (!box.startsWith(VERSION)) {
      throw new Error('SecretBox: unknown format (expected a v1: prefix)');
    }
    const raw = Buffer.from(box.slice(VERSION.length), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) {
      throw new Error('SecretBox: ciphertext too short');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('SecretBox: decryption failed (tampered ciphertext or wrong key)');
    }
  }
}
