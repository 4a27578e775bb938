import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboundHttpClient, MAX_RESPONSE_BODY_BYTES, type HttpResult } from './http-client';
import { validateTargetUrl, type Resolver } from './ssrf-guard';

interface TestServer {
  url: string;
  port: number;
  connections: number;
  requests: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: TestServer[] = [];
const clients: OutboundHttpClient[] = [];

async function startServer(handler: Handler): Promise<TestServer> {
  const server: Server = createServer((req, res) => {
    res.on('error', () => undefined);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      state.requests.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      handler(req, res);
    });
  });
  server.on('connection', () => {
    state.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const state: TestServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: 0,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(state);
  return state;
}

function client(opts: Partial<ConstructorParameters<typeof OutboundHttpClient>[0]> = {}): OutboundHttpClient {
  const instance = new OutboundHttpClient({ allowPrivateTargets: true, ...opts });
  clients.push(instance);
  return instance;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function expectFailure(result: HttpResult): Extract<HttpResult, { ok: false }> {
  if (result.ok) throw new Error(`expected a failure, got status ${result.status}`);
  return result;
}

function expectResponse(result: HttpResult): Extract<HttpResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a response, got ${result.errorKind}: ${result.error}`);
  return result;
}

const timed = async <T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = Date.now();
  const value = await run();
  return { value, ms: Date.now() - started };
};

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('OutboundHttpClient', () => {
  const json = '{"id":"evt_1","type":"order.created"}';

  it('returns a 2xx with status, headers, body and duration, and sends the body and headers as given', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
      res.end('{"received":true}');
    });
    const result = expectResponse(
      await client().post(
        `${server.url}/hooks?x=1`,
        json,
        { 'content-type': 'application/json', 'Webhook-Id': 'evt_1', Connection: 'close', Host: 'evil.test' },
        { timeoutMs: 2000 },
      ),
    );

    expect(result).toMatchObject({ status: 200, body: '{"received":true}' });
    expect(result.headers['content-type']).toBe('application/json');
    expect(result.headers['x-multi']).toBe('a, b');
    expect(typeof result.durationMs).toBe('number');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);

    const [received] = server.requests;
    expect(received).toMatchObject({ method: 'POST', url: '/hooks?x=1', body: json });
    expect(received.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(json)),
      'webhook-id': 'evt_1',
      'user-agent': 'Hookline-Webhooks/1.0',
      host: `127.0.0.1:${server.port}`,
    });
    expect(received.headers.connection).not.toBe('close');
  });

  it('sends a custom user agent', async () => {
    const server = await startServer((_req, res) => res.end());
    await client({ userAgent: 'Hookline-Test/9' }).post(server.url, json, {}, { timeoutMs: 2000 });
    expect(server.requests[0].headers['user-agent']).toBe('Hookline-Test/9');
  });

  it('returns a 500 as a response, not an error', async () => {
    const server = await startServer((_req, res) => {
      res.statusCode = 500;
      res.end('boom');
    });
    expect(expectResponse(await client().post(server.url, json, {}, { timeoutMs: 2000 }))).toMatchObject({
      status: 500,
      body: 'boom',
    });
  });

  it('never follows a redirect: the 302 is the response and the target hears nothing', async () => {
    const target = await startServer((_req, res) => res.end('should not be reached'));
    const redirecting = await startServer((_req, res) => {
      res.writeHead(302, { location: `${target.url}/elsewhere` });
      res.end();
    });
    const result = expectResponse(await client().post(redirecting.url, json, {}, { timeoutMs: 2000 }));
    expect(result.status).toBe(302);
    expect(result.headers.location).toBe(`${target.url}/elsewhere`);
    expect(target.connections).toBe(0);
    expect(target.requests).toHaveLength(0);
  });

  it('times out on a server that never answers, within the deadline plus slack', async () => {
    const server = await startServer(() => undefined);
    const { value, ms } = await timed(() => client().post(server.url, json, {}, { timeoutMs: 300 }));
    expect(expectFailure(value)).toMatchObject({ errorKind: 'timeout', error: 'timeout after 300 ms' });
    expect(value.durationMs).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(300 + 500);
  });

  it('applies the deadline to a trickling body too', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('x'), 200);
      res.on('close', () => clearInterval(timer));
    });
    const { value, ms } = await timed(() => client().post(server.url, json, {}, { timeoutMs: 700 }));
    expect(expectFailure(value)).toMatchObject({ errorKind: 'timeout', error: 'timeout after 700 ms' });
    expect(ms).toBeGreaterThanOrEqual(650);
    expect(ms).toBeLessThan(700 + 500);
  });

  it('keeps only the first 64 KiB of a huge body and stops reading', async () => {
    const total = 50 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let written = 0;
    let serverClosed: (written: number) => void = () => undefined;
    const serverDone = new Promise<number>((resolve) => {
      serverClosed = resolve;
    });
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(total) });
      res.on('close', () => serverClosed(written));
      const pump = (): void => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });

    const { value, ms } = await timed(() => client().post(server.url, json, {}, { timeoutMs: 5000 }));
    const result = expectResponse(value);
    expect(result.status).toBe(200);
    expect(result.body).toHaveLength(MAX_RESPONSE_BODY_BYTES);
    expect(ms).toBeLessThan(1000);
    expect(await serverDone).toBeLessThan(total);
  });

  it('counts a hanging DNS lookup against the deadline', async () => {
    // Answers only after the deadline, long after it.
    const hanging: Resolver = () =>
      new Promise<string[]>((_resolve, reject) =>
        setTimeout(() => reject(Object.assign(new Error('slow'), { code: 'EAI_AGAIN' })), 1500),
      );
    const { value, ms } = await timed(() =>
      client({ allowPrivateTargets: false, resolve: hanging }).post(
        'http://slow-dns.test:8080/',
        json,
        {},
        { timeoutMs: 300 },
      ),
    );
    expect(expectFailure(value)).toMatchObject({ errorKind: 'timeout', error: 'timeout after 300 ms' });
    expect(ms).toBeLessThan(300 + 500);
  });

  it('reports a refused connection as a network error', async () => {
    const port = await freePort();
    expect(
      expectFailure(await client().post(`http://127.0.0.1:${port}/`, json, {}, { timeoutMs: 2000 })),
    ).toMatchObject({
      errorKind: 'network',
      error: 'connection refused',
    });
  });

  it('reports a failed lookup as a dns error', async () => {
    const resolve: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    for (const allowPrivateTargets of [true, false]) {
      const result = expectFailure(
        await client({ allowPrivateTargets, resolve }).post('http://missing.test:8080/', json, {}, { timeoutMs: 2000 }),
      );
      expect(result).toMatchObject({ errorKind: 'dns', error: 'dns lookup failed (ENOTFOUND)' });
    }
  });

  it('blocks loopback literals when private targets are not allowed, before any connection', async () => {
    const server = await startServer((_req, res) => res.end());
    const strict = client({ allowPrivateTargets: false });
    expect(expectFailure(await strict.post(server.url, json, {}, { timeoutMs: 2000 }))).toMatchObject({
      errorKind: 'blocked',
      error: 'blocked: 127.0.0.1 is a loopback address',
    });
    expect(
      expectFailure(await strict.post(`http://[::ffff:127.0.0.1]:${server.port}/`, json, {}, { timeoutMs: 2000 })),
    ).toMatchObject({
      errorKind: 'blocked',
      error: 'blocked: ::ffff:7f00:1 is a loopback address',
    });
    expect(server.connections).toBe(0);
  });

  it('blocks at connect time a name that resolves to loopback (DNS rebinding)', async () => {
    const server = await startServer((_req, res) => res.end());
    const answers = [['93.184.216.34'], ['127.0.0.1']];
    let lookups = 0;
    const rebinding: Resolver = async (host) => {
      if (host !== 'rebind.test') throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return answers[Math.min(lookups++, answers.length - 1)];
    };
    const url = `http://rebind.test:${server.port}/hook`;

    await expect(validateTargetUrl(url, { allowPrivate: false, resolve: rebinding })).resolves.toBeInstanceOf(URL);
    const result = expectFailure(
      await client({ allowPrivateTargets: false, resolve: rebinding }).post(url, json, {}, { timeoutMs: 2000 }),
    );
    expect(result).toMatchObject({
      errorKind: 'blocked',
      error: 'blocked: rebind.test resolves to 127.0.0.1, a loopback address',
    });
    expect(lookups).toBe(2);
    expect(server.connections).toBe(0);
  });

  it('with private targets allowed, connects through an injected resolver and keeps the Host name', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    const resolve: Resolver = async () => ['127.0.0.1'];
    const result = expectResponse(
      await client({ resolve }).post(`http://receiver.test:${server.port}/`, json, {}, { timeoutMs: 2000 }),
    );
    expect(result.body).toBe('ok');
    expect(server.requests[0].headers.host).toBe(`receiver.test:${server.port}`);
  });

  it.each([
    ['a file URL', 'file:///etc/passwd', /^blocked: url: scheme file: is not allowed/],
    ['userinfo', 'http://user:pass@127.0.0.1:8080/', /^blocked: url: must not contain a username or password/],
    ['port 22', 'http://127.0.0.1:22/', /^blocked: url: port 22 is not allowed/],
    ['a 3,000-character URL', `http://127.0.0.1:8080/${'a'.repeat(3000)}`, /^blocked: url: is too long/],
  ])('refuses %s at request time even with private targets allowed', async (_label, url, error) => {
    const result = expectFailure(await client().post(url, json, {}, { timeoutMs: 2000 }));
    expect(result.errorKind).toBe('blocked');
    expect(result.error).toMatch(error);
  });

  it('reuses keep-alive connections: 20 sequential posts open at most 2 connections', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    const shared = client();
    for (let i = 0; i < 20; i += 1) {
      expectResponse(await shared.post(server.url, json, {}, { timeoutMs: 2000 }));
    }
    expect(server.requests).toHaveLength(20);
    expect(server.connections).toBeLessThanOrEqual(2);
  });

  it('honours maxConnectionsPerOrigin under concurrency', async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 20));
    const limited = client({ maxConnectionsPerOrigin: 1 });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => limited.post(server.url, json, {}, { timeoutMs: 2000 })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.connections).toBe(1);
  });
});
