import { createCipheriv, randomBytes } from 'node:crypto';
import { DEFAULT_KEY_ID, SecretKey } from '../../config/secret-key-ring';
import { SecretKeyMissingError } from './crypto.errors';
import { SecretBox } from './secret-box';

const key = (id: string): SecretKey => ({ id, key: randomBytes(32) });

/** A value as the single-key SecretBox stored it before key ids: `v1:` + base64(iv | tag | ciphertext), no AAD. */
function legacyV1(plain: string, keyBytes: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyBytes, iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return 'v1:' + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

describe('SecretBox', () => {
  const a = key('A');
  const b = key('B');
  const box = new SecretBox([a]);

  it('round-trips a secret, including non-ASCII and empty strings', () => {
    for (const plain of ['whsec_abc123', 'ünïcödé ✓', '']) {
      expect(box.decrypt(box.encrypt(plain))).toBe(plain);
    }
  });

  it('uses the v2 format naming the current key id, with a random IV, so two encryptions differ', () => {
    const one = box.encrypt('same');
    const two = box.encrypt('same');
    expect(one).toMatch(/^v2:A:[A-Za-z0-9+/]+=*$/);
    expect(one).not.toBe(two);
    // iv(12) + tag(16) + 4 bytes of ciphertext
    expect(Buffer.from(one.slice('v2:A:'.length), 'base64')).toHaveLength(12 + 16 + 4);
    expect(SecretBox.keyIdOf(one)).toBe('A');
    expect(box.currentKeyId).toBe('A');
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const sealed = Buffer.from(box.encrypt('secret value').slice(5), 'base64');
    for (const index of [0, 12, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[index] ^= 0x01;
      expect(() => box.decrypt('v2:A:' + tampered.toString('base64'))).toThrow(/tampered|wrong key/);
    }
  });

  it('fails with the wrong key under the same id', () => {
    const sealed = box.encrypt('secret value');
    expect(() => new SecretBox([key('A')]).decrypt(sealed)).toThrow(/decryption failed under key id "A"/);
  });

  it('binds the key id to the ciphertext: a relabelled value does not open', () => {
    const ring = new SecretBox([b, a]);
    const underA = new SecretBox([a]).encrypt('x');
    expect(ring.decrypt(underA)).toBe('x');
    expect(() => ring.decrypt(underA.replace(/^v2:A:/, 'v2:B:'))).toThrow(/decryption failed under key id "B"/);
  });

  it('rejects unknown formats and truncated input', () => {
    expect(() => box.decrypt('v3:AAAA')).toThrow(/unknown format/);
    expect(() => box.decrypt('v2:AAAA')).toThrow(/malformed/);
    expect(() => box.decrypt('v2::AAAA')).toThrow(/malformed/);
    expect(() => box.decrypt('v2:Z:AAAA')).toThrow(SecretKeyMissingError);
    expect(() => box.decrypt('v2:A:AAAA')).toThrow(/too short/);
    expect(() => new SecretBox([])).toThrow(/empty/);
  });

  it('seals with the first key of the ring and opens what any key of the ring sealed', () => {
    const old = new SecretBox([a]).encrypt('made under A');
    const ring = new SecretBox([b, a]);
    expect(ring.decrypt(old)).toBe('made under A');
    const fresh = ring.encrypt('made under B');
    expect(SecretBox.keyIdOf(fresh)).toBe('B');
    expect(new SecretBox([b]).decrypt(fresh)).toBe('made under B');
  });

  it('reads a legacy v1 value (no key id) as key id "default"', () => {
    const legacyKey = key(DEFAULT_KEY_ID);
    const stored = legacyV1('whsec_legacy', legacyKey.key);
    expect(SecretBox.keyIdOf(stored)).toBe('default');
    expect(new SecretBox([b, legacyKey]).decrypt(stored)).toBe('whsec_legacy');
    expect(() => new SecretBox([b]).decrypt(stored)).toThrow(SecretKeyMissingError);
  });

  it('names the missing key id in a SecretKeyMissingError (SECRET_KEY_MISSING), never key material', () => {
    const underA = new SecretBox([a]).encrypt('x');
    let caught: unknown;
    try {
      new SecretBox([b]).decrypt(underA);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SecretKeyMissingError);
    const error = caught as SecretKeyMissingError;
    expect(error.keyId).toBe('A');
    expect(error.reasonCode).toBe('SECRET_KEY_MISSING');
    expect(error.extensions()).toMatchObject({ keyId: 'A', reason: 'SECRET_KEY_MISSING' });
    expect(error.message).toContain('"A"');
    expect(error.message).not.toContain(a.key.toString('base64'));
    expect(error.message).not.toContain(b.key.toString('base64'));
  });

  it('reseals onto the current key, and leaves a value already on it untouched', () => {
    const ring = new SecretBox([b, a]);
    const underA = new SecretBox([a]).encrypt('move me');
    const moved = ring.reseal(underA);
    expect(SecretBox.keyIdOf(moved)).toBe('B');
    expect(new SecretBox([b]).decrypt(moved)).toBe('move me');
    expect(ring.reseal(moved)).toBe(moved);
    const legacy = legacyV1('old', a.key);
    expect(() => ring.reseal(legacy)).toThrow(SecretKeyMissingError); // v1 is "default", not A
  });
});
