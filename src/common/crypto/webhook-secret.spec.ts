import { randomBytes } from 'node:crypto';
import { generateWebhookSecret, secretKeyBytes } from './webhook-secret';

describe('generateWebhookSecret', () => {
  it('returns whsec_ + base64 of 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKeyBytes(secret)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});

describe('secretKeyBytes', () => {
  it('decodes the base64 part after whsec_', () => {
    const key = randomBytes(24);
    expect(secretKeyBytes('whsec_' + key.toString('base64')).equals(key)).toBe(true);
    expect(secretKeyBytes('whsec_' + randomBytes(64).toString('base64'))).toHaveLength(64);
  });

  it('rejects a missing prefix, bad base64 and keys outside 24-64 bytes', () => {
    expect(() => secretKeyBytes(randomBytes(32).toString('base64'))).toThrow(/whsec_/);
    expect(() => secretKeyBytes('whsec_not*base64!')).toThrow(/base64/);
    expect(() => secretKeyBytes('whsec_')).toThrow(/base64/);
    expect(() => secretKeyBytes('whsec_' + randomBytes(23).toString('base64'))).toThrow(/24-64 bytes \(got 23\)/);
    expect(() => secretKeyBytes('whsec_' + randomBytes(65).toString('base64'))).toThrow(/got 65/);
  });
});
