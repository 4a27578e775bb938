import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

const key = (): string => randomBytes(32).toString('base64');

describe('SecretBox', () => {
  const box = new SecretBox(key());

  it('round-trips a secret, including non-ASCII and empty strings', () => {
    for (const plain of ['whsec_abc123', 'ünïcödé ✓', '']) {
      expect(box.decrypt(box.encrypt(plain))).toBe(plain);
    }
  });

  it('uses the v1 format with a random IV, so two encryptions differ', () => {
    const a = box.encrypt('same');
    const b = box.encrypt('same');
    expect(a).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(a).not.toBe(b);
    // iv(12) + tag(16) + 4 bytes of ciphertext
    expect(Buffer.from(a.slice(3), 'base64')).toHaveLength(12 + 16 + 4);
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const sealed = Buffer.from(box.encrypt('secret value').slice(3), 'base64');
    for (const index of [0, 12, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[index] ^= 0x01;
      expect(() => box.decrypt('v1:' + tampered.toString('base64'))).toThrow(/tampered|wrong key/);
    }
  });

  it('fails with the wrong key', () => {
    const sealed = box.encrypt('secret value');
    expect(() => new SecretBox(key()).decrypt(sealed)).toThrow(/decryption failed/);
  });

  it('rejects unknown formats and truncated input', () => {
    expect(() => box.decrypt('v2:AAAA')).toThrow(/unknown format/);
    expect(() => box.decrypt('v1:AAAA')).toThrow(/too short/);
  });

  it('rejects a key that does not decode to 32 bytes, naming SECRETS_ENCRYPTION_KEY', () => {
    for (const bad of ['', randomBytes(16).toString('base64'), randomBytes(33).toString('base64'), 'not base64!']) {
      expect(() => new SecretBox(bad)).toThrow(/SECRETS_ENCRYPTION_KEY/);
    }
  });
});
