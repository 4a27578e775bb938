import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/app-config';
import { createTestApp, TestApp } from '../support/app';

/** A raw GET: the path goes out exactly as written (fetch would normalise `..` away). */
function rawGet(
  base: string,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** A stand-in build: what vite emits, in miniature. */
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hookline-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="/console/assets/app-1.js"></script></head><body></body></html>',
  );
  writeFileSync(join(dir, 'assets', 'app-1.js'), 'export const x = 1;\n');
  writeFileSync(join(dir, 'assets', 'app-1.css'), 'body{margin:0}\n');
  return dir;
}

describe('console host: /console on the api role', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CONSOLE_DIR: fakeBuild() });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers /console with the app under a strict CSP', async () => {
    const res = await fetch(`${t.url}/console`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('/console/assets/app-1.js');
    const csp = res.headers.get('content-security-policy') ?? '';
    const host = new URL(t.url).host;
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toContain(`connect-src 'self' ws://${host} wss://${host};`);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    '/console/',
    '/console/endpoints/5b0e8c1e-0000-4000-8000-000000000000',
    '/console/deliveries/abc',
    '/console/event-types',
    '/console/inbound/i-1',
    '/console/audit',
    '/console/graphiql',
    '/console/endpoints/x?embed=1&accent=%23ff0000',
  ])('answers the history route %s with index.html', async (path) => {
    const res = await fetch(`${t.url}${path}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/console/assets/app-1.js');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves assets with their type, nosniff and a long cache', async () => {
    const js = await fetch(`${t.url}/console/assets/app-1.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await js.text()).toBe('export const x = 1;\n');
    const css = await fetch(`${t.url}/console/assets/app-1.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('answers a missing asset 404, never with the app', async () => {
    const res = await fetch(`${t.url}/console/assets/gone-2.js`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<html');
  });

  it.each([
    '/console/../package.json',
    '/console/assets/../../package.json',
    '/console/%2e%2e/%2e%2e/package.json',
    '/console/assets/..%2f..%2f..%2fpackage.json',
    '/console/..%5c..%5cpackage.json',
  ])('refuses the traversal %s', async (path) => {
    const res = await rawGet(t.url, path);
    expect(res.status).toBe(400);
    expect(res.body).not.toContain('"name": "hookline"');
  });

  it('leaves the rest of the service alone: /graphql still answers GraphQL', async () => {
    const res = await fetch(t.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect((await res.json()) as unknown).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('console host: configuration', () => {
  it('embeds where CONSOLE_FRAME_ANCESTORS allows', async () => {
    const t = await createTestApp({
      CONSOLE_DIR: fakeBuild(),
      CONSOLE_FRAME_ANCESTORS: "'self' https://shop.example.com",
    });
    try {
      const res = await fetch(`${t.url}/console`);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://shop.example.com");
      expect(res.headers.get('x-frame-options')).toBeNull();
    } finally {
      await t.close();
    }
  });

  it.each(['*', "https://a.example; script-src 'unsafe-inline'", "'none' https://a.example"])(
    'refuses CONSOLE_FRAME_ANCESTORS=%p at boot',
    async (value) => {
      await expect(createTestApp({ CONSOLE_FRAME_ANCESTORS: value })).rejects.toThrow(ConfigError);
    },
  );

  it('starts without a build, and /console says so with a 503', async () => {
    const t = await createTestApp({ CONSOLE_DIR: join(tmpdir(), `hookline-no-console-${Date.now()}`) });
    try {
      const res = await fetch(`${t.url}/console/endpoints/x`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toContain('npm run build');
      const health = await fetch(`${t.url}/health`);
      expect(health.status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
