import { createClient } from 'graphql-ws';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, errorCode, gql, GqlResponse } from '../support/graphql-client';
import { ok, Receiver, waitUntil } from '../support/receiver';
import { adminToken, newTenantId, tenant } from '../support/tokens';
import { rawSocket, subscribe } from '../support/ws-client';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
const SAVE_FILTER = `mutation($e: ID!, $input: SaveFilterReducerInput!) { saveFilterReducer(endpointId: $e, input: $input) { id } }`;
const ORDER = {
  order: {
    id: 'ord_1',
    status: 'paid',
    currency: 'USD',
    total: 10,
    line_items: [{ sku: 'S', quantity: 1, price: 10 }],
  },
};
const PAGE = 'endpoints(first: 100) { edges { node { id stats { total succeeded } filters { eventType } } } }';

const messages = (res: GqlResponse<unknown>): string => (res.errors ?? []).map((e) => e.message).join('\n');

function expectLimit(res: GqlResponse<unknown>, code: string, pattern: RegExp): void {
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0]?.extensions?.code).toBe(code);
  expect(res.errors?.[0]?.message).toMatch(pattern);
}

/** Every SQL statement the app sends, observed through TypeORM's logger (the queries still run for real). */
function recordSql(t: TestApp): { statements: { sql: string; params: unknown[] }[]; stop(): void } {
  const ds = t.app.get(DataSource);
  const statements: { sql: string; params: unknown[] }[] = [];
  const spy = jest.spyOn(ds.logger, 'logQuery').mockImplementation((sql: string, params?: unknown) => {
    statements.push({ sql, params: Array.isArray(params) ? params : [] });
  });
  return { statements, stop: () => spy.mockRestore() };
}

/** A raw graphql-transport-ws socket that completed connection_init. */
async function initSocket(
  t: TestApp,
  token: string,
): Promise<{
  socket: WebSocket;
  messages: Record<string, unknown>[];
  closed: Promise<{ code: number; reason: string }>;
}> {
  const { socket, closed } = await rawSocket(t.wsUrl);
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await waitUntil(async () => messages.some((m) => m.type === 'connection_ack') || null, 10_000, 20);
  return { socket, messages, closed };
}

/**
 * Opens a WebSocket by hand and sends the header of one masked text frame that announces `length` bytes, plus 16 of
 * them. Resolves with the close code of the server's close frame (or -1 if it sends none within 10 s).
 */
function announceFrame(t: TestApp, length: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = connect(Number(new URL(t.url).port), '127.0.0.1');
    let buffered = Buffer.alloc(0);
    let upgraded = false;
    const timer = setTimeout(() => finish(-1), 10_000);
    const finish = (code: number) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(code);
    };
    sock.on('error', reject);
    sock.on('close', () => finish(-1));
    sock.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!upgraded) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buffered.subarray(0, end).toString().startsWith('HTTP/1.1 101')) return finish(-2);
        upgraded = true;
        buffered = buffered.subarray(end + 4);
        const header = Buffer.alloc(14);
        header[0] = 0x81; // FIN, text
        header[1] = 0x80 | 127; // masked, 64-bit length
        header.writeBigUInt64BE(BigInt(length), 2);
        randomBytes(4).copy(header, 10);
        sock.write(Buffer.concat([header, randomBytes(16)]));
      }
      if (buffered.length >= 4 && buffered[0] === 0x88) finish(buffered.readUInt16BE(2));
    });
    sock.write(
      'GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
    );
  });
}

jest.setTimeout(60_000);

