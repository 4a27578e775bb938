import type { LookupAddress, LookupOptions } from 'node:dns';
import { BadUserInputError } from '../errors/domain-error';
import { isPublicAddress, lookupGuard, validateTargetUrl, type Resolver } from './ssrf-guard';

const PUBLIC_V4 = '93.184.216.34';
const PUBLIC_V6 = '2606:2800:220:1:248:1893:25c8:1946';

const resolverOf =
  (table: Record<string, string[]>): Resolver =>
  async (host) => {
    const found = table[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found;
  };
const noDns: Resolver = async (host) => {
  throw new Error(`unexpected DNS lookup of ${host}`);
};

async function refusal(raw: string, allowPrivate = false, resolve: Resolver = noDns): Promise<BadUserInputError> {
  try {
    await validateTargetUrl(raw, { allowPrivate, resolve });
  } catch (err) {
    if (err instanceof BadUserInputError) return err;
    throw err;
  }
  throw new Error(`${raw} was accepted`);
}

describe('validateTargetUrl', () => {
  it('relies on WHATWG URL parsing to normalise odd IPv4 spellings', () => {
    for (const raw of ['http://127.1', 'http://0x7f000001', 'http://2130706433', 'http://0177.0.0.1']) {
      expect(new URL(raw).hostname).toBe('127.0.0.1');
    }
  });

  it.each([
    ['http://127.1', /address 127\.0\.0\.1 is loopback/],
    ['http://0x7f000001', /loopback/],
    ['http://2130706433', /loopback/],
    ['http://0177.0.0.1', /loopback/],
    ['http://127.0.0.1:8080/hook', /loopback/],
    ['http://[::ffff:a9fe:a9fe]', /address ::ffff:a9fe:a9fe \(169\.254\.169\.254\) is link-local/],
    ['http://[::ffff:127.0.0.1]', /\(127\.0\.0\.1\) is loopback/],
    ['http://[fd00:ec2::254]', /is unique-local/],
    ['http://169.254.169.254/latest/meta-data', /is link-local/],
    ['http://[::1]', /address ::1 is loopback/],
    ['http://[::]', /is unspecified/],
    ['http://[fe80::1]', /is link-local/],
    ['http://[64:ff9b::7f00:1]', /is NAT64/],
    ['http://[::7f00:1]', /is reserved/],
    ['http://10.0.0.1', /is private/],
    ['http://172.16.5.4', /is private/],
    ['http://192.168.1.1', /is private/],
    ['http://100.64.0.1', /is carrier-grade NAT/],
    ['http://0.0.0.0', /is unspecified/],
    ['http://0', /is unspecified/],
    ['http://224.0.0.1', /is multicast/],
    ['http://255.255.255.255', /is broadcast/],
    ['http://192.0.2.1', /is reserved/],
  ])('refuses the non-public literal %s without DNS', async (raw, reason) => {
    const error = await refusal(raw);
    expect(error.message).toMatch(reason);
    expect(error.message).toMatch(
      /^url: address .* not a public address \(set ALLOW_PRIVATE_TARGETS=true for development\)$/,
    );
    expect(error.details).toMatchObject({ field: 'url' });
  });

  it.each([
    ['file:///etc/passwd', 'file:///etc/passwd', /scheme file: is not allowed; use https or http/],
    ['gopher://x', 'gopher://x', /scheme gopher: is not allowed/],
    ['ftp://example.com/file', 'ftp://example.com/file', /scheme ftp: is not allowed/],
    ['javascript:alert(1)', 'javascript:alert(1)', /scheme javascript: is not allowed/],
    ['http://user:pass@example.com', 'http://user:pass@example.com', /must not contain a username or password/],
    ['http://user@example.com', 'http://user@example.com', /must not contain a username or password/],
    ['http://example.com:22', 'http://example.com:22', /port 22 is not allowed; use 80, 443 or 1024-65535/],
    ['http://example.com:1023', 'http://example.com:1023', /port 1023 is not allowed/],
    ['http://example.com:0', 'http://example.com:0', /port 0 is not allowed/],
    ['http://example.com:65536', 'http://example.com:65536', /is not a valid URL/],
    [
      'a 3,000-character URL',
      `https://example.com/${'a'.repeat(3000 - 'https://example.com/'.length)}`,
      /is too long \(3000 characters; the limit is 2048\)/,
    ],
    ['not a url', 'not a url', /is not a valid URL/],
    ['http://', 'http://', /is not a valid URL/],
    ['', '', /is not a valid URL/],
  ])('refuses %s whatever ALLOW_PRIVATE_TARGETS says', async (_label, raw, reason) => {
    for (const allowPrivate of [false, true]) {
      const error = await refusal(raw, allowPrivate, resolverOf({ 'example.com': [PUBLIC_V4] }));
      expect(error.message).toMatch(/^url: /);
      expect(error.message).toMatch(reason);
    }
  });

  it('accepts a public IP literal without any DNS lookup', async () => {
    await expect(
      validateTargetUrl(`http://${PUBLIC_V4}`, { allowPrivate: false, resolve: noDns }),
    ).resolves.toBeInstanceOf(URL);
    await expect(
      validateTargetUrl('https://[2606:4700:4700::1111]/x', { allowPrivate: false, resolve: noDns }),
    ).resolves.toBeInstanceOf(URL);
  });

  it('accepts a host whose every address is public, and allowed ports', async () => {
    const resolve = resolverOf({ 'hooks.example.com': [PUBLIC_V4, PUBLIC_V6] });
    for (const raw of [
      'https://hooks.example.com/in',
      'http://hooks.example.com:80/in',
      'http://hooks.example.com:443/in',
      'https://hooks.example.com:1024/in',
      'https://hooks.example.com:8443/in?x=1',
      'https://hooks.example.com:65535/in',
    ]) {
      const url = await validateTargetUrl(raw, { allowPrivate: false, resolve });
      expect(url.hostname).toBe('hooks.example.com');
    }
  });

  it('refuses a host when any one of its addresses is not public', async () => {
    const resolve = resolverOf({
      'mixed.example.com': [PUBLIC_V4, '10.1.2.3'],
      'meta.example.com': ['::ffff:169.254.169.254'],
    });
    expect((await refusal('https://mixed.example.com', false, resolve)).message).toBe(
      'url: host mixed.example.com resolves to 10.1.2.3, which is private, not a public address (set ALLOW_PRIVATE_TARGETS=true for development)',
    );
    expect((await refusal('https://meta.example.com', false, resolve)).message).toMatch(
      /resolves to 169\.254\.169\.254, which is link-local/,
    );
  });

  it('refuses a host that does not resolve', async () => {
    const resolve = resolverOf({ 'empty.example.com': [] });
    expect((await refusal('https://nowhere.example.com', false, resolve)).message).toBe(
      'url: host nowhere.example.com could not be resolved',
    );
    expect((await refusal('https://empty.example.com', false, resolve)).message).toMatch(/could not be resolved/);
  });

  it('with allowPrivate, accepts private targets and skips DNS', async () => {
    for (const raw of ['http://127.0.0.1:3000/hook', 'http://localhost:8080', 'http://[::1]:9000', 'http://10.0.0.1']) {
      await expect(validateTargetUrl(raw, { allowPrivate: true, resolve: noDns })).resolves.toBeInstanceOf(URL);
    }
  });
});

describe('isPublicAddress', () => {
  it.each([
    [PUBLIC_V4, true],
    ['8.8.8.8', true],
    [PUBLIC_V6, true],
    ['2001:4860:4860::8888', true],
    [`::ffff:${PUBLIC_V4}`, true],
    ['127.0.0.1', false],
    ['127.1', false],
    ['10.0.0.1', false],
    ['100.64.0.1', false],
    ['169.254.169.254', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['240.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['::ffff:a9fe:a9fe', false],
    ['::ffff:10.0.0.1', false],
    ['fd00:ec2::254', false],
    ['fe80::1', false],
    ['fe80::1%eth0', false],
    ['ff02::1', false],
    ['64:ff9b::a00:1', false],
    ['2002:7f00:1::', false],
    ['2001::1', false],
    ['2001:db8::1', false],
    ['::7f00:1', false],
    ['not-an-ip', false],
    ['', false],
  ])('%s → %s', (ip, expected) => {
    expect(isPublicAddress(ip)).toBe(expected);
  });
});

describe('lookupGuard', () => {
  type LookupOutcome = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

  const runLookup = (resolve: Resolver, host: string, options: LookupOptions): Promise<LookupOutcome> =>
    new Promise((done) =>
      lookupGuard({ resolve })(host, options, (err, address, family) => done({ err, address, family })),
    );

  const resolve = resolverOf({
    'public.test': [PUBLIC_V6, PUBLIC_V4],
    'rebind.test': ['127.0.0.1'],
    'mixed.test': [PUBLIC_V4, 'fd00::1'],
    'v6only.test': [PUBLIC_V6],
  });

  it('passes every public address through when all: true (happy eyeballs)', async () => {
    const { err, address } = await runLookup(resolve, 'public.test', { all: true });
    expect(err).toBeNull();
    expect(address).toEqual([
      { address: PUBLIC_V6, family: 6 },
      { address: PUBLIC_V4, family: 4 },
    ]);
  });

  it('returns one address of the requested family otherwise', async () => {
    expect(await runLookup(resolve, 'public.test', {})).toEqual({ err: null, address: PUBLIC_V6, family: 6 });
    expect(await runLookup(resolve, 'public.test', { family: 4 })).toEqual({
      err: null,
      address: PUBLIC_V4,
      family: 4,
    });
    const { err } = await runLookup(resolve, 'v6only.test', { family: 4 });
    expect(err?.code).toBe('ENOTFOUND');
  });

  it('refuses with ESSRF when any address is not public', async () => {
    for (const [host, message] of [
      ['rebind.test', 'rebind.test resolves to 127.0.0.1, a loopback address'],
      ['mixed.test', 'mixed.test resolves to fd00::1, a unique-local address'],
    ]) {
      const { err, address } = await runLookup(resolve, host, { all: true });
      expect(err?.code).toBe('ESSRF');
      expect(err?.message).toBe(message);
      expect(address).toBe('');
    }
  });

  it('reports DNS failures with the resolver code, or ENOTFOUND', async () => {
    expect((await runLookup(resolve, 'missing.test', { all: true })).err?.code).toBe('ENOTFOUND');
    const failing: Resolver = async () => {
      throw Object.assign(new Error('try again'), { code: 'EAI_AGAIN' });
    };
    expect((await runLookup(failing, 'x.test', {})).err?.code).toBe('EAI_AGAIN');
    expect((await runLookup(resolverOf({ 'none.test': [] }), 'none.test', {})).err?.message).toBe(
      'dns lookup failed for none.test (ENOTFOUND)',
    );
  });

  it('catches DNS rebinding: a name that validated as public is refused once it points at loopback', async () => {
    const answers = [[PUBLIC_V4], ['127.0.0.1']];
    let calls = 0;
    const rebinding: Resolver = async () => answers[Math.min(calls++, answers.length - 1)];

    await expect(
      validateTargetUrl('https://rebind.test/hook', { allowPrivate: false, resolve: rebinding }),
    ).resolves.toBeInstanceOf(URL);
    const { err } = await runLookup(rebinding, 'rebind.test', { all: true });
    expect(err?.code).toBe('ESSRF');
  });
});
