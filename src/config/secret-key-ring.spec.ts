import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './app-config';
import { KeyRingError, MAX_KEYS, parseKeyRing } from './secret-key-ring';

const k = (): string => randomBytes(32).toString('base64');

/** Throws the error of `fn`, or fails when nothing is thrown. */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('parseKeyRing', () => {
  it('keeps the order of the ring: the first key encrypts', () => {
    const [b, a] = [k(), k()];
    const ring = parseKeyRing(`B:${b},A:${a}`, undefined);
    expect(ring.map((r) => r.id)).toEqual(['B', 'A']);
    expect(ring[0].key.equals(Buffer.from(b, 'base64'))).toBe(true);
    expect(ring[1].key).toHaveLength(32);
  });

  it('tolerates spaces around entries and accepts ids of A-Z a-z 0-9 _ -', () => {
    expect(parseKeyRing(` k-2026_01 : ${k()} , Old1:${k()}`, undefined).map((r) => r.id)).toEqual([
      'k-2026_01',
      'Old1',
    ]);
  });

  it('makes the single SECRETS_ENCRYPTION_KEY the key id "default"', () => {
    const legacy = k();
    expect(parseKeyRing(undefined, legacy)).toEqual([{ id: 'default', key: Buffer.from(legacy, 'base64') }]);
  });

  it('with both set: the ring first, then SECRETS_ENCRYPTION_KEY as "default"', () => {
    expect(parseKeyRing(`B:${k()}`, k()).map((r) => r.id)).toEqual(['B', 'default']);
  });

  it('with both set and the ring naming "default": the same key is one entry, a different one is refused', () => {
    const legacy = k();
    expect(parseKeyRing(`B:${k()},default:${legacy}`, legacy).map((r) => r.id)).toEqual(['B', 'default']);
    expect(() => parseKeyRing(`default:${k()}`, legacy)).toThrow(/"default" that differs from SECRETS_ENCRYPTION_KEY/);
  });

  it('names the bad entry, by position and id, and never prints the key material', () => {
    const good = k();
    const short = randomBytes(16).toString('base64');
    const long = randomBytes(33).toString('base64');
    const cases: [string, RegExp][] = [
      [`A:${good},${good}`, /entry 2: expected id:base64key/],
      [`A:${good},B:${short}`, /entry 2 \(key id "B"\): the key must be base64 of exactly 32 bytes \(16 bytes\)/],
      [`A:${long}`, /entry 1 \(key id "A"\): .*\(33 bytes\)/],
      [`A:not base64!`, /entry 1 \(key id "A"\): .*not base64/],
      [`A:${good},A:${k()}`, /entry 2: duplicate key id "A"/],
      [`bad.id:${good}`, /entry 1: the key id must be 1-32 characters .*\(got "bad.id"\)/],
      [`:${good}`, /entry 1: the key id .*an empty id/],
      [`${'x'.repeat(33)}:${good}`, /entry 1: the key id .*33 characters/],
      [`A:${good},,B:${good}`, /entry 2: empty/],
      [`A:${good},`, /entry 2: empty/],
    ];
    for (const [ring, message] of cases) {
      const error = errorOf(() => parseKeyRing(ring, undefined));
      expect(error).toBeInstanceOf(KeyRingError);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain(good);
      expect(error.message).not.toContain(short);
      expect(error.message).not.toContain(long);
    }
  });

  it('a key pasted where the id goes is not echoed', () => {
    const pasted = randomBytes(32).toString('base64').replace(/[+/=]/g, 'x') + '+';
    const error = errorOf(() => parseKeyRing(`${pasted}:${k()}`, undefined));
    expect(error.message).toMatch(/45 characters/);
    expect(error.message).not.toContain(pasted);
  });

  it(`holds at most ${MAX_KEYS} keys`, () => {
    const ring = Array.from({ length: MAX_KEYS + 1 }, (_, i) => `k${i}:${k()}`).join(',');
    expect(() => parseKeyRing(ring, undefined)).toThrow(/at most 16 keys/);
  });
});

describe('loadConfig and the key ring', () => {
  const base = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'j'.repeat(40) };

  it('gives the ring to the app, first key first', () => {
    const config = loadConfig({ ...base, SECRETS_ENCRYPTION_KEYS: `B:${k()},A:${k()}` });
    expect(config.secretKeys.map((s) => s.id)).toEqual(['B', 'A']);
  });

  it('keeps the single SECRETS_ENCRYPTION_KEY working as key id "default"', () => {
    expect(loadConfig({ ...base, SECRETS_ENCRYPTION_KEY: k() }).secretKeys.map((s) => s.id)).toEqual(['default']);
  });

  it('refuses to boot on a bad ring, naming the variable and the entry, not the key', () => {
    const good = k();
    const error = errorOf(() => loadConfig({ ...base, SECRETS_ENCRYPTION_KEYS: `A:${good},A:${good}` }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('Invalid environment variable SECRETS_ENCRYPTION_KEYS entry 2: duplicate key id "A"');
    expect(error.message).not.toContain(good);
  });

  it('in production, requires one of the two variables', () => {
    expect(() => loadConfig(base)).toThrow(/Missing environment variable SECRETS_ENCRYPTION_KEYS/);
  });

  it('bounds the size of the variable', () => {
    expect(() => loadConfig({ ...base, SECRETS_ENCRYPTION_KEYS: 'x'.repeat(5000) })).toThrow(
      /Invalid environment variable SECRETS_ENCRYPTION_KEYS/,
    );
  });
});