describe('GraphQL hardening (issue 17: cost, WebSocket sessions, floods, limits, schema leaks)', () => {
  let t: TestApp;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await t.close();
  });

  describe('query cost: lists multiply by first', () => {
    it('refuses many shapes of multiplied lists before execution, naming the cost and the limit, and runs no SQL', async () => {
      const a = tenant();
      const aliases = (n: number, body: string) =>
        `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${body}`).join(' ')} }`;
      const shapes: [string, string, Record<string, unknown>][] = [
        ['30 aliases of endpoints(first: 100) { stats filters }', aliases(30, PAGE), {}],
        [
          'aliases of deliveries(first: 100) { attempts }',
          aliases(
            5,
            'deliveries(first: 100) { edges { node { id status attempts { attemptNumber responseStatus } } } }',
          ),
          {},
        ],
        [
          'nested lists: events × deliveries',
          '{ events(first: 100) { edges { node { id deliveries(first: 100) { edges { node { id status } } } } } } }',
          {},
        ],
        [
          'first through a variable',
          'query($n: Int) { a: endpoints(first: $n) { edges { node { id stats { total } filters { id } } } } b: endpoints(first: $n) { edges { node { id stats { total } filters { id } } } } c: endpoints(first: $n) { edges { node { id stats { total failed pending held } filters { id eventType filter } } } } d: events(first: $n) { edges { node { deliveries(first: $n) { edges { node { id } } } } } } }',
          { n: 100 },
        ],
        [
          'fragments hiding the aliases',
          `query { ...F } fragment F on Query { ${Array.from({ length: 12 }, (_, i) => `x${i}: endpoints(first: 100) { ...E }`).join(' ')} } fragment E on EndpointConnection { edges { node { id stats { total } filters { id } } } }`,
          {},
        ],
      ];
      for (const [name, query, variables] of shapes) {
        const sql = recordSql(t);
        let res: GqlResponse<unknown>;
        try {
          res = await gql(t.graphqlUrl, query, variables, a.token);
        } finally {
          sql.stop();
        }
        expect([name, res.status]).toEqual([name, 400]);
        expectLimit(res, 'BAD_USER_INPUT', /costs at least \d+, over the limit of 10000/);
        expect(res.errors?.[0]?.extensions).toMatchObject({
          field: 'query',
          limit: 10_000,
          reasonCode: 'LIMIT_EXCEEDED',
        });
        // This request's statements carry its tenant id (the house rule); the reconciler's ticks run beside it.
        expect([name, sql.statements.filter((st) => st.params.includes(a.id)).length]).toEqual([name, 0]);
      }
    });

    it('still answers the heaviest legitimate pages (a positive control)', async () => {
      const a = tenant();
      dataOf(await gql(t.graphqlUrl, `{ ${PAGE} }`, {}, a.token));
      dataOf(
        await gql(
          t.graphqlUrl,
          '{ deliveries(first: 100) { edges { node { id endpointId eventId status attemptCount payload attempts { attemptNumber responseStatus error responseTimeMs } } } } }',
          {},
          a.token,
        ),
      );
      dataOf(await gql(t.graphqlUrl, `{ a: ${PAGE} b: ${PAGE} }`, {}, a.token));
    });

    it('applies the same cost limit over graphql-ws', async () => {
      const a = tenant();
      const live = subscribe(
        t.wsUrl,
        a.token,
        `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: ${PAGE}`).join(' ')} }`,
      );
      await waitUntil(async () => live.errors.length > 0 || null, 10_000, 20);
      expect(JSON.stringify(live.errors)).toMatch(/costs at least \d+, over the limit of 10000/);
      expect(live.events).toEqual([]);
      await live.close();
    });

    it('batches stats and filters: one statement each for a page of 12 endpoints, every one carrying the tenant id', async () => {
      const a = tenant();
      const other = tenant();
      const r = await Receiver.start(ok());
      receivers.push(r);
      const ids: string[] = [];
      for (let i = 0; i < 12; i++)
        ids.push(
          dataOf(await gql(t.graphqlUrl, CREATE, { input: { url: r.url, eventTypes: ['order.created'] } }, a.token))
            .createEndpoint.endpoint.id,
        );
      for (const id of ids.slice(0, 3))
        dataOf(
          await gql(
            t.graphqlUrl,
            SAVE_FILTER,
            {
              e: id,
              input: {
                eventType: 'order.created',
                filter: { query: '$.order.total', condition: '(value) => value > 1' },
              },
            },
            a.token,
          ),
        );
      dataOf(await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: ORDER } }, a.token));
      await r.waitFor(12, 20_000);

      const sql = recordSql(t);
      let page: {
        endpoints: {
          edges: {
            node: { id: string; stats: { total: number; succeeded: number }; filters: { eventType: string }[] };
          }[];
        };
      };
      try {
        page = dataOf(await gql(t.graphqlUrl, `{ ${PAGE} }`, {}, a.token));
      } finally {
        sql.stop();
      }
      const nodes = page.endpoints.edges.map((e) => e.node);
      expect(nodes).toHaveLength(12);
      expect(nodes.every((n) => n.stats.total === 1)).toBe(true);
      expect(
        nodes
          .filter((n) => n.filters.length === 1)
          .map((n) => n.id)
          .sort(),
      ).toEqual(ids.slice(0, 3).sort());
      // Only this request's statements: the app keeps working for other tests in the background.
      const mine = sql.statements.filter((s) => s.params.includes(a.id));
      const filterReads = mine.filter((s) => /FROM "endpoint_filters"/.test(s.sql));
      const statsReads = mine.filter((s) => /FROM deliveries d/.test(s.sql));
      expect(
        sql.statements.filter(
          (s) => /FROM "endpoint_filters"|FROM deliveries d/.test(s.sql) && /endpoint_id"? (IN \(|= ANY)/.test(s.sql),
        ),
      ).toHaveLength(2);
      expect(filterReads).toHaveLength(1);
      expect(statsReads).toHaveLength(1);
      for (const s of [...filterReads, ...statsReads]) expect(s.params).toContain(a.id);
      // The batch is scoped to the tenant: another tenant's page sees none of these endpoints.
      expect(dataOf(await gql(t.graphqlUrl, `{ ${PAGE} }`, {}, other.token)).endpoints.edges).toEqual([]);
    });
  });

  describe('__typename aliases count', () => {
    it('refuses __typename aliases over the alias limit and __typename spam over the field limit, in several shapes', async () => {
      const a = tenant();
      const typenames = (n: number, alias = true) =>
        Array.from({ length: n }, (_, i) => (alias ? `t${i}: __typename` : '__typename')).join(' ');
      const aliasShapes = [
        `{ ${typenames(31)} }`,
        `{ ${typenames(20_000)} }`,
        `{ endpoints(first: 1) { edges { node { ${typenames(31)} } } } }`,
        `query { ...A ...B } fragment A on Query { ${typenames(16)} } fragment B on Query { ${Array.from({ length: 16 }, (_, i) => `u${i}: __typename`).join(' ')} }`,
      ];
      for (const query of aliasShapes)
        expectLimit(await gql(t.graphqlUrl, query, {}, a.token), 'GRAPHQL_VALIDATION_FAILED', /more than 30 aliases/);
      const fieldShapes = [
        `{ ${typenames(2_500, false)} }`,
        `query { ${Array.from({ length: 30 }, () => '...F').join(' ')} } fragment F on Query { ${typenames(100, false)} }`,
      ];
      for (const query of fieldShapes)
        expectLimit(await gql(t.graphqlUrl, query, {}, a.token), 'GRAPHQL_VALIDATION_FAILED', /more than 2000 fields/);
      // Positive control: a few __typename aliases are fine.
      expect(dataOf(await gql(t.graphqlUrl, `{ ${typenames(30)} }`, {}, a.token)).t29).toBe('Query');
    });

    it('applies the alias limit over graphql-ws too', async () => {
      const a = tenant();
      const live = subscribe(
        t.wsUrl,
        a.token,
        `{ ${Array.from({ length: 100 }, (_, i) => `t${i}: __typename`).join(' ')} }`,
      );
      await waitUntil(async () => live.errors.length > 0 || null, 10_000, 20);
      expect(JSON.stringify(live.errors)).toMatch(/more than 30 aliases/);
      expect(JSON.stringify(live.errors)).toMatch(/GRAPHQL_VALIDATION_FAILED/);
      await live.close();
    });
  });

  describe('WebSocket sessions end with their credential', () => {
    it('closes a socket with 4403 when its JWT expires, while one with a longer token stays open and keeps receiving', async () => {
      const a = tenant();
      const r = await Receiver.start(ok());
      receivers.push(r);
      const endpointId = dataOf(
        await gql(t.graphqlUrl, CREATE, { input: { url: r.url, eventTypes: ['order.created'] } }, a.token),
      ).createEndpoint.endpoint.id;
      const q = 'subscription($e: ID) { deliveryUpdated(endpointId: $e) { id status } }';
      const short = subscribe(t.wsUrl, adminToken({ tenantId: a.id, sub: 'short@example.com', expiresInSec: 3 }), q, {
        e: endpointId,
      });
      const long = subscribe(t.wsUrl, a.token, q, { e: endpointId });
      await new Promise((res) => setTimeout(res, 500));
      const first = dataOf(
        await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: ORDER } }, a.token),
      ).publishEvent.id;
      await short.next((e) => e.deliveryUpdated.status === 'SUCCEEDED');
      expect(
        await Promise.race([short.closeCode(), new Promise((res) => setTimeout(() => res('still open'), 15_000))]),
      ).toBe(4403);
      // After exp the short socket got nothing more; the long one still receives.
      const seen = short.events.length;
      const second = dataOf(
        await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: ORDER } }, a.token),
      ).publishEvent.id;
      await waitUntil(
        async () => long.events.filter((e) => e.deliveryUpdated.status === 'SUCCEEDED').length >= 2 || null,
        15_000,
        50,
      );
      expect(short.events.length).toBe(seen);
      expect(r.requests.map((req) => req.headers['webhook-id'])).toEqual([first, second]);
      await long.close();
    }, 40_000);

    it('refuses a new socket with a JWT past its exp even inside the verifier clock tolerance, and can not subscribe with it', async () => {
      const a = tenant();
      const token = adminToken({ tenantId: a.id, sub: 'late@example.com', expiresInSec: 1 });
      await new Promise((res) => setTimeout(res, 2_100));
      const live = subscribe(t.wsUrl, token, 'subscription { deliveryUpdated { id } }');
      expect(await live.closeCode()).toBe(4403);
      expect(live.events).toEqual([]);
    });

    it('closes the sockets of a revoked API key with 4403', async () => {
      const a = tenant();
      const key = dataOf(
        await gql(
          t.graphqlUrl,
          'mutation { createApiKey(input: { name: "ws", permissions: ["manage_webhooks"] }) { key apiKey { id } } }',
          {},
          a.token,
        ),
      ).createApiKey;
      const socket = await initSocket(t, key.key);
      dataOf(
        await gql(t.graphqlUrl, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.apiKey.id }, a.token),
      );
      const closed = await Promise.race([
        socket.closed,
        new Promise<{ code: number }>((res) => setTimeout(() => res({ code: -1 }), 10_000)),
      ]);
      expect(closed.code).toBe(4403);
    });
  });

  describe('subscription floods', () => {
    it('caps operations per socket at 50 (BAD_USER_INPUT naming the limit), and frees a slot when one completes', async () => {
      const a = tenant();
      const { socket, messages } = await initSocket(t, a.token);
      for (let i = 1; i <= 51; i++)
        socket.send(
          JSON.stringify({
            id: `s${i}`,
            type: 'subscribe',
            payload: { query: 'subscription { deliveryUpdated { id } }' },
          }),
        );
      const refusal = await waitUntil(async () => messages.find((m) => m.type === 'error') ?? null, 10_000, 20);
      expect(refusal.id).toBe('s51');
      expect(JSON.stringify(refusal.payload)).toMatch(/BAD_USER_INPUT/);
      expect(JSON.stringify(refusal.payload)).toMatch(/LIMIT_EXCEEDED/);
      expect(JSON.stringify(refusal.payload)).toMatch(/limit \(WS_MAX_SUBSCRIPTIONS_PER_SOCKET\)|holds 50 operations/);
      expect(messages.filter((m) => m.type === 'error')).toHaveLength(1);
      socket.send(JSON.stringify({ id: 's1', type: 'complete' }));
      await new Promise((res) => setTimeout(res, 200));
      socket.send(
        JSON.stringify({ id: 's52', type: 'subscribe', payload: { query: 'subscription { deliveryUpdated { id } }' } }),
      );
      await new Promise((res) => setTimeout(res, 500));
      expect(messages.filter((m) => m.type === 'error')).toHaveLength(1);
      socket.close();
    });

    it('caps sockets per credential at 20 (4429); another user is not affected, and a closed socket frees its slot', async () => {
      const a = tenant();
      const sockets = [];
      for (let i = 0; i < 20; i++) sockets.push(await initSocket(t, a.token));
      const extra = subscribe(t.wsUrl, a.token, 'subscription { deliveryUpdated { id } }');
      expect(await extra.closeCode()).toBe(4429);
      const otherUser = await initSocket(t, adminToken({ tenantId: a.id, sub: 'other@example.com' }));
      expect(otherUser.messages.some((m) => m.type === 'connection_ack')).toBe(true);
      sockets[0].socket.close();
      await sockets[0].closed;
      await new Promise((res) => setTimeout(res, 100));
      const again = await initSocket(t, a.token);
      expect(again.messages.some((m) => m.type === 'connection_ack')).toBe(true);
      for (const s of [...sockets.slice(1), otherUser, again]) s.socket.close();
    });

    it('loads the attempts of a pushed delivery once per update, not once per subscriber (10 subscribers on 2 sockets)', async () => {
      const a = tenant();
      const r = await Receiver.start(ok());
      receivers.push(r);
      const endpointId = dataOf(
        await gql(t.graphqlUrl, CREATE, { input: { url: r.url, eventTypes: ['order.created'] } }, a.token),
      ).createEndpoint.endpoint.id;
      const query =
        'subscription($e: ID) { deliveryUpdated(endpointId: $e) { id status attemptCount updatedAt attempts { attemptNumber responseStatus } } }';
      const clients = [0, 1].map(() =>
        createClient({
          url: t.wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${a.token}` },
          retryAttempts: 0,
        }),
      );
      const received: { status: string; attemptCount: number; updatedAt: string; attempts: unknown[] }[][] = [];
      const stops: (() => void)[] = [];
      for (let i = 0; i < 10; i++) {
        const mine: (typeof received)[number] = [];
        received.push(mine);
        stops.push(
          clients[i % 2].subscribe<{ deliveryUpdated: (typeof mine)[number] }>(
            { query, variables: { e: endpointId } },
            {
              next: (v) => v.data && mine.push(v.data.deliveryUpdated),
              error: () => undefined,
              complete: () => undefined,
            },
          ),
        );
      }
      await new Promise((res) => setTimeout(res, 800));
      const sql = recordSql(t);
      try {
        dataOf(await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: ORDER } }, a.token));
        await waitUntil(async () => received.every((m) => m.some((d) => d.status === 'SUCCEEDED')) || null, 20_000, 50);
        await new Promise((res) => setTimeout(res, 300));
      } finally {
        sql.stop();
      }
      const versions = new Set(received.flat().map((d) => `${d.updatedAt}/${d.attemptCount}`));
      const attemptReads = sql.statements.filter(
        (s) => /FROM "delivery_attempts"/.test(s.sql) && /SELECT/i.test(s.sql),
      );
      expect(received.every((m) => m.find((d) => d.status === 'SUCCEEDED')?.attempts.length === 1)).toBe(true);
      expect(received.flat().length).toBeGreaterThanOrEqual(10 * versions.size);
      expect(attemptReads.length).toBe(versions.size);
      for (const s of attemptReads) expect(s.params).toContain(a.id);
      stops.forEach((stop) => stop());
      await Promise.all(clients.map((c) => c.dispose()));
    }, 40_000);
  });

  describe('the WebSocket keeps HTTP limits', () => {
    it('closes 1009 on a frame over 2 MiB (connection_init or publishEvents) without buffering it, and accepts one under', async () => {
      // A frame that only announces 64 MiB (and 100 MiB, ws's default limit): refused on its header, before any payload
      // is buffered. With the old limit the server would sit waiting for the bytes instead.
      expect(await announceFrame(t, 64 * 1024 * 1024)).toBe(1009);
      expect(await announceFrame(t, 100 * 1024 * 1024)).toBe(1009);
      const rssBefore = process.memoryUsage().rss;
      for (let i = 0; i < 20; i++) expect(await announceFrame(t, 99 * 1024 * 1024)).toBe(1009);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);

      const a = tenant();
      const s2 = await initSocket(t, a.token);
      const payload = { order: { ...ORDER.order, note: 'x'.repeat(3 * 1024 * 1024) } };
      s2.socket.send(
        JSON.stringify({
          id: 'p',
          type: 'subscribe',
          payload: {
            query: PUBLISH.replace('publishEvent(input: $input)', 'publishEvents(inputs: [$input])'),
            variables: { input: { eventType: 'order.created', payload } },
          },
        }),
      );
      expect((await s2.closed).code).toBe(1009);
      expect(
        dataOf(await gql(t.graphqlUrl, '{ events(first: 5) { edges { node { id } } } }', {}, a.token)).events.edges,
      ).toEqual([]);

      // Positive control: a 1.5 MiB connection_init is within the limit.
      const { socket: s3, closed: closed3 } = await rawSocket(t.wsUrl);
      const acks: string[] = [];
      s3.on('message', (d) => acks.push(String(d)));
      s3.send(
        JSON.stringify({
          type: 'connection_init',
          payload: { authorization: `Bearer ${a.token}`, pad: 'x'.repeat(1.5 * 1024 * 1024) },
        }),
      );
      await waitUntil(async () => acks.some((m) => m.includes('connection_ack')) || null, 10_000, 20);
      s3.close();
      expect((await closed3).code).toBe(1005);
    });

    it('closes 4401 on an operation sent before connection_init, and 4403 on a bad credential', async () => {
      const { socket, closed } = await rawSocket(t.wsUrl);
      socket.send(
        JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { deliveryUpdated { id } }' } }),
      );
      expect((await closed).code).toBe(4401);
      const { socket: s2, closed: c2 } = await rawSocket(t.wsUrl);
      s2.send(
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: { query: `mutation { publishEvent(input: { eventType: "order.created", payload: {} }) { id } }` },
        }),
      );
      expect((await c2).code).toBe(4401);
      const { socket: s3, closed: c3 } = await rawSocket(t.wsUrl);
      s3.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer nope' } }));
      expect((await c3).code).toBe(4403);
    });

    it('times out a socket that never sends connection_init (WS_CONNECTION_INIT_TIMEOUT_MS), not one that does', async () => {
      const t2 = await createTestApp({ WS_CONNECTION_INIT_TIMEOUT_MS: '500' });
      try {
        const silent = await rawSocket(t2.wsUrl);
        const result = await Promise.race([
          silent.closed,
          new Promise<{ code: number }>((res) => setTimeout(() => res({ code: -1 }), 10_000)),
        ]);
        expect(result.code).toBe(4408);
        const a = tenant();
        const polite = await initSocket(t2, a.token);
        await new Promise((res) => setTimeout(res, 1_000));
        expect(polite.socket.readyState).toBe(WebSocket.OPEN);
        polite.socket.close();
      } finally {
        await t2.close();
      }
    });
  });

  describe('no schema names in production errors', () => {
    const secret = 'p'.repeat(48);
    const misspelt: [string, string, RegExp][] = [
      ['field', '{ endpoits(first: 1) { totalCount } }', /"endpoints"/],
      ['nested field', '{ endpoints(first: 1) { edges { node { ur } } } }', /"url"/],
      ['argument', '{ endpoints(frist: 1) { totalCount } }', /"first"/],
      ['enum value', '{ deliveries(first: 1, filter: { status: [FAILD] }) { totalCount } }', /"FAILED"|DeliveryStatus/],
      ['type in a fragment', '{ ...F } fragment F on Quer { __typename }', /"Query"/],
    ];

    it('in production: no "Did you mean", no schema name the client did not write (HTTP and WebSocket)', async () => {
      const prod = await createTestApp({
        NODE_ENV: 'production',
        AUTH_JWT_SECRET: secret,
        SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      });
      try {
        const token = adminToken({ tenantId: newTenantId(), secret });
        for (const [name, query, leak] of misspelt) {
          const res = await gql(prod.graphqlUrl, query, {}, token);
          expect([name, errorCode(res)]).toEqual([name, 'GRAPHQL_VALIDATION_FAILED']);
          const text = messages(res);
          expect([name, text]).not.toEqual([name, expect.stringMatching(/Did you mean/)]);
          expect([name, text]).not.toEqual([name, expect.stringMatching(leak)]);
        }
        const viaVariable = await gql(
          prod.graphqlUrl,
          'query($s: [DeliveryStatus!]) { deliveries(first: 1, filter: { status: $s }) { totalCount } }',
          { s: ['FAILD'] },
          token,
        );
        expect(viaVariable.errors?.length).toBeGreaterThan(0);
        expect(messages(viaVariable)).not.toMatch(/Did you mean|"FAILED"|DeliveryStatus/);
        const live = subscribe(prod.wsUrl, token, 'subscription { deliveryUpdatd { id } }');
        await waitUntil(async () => live.errors.length > 0 || null, 10_000, 20);
        expect(JSON.stringify(live.errors)).toMatch(/deliveryUpdatd/);
        expect(JSON.stringify(live.errors)).not.toMatch(/Did you mean|deliveryUpdated\b/);
        await live.close();
      } finally {
        await prod.close();
      }
    });

    it('in development the suggestions stay (a positive control)', async () => {
      const token = tenant().token;
      for (const [name, query, leak] of misspelt) {
        const res = await gql(t.graphqlUrl, query, {}, token);
        expect([name, messages(res)]).toEqual([name, expect.stringMatching(leak)]);
      }
      expect(messages(await gql(t.graphqlUrl, '{ endpoits(first: 1) { totalCount } }', {}, token))).toMatch(
        /Did you mean "endpoints"/,
      );
    });
  });
});
