import { createHash } from 'node:crypto';
import { brandTokenMatches, hashBrandToken, isPlausibleBrandToken } from './brand-token';

describe('brand token', () => {
  const token = 'bt_9f8e7d6c5b4a3210';

  it('is stored as the hex SHA-256 of the token', () => {
    expect(hashBrandToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashBrandToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches only the token that was hashed', () => {
    const stored = hashBrandToken(token);
    expect(brandTokenMatches(stored, token)).toBe(true);
    expect(brandTokenMatches(stored, `${token}x`)).toBe(false);
    expect(brandTokenMatches(stored, token.toUpperCase())).toBe(false);
    expect(brandTokenMatches('', token)).toBe(false);
  });

  it('is plausible only between 8 and 256 printable ASCII characters without spaces', () => {
    expect(isPlausibleBrandToken(token)).toBe(true);
    expect(isPlausibleBrandToken('a'.repeat(256))).toBe(true);
    expect(isPlausibleBrandToken('a'.repeat(257))).toBe(false);
    expect(isPlausibleBrandToken('1234567')).toBe(false);
    expect(isPlausibleBrandToken('with space in it')).toBe(false);
    expect(isPlausibleBrandToken('tökenwithumlaut')).toBe(false);
    expect(isPlausibleBrandToken('token\nnewline')).toBe(false);
  });
});
