import { contentSecurityPolicy, resolveConsolePath, securityHeaders } from './console-policy';

describe('contentSecurityPolicy', () => {
  it('allows no inline script, names the socket of the host, and the configured frame ancestors', () => {
    const csp = contentSecurityPolicy("'none'", '127.0.0.1:3000');
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:3000 wss://127.0.0.1:3000;");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp.endsWith("frame-ancestors 'none'")).toBe(true);
  });

  it('leaves a malformed Host header out of the policy', () => {
    expect(contentSecurityPolicy("'none'", "evil; script-src 'unsafe-inline'")).toContain("connect-src 'self';");
    expect(contentSecurityPolicy("'none'", undefined)).toContain("connect-src 'self';");
  });

  it('sends X-Frame-Options DENY only when no ancestor may embed the console', () => {
    expect(securityHeaders("'none'", 'a')['x-frame-options']).toBe('DENY');
    expect(securityHeaders('https://shop.example', 'a')['x-frame-options']).toBeUndefined();
    expect(securityHeaders("'none'", 'a')['x-content-type-options']).toBe('nosniff');
  });
});

describe('resolveConsolePath', () => {
  const files = new Set(['index.html', 'assets/index-abc.js', 'favicon.svg']);
  const exists = (p: string) => files.has(p);

  it.each([
    ['', { kind: 'app' }],
    ['/', { kind: 'app' }],
    ['/endpoints/5b0e', { kind: 'app' }],
    ['/inbound/i-1', { kind: 'app' }],
    ['/index.html', { kind: 'app' }],
    ['/assets/index-abc.js', { kind: 'file', relativePath: 'assets/index-abc.js' }],
    ['/favicon.svg', { kind: 'file', relativePath: 'favicon.svg' }],
    ['/assets/gone.js', { kind: 'missing' }],
    ['/assets/unknown', { kind: 'missing' }],
    ['/nothing.png', { kind: 'missing' }],
  ])('%s', (rest, expected) => {
    expect(resolveConsolePath(rest, exists)).toEqual(expected);
  });

  it.each([
    '/../package.json',
    '/assets/..%2f..%2fpackage.json',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/a%5c..%5cb',
    '/x%00.js',
    '/%E0%A4%A',
  ])('refuses %s', (rest) => {
    expect(resolveConsolePath(rest, () => true)).toEqual({ kind: 'refused' });
  });
});
