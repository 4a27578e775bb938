/**
 * Hostile-input sweep (issue 7): every input below must be refused with a clear error (extensions.code and,
 * where the API gives one, extensions.field; or the HTTP status) and must change nothing: rows are counted
 * before and after. None of them may ever surface as INTERNAL_SERVER_ERROR.
 */
import { sign } from 'jsonwebtoken';
import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, gql, GqlError, GqlResponse } from '../support/graphql-client';
import { Receiver } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';
import { rawSocket, subscribe } from '../support/ws-client';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id url } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateEndpointInput!) { updateEndpoint(id: $id, input: $input) { id url } }`;
const GET = `query($id: ID!) { endpoint(id: $id) { id url headers rateLimitPerSecond eventTypes channels } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
const CREATE_INTEGRATION = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id inboundPath } }`;
const VALIDATE_FILTER = `query($input: ValidateFilterInput!) { validateFilter(input: $input) { success message filterResult } }`;
const VALIDATE_REDUCER = `query($input: ValidateReducerInput!) { validateReducer(input: $input) { success message reducerResult } }`;
const SAVE_FILTER = `mutation($endpointId: ID!, $input: SaveFilterReducerInput!) { saveFilterReducer(endpointId: $endpointId, input: $input) { id } }`;
const ORDER = {
  order: {
    id: 'ord_1',
    status: 'paid',
    currency: 'USD',
    total: 150,
    line_items: [{ sku: 'SKU-1', quantity: 1, price: 150 }],
  },
};
const PUBLIC_URL = 'https://93.184.215.14/hook';

interface Who {
  tenantId: string;
  token: string;
}

function who(): Who {
  const tenantId = newTenantId();
  return { tenantId, token: adminToken({ tenantId }) };
}

/** `{"a":{"a":...1...}}` built as text: deep enough values must never be walked recursively by the test itself. */
function nestedJson(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** Never INTERNAL_SERVER_ERROR, and the first error is the expected one. */
function expectRefused(res: GqlResponse<unknown>, code: string, field?: string | RegExp): GqlError {
  const codes = (res.errors ?? []).map((e) => e.extensions?.code);
  expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
  expect(res.errors?.length).toBeGreaterThan(0);
  const [first] = res.errors ?? [];
  expect(first.extensions?.code).toBe(code);
  if (field !== undefined) {
    if (typeof field === 'string') expect(first.extensions?.field).toBe(field);
    else expect(String(first.extensions?.field)).toMatch(field);
  }
  expect(first.message.length).toBeGreaterThan(5);
  expect(JSON.stringify(res.errors)).not.toMatch(/QueryFailedError|SELECT |stacktrace|\\n\s+at /);
  return first;
}

async function postRaw(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

jest.setTimeout(30_000);

describe('hostile-input sweep', () => {
  let t: TestApp;
  let strict: TestApp;
  let ds: DataSource;
  const receivers: Receiver[] = [];

  const count = async (
    table: 'endpoints' | 'events' | 'deliveries' | 'api_keys' | 'audit_logs' | 'idempotency_keys',
    tenantId: string,
  ): Promise<number> =>
    (await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantId]))[0].n as number;
  const inboundCount = async (integrationId: string): Promise<number> =>
    (await ds.query('SELECT count(*)::int AS n FROM inbound_events WHERE integration_id = $1', [integrationId]))[0]
      .n as number;
  const filterCount = async (endpointId: string): Promise<number> =>
    (await ds.query('SELECT count(*)::int AS n FROM endpoint_filters WHERE endpoint_id = $1', [endpointId]))[0]
      .n as number;
  /** Every row this tenant owns, so "nothing changed" covers side tables (audit, idempotency) too. */
  const footprint = async (tenantId: string): Promise<Record<string, number>> => ({
    endpoints: await count('endpoints', tenantId),
    events: await count('events', tenantId),
    deliveries: await count('deliveries', tenantId),
    audit: await count('audit_logs', tenantId),
    idempotency: await count('idempotency_keys', tenantId),
  });

  beforeAll(async () => {
    t = await createTestApp();
    // Its own queue prefix: otherwise its workers would take (and refuse, as loopback) the main app's deliveries.
    strict = await createTestApp({ ALLOW_PRIVATE_TARGETS: 'false', QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}strict` });
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await strict?.close();
    await t?.close();
  });

  describe('SSRF URL forms (ALLOW_PRIVATE_TARGETS=false), at create and at update', () => {
    const urls: [string, RegExp][] = [
      ['http://0.0.0.0:8080/hook', /unspecified/],
      ['http://0/hook', /unspecified|not a public/],
      ['http://[::]/hook', /unspecified/],
      ['http://017700000001/hook', /loopback/],
      ['http://127.0.0.1.:8080/hook', /loopback|not a public/],
      ['http://[::ffff:127.0.0.1]/hook', /loopback/],
      ['http://[0:0:0:0:0:ffff:7f00:1]/hook', /loopback/],
      ['http://localhost./hook', /loopback|not a public|could not be resolved/],
      ['http://192.168.1.1/hook', /private/],
      ['http://172.16.0.1/hook', /private/],
      ['http://100.64.0.1/hook', /carrier-grade NAT/],
      ['http://224.0.0.1/hook', /multicast/],
      ['http://[fe80::1]/hook', /link-local/],
      ['http://169.254.169.254/latest/meta-data/', /link-local/],
      ['http://metadata.google.internal/computeMetadata/v1/', /could not be resolved|not a public/],
      ['javascript:alert(1)', /scheme/],
      ['ftp://example.com/hook', /scheme/],
      ['data:text/plain,hello', /scheme/],
      ['http://example.com:25/hook', /port/],
      ['  ', /./],
    ];

    it.each(urls)('%s is BAD_USER_INPUT on url (%s) and creates or changes nothing', async (url, reason) => {
      const a = who();
      const before = await footprint(a.tenantId);
      const created = await gql(strict.graphqlUrl, CREATE, { input: { url } }, a.token);
      expect(created.data).toBeNull();
      const refusal = expectRefused(created, 'BAD_USER_INPUT', 'url');
      expect(`${refusal.message} ${String(refusal.extensions?.reason ?? '')}`).toMatch(reason);
      expect(await footprint(a.tenantId)).toEqual(before);

      const { endpoint } = dataOf(
        await gql(strict.graphqlUrl, CREATE, { input: { url: PUBLIC_URL } }, a.token),
      ).createEndpoint;
      const afterCreate = await footprint(a.tenantId);
      expectRefused(
        await gql(strict.graphqlUrl, UPDATE, { id: endpoint.id, input: { url } }, a.token),
        'BAD_USER_INPUT',
        'url',
      );
      expect(dataOf(await gql(strict.graphqlUrl, GET, { id: endpoint.id }, a.token)).endpoint.url).toBe(PUBLIC_URL);
      expect(await footprint(a.tenantId)).toEqual(afterCreate);
    });
  });

  describe('oversized and deeply nested payloads on publishEvent', () => {
    const cases: [string, () => string, string | RegExp | undefined, RegExp][] = [
      [
        'a payload over 256 KiB',
        () => JSON.stringify({ ...ORDER, blob: 'x'.repeat(300 * 1024) }),
        'input.payload',
        /limit is 262144/,
      ],
      [
        'a payload nested 40 levels (over the 32-level limit)',
        () => nestedJson(40),
        'input.payload',
        /nested deeper than 32 levels/,
      ],
      [
        'a payload nested 80 levels',
        () => nestedJson(80),
        undefined,
        /"input\.payload"; JSON value is nested deeper than 64 levels/,
      ],
      // Past 100 levels the variables are refused before graphql-js coerces them (its coercion recurses).
      [
        'a payload nested 100 levels',
        () => nestedJson(100),
        'input',
        /nested deeper than 100 levels \(at input\.payload\.a/,
      ],
      [
        'a payload nested 10,000 levels',
        () => nestedJson(10_000),
        'input',
        /nested deeper than 100 levels \(at input\.payload\.a/,
      ],
      [
        'a payload nested 10,000 levels of arrays',
        () => `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
        'input',
        /nested deeper than 100 levels \(at input\.payload\.a/,
      ],
    ];

    it.each(cases)('%s is BAD_USER_INPUT and stores nothing', async (_label, payload, field, reason) => {
      const a = who();
      // Warm the tenant up so that its first request (which creates the tenant row) is not the one measured.
      dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
      const before = await footprint(a.tenantId);
      const body = `{"query":${JSON.stringify(PUBLISH)},"variables":{"input":{"eventType":"order.created","payload":${payload()}}}}`;
      const res = await fetch(t.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
        body,
      });
      const parsed = (await res.json()) as GqlResponse<unknown>;
      const refusal = expectRefused(
        { status: res.status, data: parsed.data, errors: parsed.errors },
        'BAD_USER_INPUT',
        field,
      );
      expect(refusal.message).toMatch(reason);
      expect(await footprint(a.tenantId)).toEqual(before);
    });

    it('a 10,000-level JSON literal inline in the query text is refused, not a crash', async () => {
      const a = who();
      dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
      const before = await footprint(a.tenantId);
      const literal = `${'{a:'.repeat(10_000)}1${'}'.repeat(10_000)}`;
      const res = await gql(
        t.graphqlUrl,
        `mutation { publishEvent(input: { eventType: "order.created", payload: ${literal} }) { id } }`,
        {},
        a.token,
      );
      expect(res.status).toBe(400);
      expectRefused(res, 'GRAPHQL_PARSE_FAILED');
      expect(await footprint(a.tenantId)).toEqual(before);
    });
  });

  describe('oversized and deeply nested bodies on the inbound REST endpoint', () => {
    const secret = `faire-${randomUUID()}`;
    let integration: { id: string; inboundPath: string };
    const signed = (raw: Buffer): Record<string, string> => ({
      'content-type': 'application/json',
      'x-faire-webhook-topic': 'ORDER_CREATED',
      'x-faire-hmac-sha256': createHmac('sha256', secret).update(raw).digest('base64'),
    });

    beforeAll(async () => {
      const a = who();
      integration = dataOf(
        await gql(
          t.graphqlUrl,
          CREATE_INTEGRATION,
          { input: { provider: 'faire', name: 'hostile', webhookSecret: secret } },
          a.token,
        ),
      ).createIntegration;
    });

    it.each([
      [
        'a 1 MiB + 1 byte signed body',
        () => Buffer.concat([Buffer.from('{"id":"bo_1","pad":"'), Buffer.alloc(1024 * 1024, 'a'), Buffer.from('"}')]),
        413,
      ],
      ['a 5 MiB signed body', () => Buffer.alloc(5 * 1024 * 1024, ' '), 413],
    ])('%s is answered %d with a JSON error and stores nothing', async (_label, body, status) => {
      const before = await inboundCount(integration.id);
      const raw = body();
      const res = await fetch(`${t.url}${integration.inboundPath}`, {
        method: 'POST',
        headers: signed(raw),
        body: raw,
      });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      await res.text();
      expect(await inboundCount(integration.id)).toBe(before);
    });

    it.each([
      ['100 levels', 100],
      ['10,000 levels', 10_000],
    ])(
      'a signed body nested %s is refused with 400 and a JSON error (as publishEvent and the JSON scalar refuse it), and stores nothing',
      async (_label, levels) => {
        const before = await inboundCount(integration.id);
        const raw = Buffer.from(`{"id":"bo_deep_${levels}","brand_id":"b_1","x":${nestedJson(levels)}}`);
        const res = await postRaw(`${t.url}${integration.inboundPath}`, raw, signed(raw));
        expect({ status: res.status, body: res.text }).toEqual({
          status: 400,
          body: expect.stringMatching(/nested|deep/i),
        });
        expect(await inboundCount(integration.id)).toBe(before);
      },
    );
  });

  describe('GraphQL documents and transport', () => {
    it('1,000 aliases of a mutation: GRAPHQL_VALIDATION_FAILED with a clear message, nothing created', async () => {
      const a = who();
      const before = await footprint(a.tenantId);
      const fields = Array.from(
        { length: 1000 },
        (_, i) => `a${i}: createEndpoint(input: { url: "${PUBLIC_URL}" }) { secret }`,
      ).join('\n');
      const res = await gql(t.graphqlUrl, `mutation { ${fields} }`, {}, a.token);
      expect(res.status).toBe(400);
      expect(expectRefused(res, 'GRAPHQL_VALIDATION_FAILED').message).toMatch(/more than 30 aliases/);
      expect(await footprint(a.tenantId)).toEqual(before);
    });

    it('a depth-50 selection: GRAPHQL_VALIDATION_FAILED naming the depth limit, nothing created', async () => {
      const a = who();
      const before = await footprint(a.tenantId);
      const deep = `${'filters { '.repeat(48)}id${' }'.repeat(48)}`;
      const res = await gql(
        t.graphqlUrl,
        `mutation { createEndpoint(input: { url: "${PUBLIC_URL}" }) { endpoint { ${deep} } } }`,
        {},
        a.token,
      );
      expect(res.status).toBe(400);
      const messages = (res.errors ?? []).map((e) => e.message);
      expect(messages.some((m) => /nested deeper than the limit of 12 levels/.test(m))).toBe(true);
      expect((res.errors ?? []).every((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
      expect(await footprint(a.tenantId)).toEqual(before);
    });

    it('a text/plain POST (CSRF) is refused with 400 and the mutation does not run', async () => {
      const a = who();
      dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
      const before = await footprint(a.tenantId);
      const res = await postRaw(
        t.graphqlUrl,
        JSON.stringify({ query: `mutation { createEndpoint(input: { url: "${PUBLIC_URL}" }) { secret } }` }),
        {
          'content-type': 'text/plain',
          authorization: `Bearer ${a.token}`,
        },
      );
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/Cross-Site Request Forgery/);
      expect(res.text).not.toContain('whsec_');
      expect(await footprint(a.tenantId)).toEqual(before);
    });

    it('a mutation over GET is refused and does not run', async () => {
      const a = who();
      dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
      const before = await footprint(a.tenantId);
      const query = encodeURIComponent(`mutation { createEndpoint(input: { url: "${PUBLIC_URL}" }) { secret } }`);
      const res = await fetch(`${t.graphqlUrl}?query=${query}`, {
        headers: { authorization: `Bearer ${a.token}`, 'apollo-require-preflight': 'true' },
      });
      expect(res.status).toBe(405);
      const body = (await res.json()) as { errors: GqlError[] };
      expect(body.errors[0]).toMatchObject({
        message: expect.stringMatching(/only support query operations/),
        extensions: { code: 'BAD_REQUEST' },
      });
      expect(await footprint(a.tenantId)).toEqual(before);
    });

    it('a batch array [{query},{query}] is refused and neither operation runs', async () => {
      const a = who();
      dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
      const before = await footprint(a.tenantId);
      const op = { query: `mutation { createEndpoint(input: { url: "${PUBLIC_URL}" }) { secret } }` };
      const res = await postRaw(t.graphqlUrl, JSON.stringify([op, op]), {
        'content-type': 'application/json',
        authorization: `Bearer ${a.token}`,
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toEqual({
        errors: [{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }],
      });
      expect(res.text).not.toContain('whsec_');
      expect(await footprint(a.tenantId)).toEqual(before);
    });
  });

  describe('idempotency keys', () => {
    const longKey = 'k'.repeat(300);

    it.each([
      ['createEndpoint, key in the input', CREATE, { input: { url: PUBLIC_URL, idempotencyKey: longKey } }, {}],
      [
        'createEndpoint, Idempotency-Key header',
        CREATE,
        { input: { url: PUBLIC_URL } },
        { 'Idempotency-Key': longKey },
      ],
      [
        'publishEvent, key in the input',
        PUBLISH,
        { input: { eventType: 'order.created', payload: ORDER, idempotencyKey: longKey } },
        {},
      ],
      [
        'publishEvent, Idempotency-Key header',
        PUBLISH,
        { input: { eventType: 'order.created', payload: ORDER } },
        { 'Idempotency-Key': longKey },
      ],
    ])(
      'a 300-character key (%s) is BAD_USER_INPUT on idempotencyKey; nothing stored',
      async (_label, query, variables, headers) => {
        const a = who();
        dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
        const before = await footprint(a.tenantId);
        const refusal = expectRefused(
          await gql(t.graphqlUrl, query, variables, a.token, headers),
          'BAD_USER_INPUT',
          /^(idempotencyKey|Idempotency-Key)$/,
        );
        expect(refusal.extensions).toMatchObject({
          reason: 'must be 1 to 255 characters',
          reasonCode: 'IDEMPOTENCY_KEY_INVALID',
        });
        expect(await footprint(a.tenantId)).toEqual(before);
      },
    );

    it('a key reused with other input is CONFLICT on createEndpoint and publishEvent, and only the first call stored anything', async () => {
      const a = who();
      dataOf(await gql(t.graphqlUrl, CREATE, { input: { url: PUBLIC_URL, idempotencyKey: 'reuse-1' } }, a.token));
      dataOf(
        await gql(
          t.graphqlUrl,
          PUBLISH,
          { input: { eventType: 'order.created', payload: ORDER, idempotencyKey: 'reuse-2' } },
          a.token,
        ),
      );
      const before = await footprint(a.tenantId);
      const reused = {
        field: 'idempotencyKey',
        reason: 'IDEMPOTENCY_KEY_REUSED',
        reasonCode: 'IDEMPOTENCY_KEY_REUSED',
      };
      const created = expectRefused(
        await gql(
          t.graphqlUrl,
          CREATE,
          { input: { url: 'https://93.184.215.15/other', idempotencyKey: 'reuse-1' } },
          a.token,
        ),
        'CONFLICT',
      );
      expect(created).toMatchObject({
        message: 'idempotency key already used with different input',
        extensions: reused,
      });
      const published = expectRefused(
        await gql(
          t.graphqlUrl,
          PUBLISH,
          {
            input: {
              eventType: 'order.created',
              payload: { order: { ...ORDER.order, id: 'other' } },
              idempotencyKey: 'reuse-2',
            },
          },
          a.token,
        ),
        'CONFLICT',
      );
      expect(published.extensions).toMatchObject(reused);
      const viaHeader = expectRefused(
        await gql(t.graphqlUrl, CREATE, { input: { url: 'https://93.184.215.15/hdr' } }, a.token, {
          'Idempotency-Key': 'reuse-1',
        }),
        'CONFLICT',
      );
      expect(viaHeader.extensions).toMatchObject({ reasonCode: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await footprint(a.tenantId)).toEqual(before);
      expect(before.endpoints).toBe(1);
      expect(before.events).toBe(1);
    });
  });

  describe('GraphQL over WebSocket', () => {
    it('a revoked API key mid-subscription: the socket is closed with 4403 and the key no longer works', async () => {
      const a = who();
      const created = dataOf(
        await gql(
          t.graphqlUrl,
          `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }`,
          { input: { name: 'ws', permissions: ['manage_webhooks'] } },
          a.token,
        ),
      ).createApiKey;
      const receiver = await Receiver.start();
      receivers.push(receiver);
      const endpoint = dataOf(await gql(t.graphqlUrl, CREATE, { input: { url: receiver.url } }, created.key))
        .createEndpoint.endpoint;
      const live = subscribe<{ deliveryUpdated: { id: string; status: string } }>(
        t.wsUrl,
        created.key,
        'subscription($id: ID) { deliveryUpdated(endpointId: $id) { id status } }',
        { id: endpoint.id },
      );
      await new Promise((r) => setTimeout(r, 500));
      dataOf(await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: ORDER } }, created.key));
      await live.next((e) => e.deliveryUpdated.status === 'SUCCEEDED'); // live before the revocation

      const revoked = dataOf(
        await gql(
          t.graphqlUrl,
          'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }',
          { id: created.apiKey.id },
          a.token,
        ),
      ).revokeApiKey;
      expect(revoked.revokedAt).not.toBeNull();
      const code = await Promise.race([live.closeCode(), new Promise<number>((r) => setTimeout(() => r(-1), 5000))]);
      expect(code).toBe(4403);
      const before = await footprint(a.tenantId);
      expectRefused(
        await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: ORDER } }, created.key),
        'UNAUTHENTICATED',
      );
      expect(await footprint(a.tenantId)).toEqual(before);
    });

    it('a socket that subscribes before connection_init is closed with 4401', async () => {
      const { socket, closed } = await rawSocket(t.wsUrl);
      socket.send(
        JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { deliveryUpdated { id } }' } }),
      );
      const result = await Promise.race([
        closed,
        new Promise<{ code: number; reason: string }>((r) =>
          setTimeout(() => r({ code: -1, reason: 'still open' }), 5000),
        ),
      ]);
      expect(result.code).toBe(4401);
    });

    it('a socket that never sends connection_init is closed with 4408', async () => {
      const { closed } = await rawSocket(t.wsUrl);
      const started = Date.now();
      const result = await Promise.race([
        closed,
        new Promise<{ code: number; reason: string }>((r) =>
          setTimeout(() => r({ code: -1, reason: 'still open' }), 13_000),
        ),
      ]);
      expect(result.code).toBe(4408);
      expect(Date.now() - started).toBeGreaterThan(8_000);
    }, 20_000);
  });

  describe('pagination limits and cursors', () => {
    let integrationId: string;
    const a = who();
    beforeAll(async () => {
      integrationId = dataOf(
        await gql(
          t.graphqlUrl,
          CREATE_INTEGRATION,
          { input: { provider: 'faire', name: 'pages', webhookSecret: 'pages-secret' } },
          a.token,
        ),
      ).createIntegration.id;
    });

    const connections: [string, string][] = [
      [
        'endpoints',
        'query($first: Int, $after: String) { endpoints(first: $first, after: $after) { edges { cursor } } }',
      ],
      [
        'deliveries',
        'query($first: Int, $after: String) { deliveries(first: $first, after: $after) { edges { cursor } } }',
      ],
      ['events', 'query($first: Int, $after: String) { events(first: $first, after: $after) { edges { cursor } } }'],
      [
        'auditLogs',
        'query($first: Int, $after: String) { auditLogs(first: $first, after: $after) { edges { cursor } } }',
      ],
      [
        'inboundEvents',
        'query($first: Int, $after: String, $id: ID!) { inboundEvents(filter: { integrationId: $id }, first: $first, after: $after) { edges { cursor } } }',
      ],
    ];
    const b64 = (text: string): string => Buffer.from(text).toString('base64url');
    const rows = [
      ...connections.map(([name, query]) => [`${name}(first: 100000)`, query, { first: 100_000 }, 'first'] as const),
      ...connections.map(([name, query]) => [`${name}(first: -1)`, query, { first: -1 }, 'first'] as const),
      ...connections.map(
        ([name, query]) => [`${name}(after: "garbage")`, query, { after: 'garbage' }, 'after'] as const,
      ),
      ...connections.map(
        ([name, query]) =>
          [
            `${name}(after: base64 of junk JSON)`,
            query,
            { after: b64('{"createdAt":"x","id":{"$ne":1}}') },
            'after',
          ] as const,
      ),
      ...connections.map(
        ([name, query]) =>
          [
            `${name}(after: base64 of an injected id)`,
            query,
            { after: b64(`["2025-01-01T00:00:00.000Z","1' OR '1'='1"]`) },
            'after',
          ] as const,
      ),
    ];

    it.each(rows)('%s is BAD_USER_INPUT naming the argument', async (_label, query, variables, field) => {
      const before = await footprint(a.tenantId);
      const res = await gql(t.graphqlUrl, query, { ...variables, id: integrationId }, a.token);
      expectRefused(res, 'BAD_USER_INPUT', field);
      expect(res.data).toBeNull();
      expect(await footprint(a.tenantId)).toEqual(before);
    });
  });

  describe('endpoint fields: rate limits, headers, control characters', () => {
    const invalid: [string, Record<string, unknown>, string, RegExp][] = [
      ['rateLimitPerSecond -1', { rateLimitPerSecond: -1 }, 'rateLimitPerSecond', /between/],
      ['rateLimitPerSecond 0', { rateLimitPerSecond: 0 }, 'rateLimitPerSecond', /between/],
      ['rateLimitPerSecond 1,000,000', { rateLimitPerSecond: 1_000_000 }, 'rateLimitPerSecond', /between/],
      ['header value with CRLF', { headers: { 'x-a': 'v\r\nX-Evil: 1' } }, 'headers', /CR, LF/],
      ['header value with a bare LF', { headers: { 'x-a': 'v\nX-Evil: 1' } }, 'headers', /CR, LF/],
      ['header value with NUL', { headers: { 'x-a': 'v\u0000w' } }, 'headers', /./],
      ['header name with CRLF', { headers: { 'x-a\r\nX-Evil': 'v' } }, 'headers', /not a valid HTTP header name/],
      ['header name with a colon', { headers: { 'x-a:': 'v' } }, 'headers', /not a valid HTTP header name/],
      [
        'hop-by-hop header Keep-Alive',
        { headers: { 'Keep-Alive': 'timeout=5' } },
        'headers',
        /cannot be overridden|reserved/,
      ],
      ['hop-by-hop header Upgrade', { headers: { Upgrade: 'websocket' } }, 'headers', /cannot be overridden|reserved/],
      ['hop-by-hop header TE', { headers: { TE: 'trailers' } }, 'headers', /cannot be overridden|reserved/],
      ['Content-Length', { headers: { 'Content-Length': '0' } }, 'headers', /cannot be overridden|reserved/],
      [
        'Content-Encoding gzip (receivers would gunzip plain JSON)',
        { headers: { 'Content-Encoding': 'gzip' } },
        'headers',
        /cannot be overridden/,
      ],
      ['content-encoding in lower case', { headers: { 'content-encoding': 'br' } }, 'headers', /cannot be overridden/],
      ['Content-Range', { headers: { 'Content-Range': 'bytes 0-1/2' } }, 'headers', /cannot be overridden/],
      ['header name with a lone surrogate', { headers: { 'x-\ud800': 'v' } }, 'headers', /lone UTF-16 surrogate/],
      ['header value with a lone surrogate', { headers: { 'x-a': 'v\udfff' } }, 'headers', /lone UTF-16 surrogate/],
      ['description with NUL', { description: 'hello\u0000world' }, 'description', /NUL character/],
      [
        'description with a lone surrogate',
        { description: 'hello \ud83d world' },
        'description',
        /lone UTF-16 surrogate \(U\+D83D\)/,
      ],
      [
        'metadata with NUL in a value deep in an array',
        { metadata: { a: [[{ b: 'x\u0000' }]] } },
        'metadata',
        /NUL character.* at \$\.a\[0\]\[0\]\.b/,
      ],
      ['metadata with NUL in a member name', { metadata: { 'k\u0000': 1 } }, 'metadata', /member name contains a NUL/],
      [
        'metadata with a lone surrogate in a member name',
        { metadata: { nested: { '\udc00': 1 } } },
        'metadata',
        /member name contains a lone UTF-16 surrogate.* at \$\.nested/,
      ],
      [
        'event type with a lone surrogate',
        { eventTypes: ['order.created', 'order.\ud800'] },
        'eventTypes',
        /lone UTF-16 surrogate/,
      ],
      ['url with NUL', { url: 'https://93.184.215.14/ho\u0000ok' }, 'url', /NUL|./],
      ['signature header webhook-id', { headers: { 'webhook-id': 'msg_forged' } }, 'headers', /reserved/],
      ['signature header webhook-timestamp', { headers: { 'Webhook-Timestamp': '0' } }, 'headers', /reserved/],
      ['signature header webhook-signature', { headers: { 'WEBHOOK-SIGNATURE': 'v1,forged' } }, 'headers', /reserved/],
      ['event type with NUL', { eventTypes: ['order.created\u0000'] }, 'eventTypes', /./],
      ['event type with CRLF', { eventTypes: ['order.created\r\n'] }, 'eventTypes', /./],
      ['channel with LF', { channels: ['shop:1\nshop:2'] }, 'channels', /./],
      ['channel with an ANSI escape', { channels: ['\u001b[31mshop'] }, 'channels', /./],
      ['channel with DEL', { channels: ['shop\u007f'] }, 'channels', /./],
    ];

    it.each(invalid)(
      '%s is BAD_USER_INPUT at create (nothing stored) and at update (endpoint unchanged)',
      async (_label, extra, field, reason) => {
        const a = who();
        dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
        const before = await footprint(a.tenantId);
        const created = expectRefused(
          await gql(t.graphqlUrl, CREATE, { input: { url: PUBLIC_URL, ...extra } }, a.token),
          'BAD_USER_INPUT',
          field,
        );
        expect(`${created.message} ${String(created.extensions?.reason ?? '')}`).toMatch(reason);
        expect(await footprint(a.tenantId)).toEqual(before);

        const { endpoint } = dataOf(
          await gql(
            t.graphqlUrl,
            CREATE,
            {
              input: {
                url: PUBLIC_URL,
                rateLimitPerSecond: 5,
                headers: { 'x-ok': '1' },
                eventTypes: ['order.created'],
                channels: ['shop:1'],
              },
            },
            a.token,
          ),
        ).createEndpoint;
        const stored = dataOf(await gql(t.graphqlUrl, GET, { id: endpoint.id }, a.token)).endpoint;
        const afterCreate = await footprint(a.tenantId);
        expectRefused(
          await gql(t.graphqlUrl, UPDATE, { id: endpoint.id, input: extra }, a.token),
          'BAD_USER_INPUT',
          field,
        );
        expect(dataOf(await gql(t.graphqlUrl, GET, { id: endpoint.id }, a.token)).endpoint).toEqual(stored);
        expect(await footprint(a.tenantId)).toEqual(afterCreate);
      },
    );

    it.each([
      ['2^31 (not a 32-bit Int)', 2 ** 31],
      ['1e15', 1e15],
      ['1.5', 1.5],
    ])(
      'rateLimitPerSecond %s is refused by GraphQL coercion as BAD_USER_INPUT; nothing stored',
      async (_label, value) => {
        const a = who();
        dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
        const before = await footprint(a.tenantId);
        const res = await gql(t.graphqlUrl, CREATE, { input: { url: PUBLIC_URL, rateLimitPerSecond: value } }, a.token);
        expect(expectRefused(res, 'BAD_USER_INPUT').message).toMatch(/rateLimitPerSecond|Int/);
        expect(await footprint(a.tenantId)).toEqual(before);
      },
    );
  });

  describe('publishEvent: event types, channels and ordering keys with control characters', () => {
    it.each([
      ['eventType with NUL', { eventType: 'order.created\u0000' }, /eventType/],
      ['eventType with CRLF', { eventType: 'order.created\r\nx-evil: 1' }, /eventType/],
      ['eventType with an ANSI escape', { eventType: '\u001b[2Jorder.created' }, /eventType/],
      ['channel with BEL', { channels: ['shop:1\u0007'] }, /channels/],
      ['channel with CR', { channels: ['shop:1\r'] }, /channels/],
      ['orderingKey with NUL', { orderingKey: 'customer\u00001' }, /orderingKey/],
    ])('%s is BAD_USER_INPUT naming the field; nothing stored', async (_label, extra, field) => {
      const a = who();
      dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
      const before = await footprint(a.tenantId);
      expectRefused(
        await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: ORDER, ...extra } }, a.token),
        'BAD_USER_INPUT',
        field,
      );
      expect(await footprint(a.tenantId)).toEqual(before);
    });
  });

  describe('ids that are not UUIDs', () => {
    // An id with a NUL or a lone surrogate is refused before any lookup: see "NUL and lone surrogates" below.
    const hostileIds = [
      '1 OR 1=1',
      "'; DROP TABLE endpoints; --",
      '../../etc/passwd',
      '00000000-0000-0000-0000-00000000000g',
    ];
    const ops: [string, string][] = [
      ['endpoint', 'query($id: ID!) { endpoint(id: $id) { id } }'],
      ['updateEndpoint', `mutation($id: ID!) { updateEndpoint(id: $id, input: { description: "x" }) { id } }`],
      ['deleteEndpoint', 'mutation($id: ID!) { deleteEndpoint(id: $id) { id } }'],
      ['delivery', 'query($id: ID!) { delivery(id: $id) { id } }'],
      ['replayDelivery', 'mutation($id: ID!) { replayDelivery(id: $id) { id } }'],
      ['event', 'query($id: ID!) { event(id: $id) { id } }'],
      ['inboundEvent', 'query($id: ID!) { inboundEvent(id: $id) { id } }'],
      ['trackedJob', 'query($id: ID!) { trackedJob(id: $id) { id } }'],
    ];
    const rows = ops.flatMap(([name, query]) =>
      hostileIds.map((id) => [`${name}(id: ${JSON.stringify(id)})`, query, id] as const),
    );

    it.each(rows)('%s is NOT_FOUND, never an internal error', async (_label, query, id) => {
      const a = who();
      const { endpoint } = dataOf(
        await gql(t.graphqlUrl, CREATE, { input: { url: PUBLIC_URL } }, a.token),
      ).createEndpoint;
      const before = await footprint(a.tenantId);
      expectRefused(await gql(t.graphqlUrl, query, { id }, a.token), 'NOT_FOUND');
      expect(await footprint(a.tenantId)).toEqual(before);
      expect(dataOf(await gql(t.graphqlUrl, GET, { id: endpoint.id }, a.token)).endpoint.url).toBe(PUBLIC_URL);
    });
  });

  describe("filters and reducers from the engine's escape list", () => {
    const a = who();
    const sample = { order: { total: 150, text: 'abc', items: [1, 2] } };
    const escapes: [string, RegExp][] = [
      ['v => v.__proto__', /property "__proto__" is not allowed/],
      ['v => Object.assign(v, v)', /identifier "Object" is not allowed/],
      ['v => v.toString()', /property "toString" is not allowed/],
      ['v => v.text.includes.call(null, 1)', /property "call" is not allowed/],
      ['v => v?.constructor', /property "constructor" is not allowed/],
      ['v => v.__defineGetter__("x", 1)', /property "__defineGetter__" is not allowed/],
      ['v => v["prototype"]', /property "prototype" is not allowed/],
      ['v => Array.from(v)', /Array\.from is not allowed/],
      ['v => setTimeout(v, 1)', /calling "setTimeout" is not allowed/],
      ['v => v.a; process.exit()', /statements are not supported/],
      ['v => (v, process)', /sequence expressions/],
      ['v => typeof v', /"typeof" is not supported/],
      ['v => v.total++', /increment and decrement/],
      ['v => Reflect.ownKeys(v)', /identifier "Reflect" is not allowed/],
      ['v => v.map(x => y => 1)', /arrow functions are only allowed/],
    ];

    it.each(
      escapes.map(([c, r]) => [c.length > 60 ? `${c.slice(0, 30)}… (${c.length} characters)` : c, c, r] as const),
    )(
      '%s: validateFilter says success false with the reason; saveFilterReducer is BAD_USER_INPUT and stores nothing',
      async (_label, condition, reason) => {
        const validated = dataOf(
          await gql(
            t.graphqlUrl,
            VALIDATE_FILTER,
            { input: { sampleData: sample, filter: { query: '$.order', condition } } },
            a.token,
          ),
        ).validateFilter;
        expect(validated).toEqual({ success: false, filterResult: null, message: expect.stringMatching(reason) });
        const { endpoint } = dataOf(
          await gql(t.graphqlUrl, CREATE, { input: { url: PUBLIC_URL } }, a.token),
        ).createEndpoint;
        const saved = expectRefused(
          await gql(
            t.graphqlUrl,
            SAVE_FILTER,
            { endpointId: endpoint.id, input: { eventType: 'order.created', filter: { query: '$.order', condition } } },
            a.token,
          ),
          'BAD_USER_INPUT',
          'filter.condition',
        );
        expect(saved.message).toMatch(reason);
        expect(await filterCount(endpoint.id)).toBe(0);
      },
    );

    // A limit (not an escape) is a refusal in validate too: BAD_USER_INPUT with reasonCode LIMIT_EXCEEDED (issue 17).
    it.each([
      ['brackets 500 deep', `v => ${'['.repeat(500)}v${']'.repeat(500)}`, /nested deeper than 32 levels/],
      ['parentheses 200 deep', `v => ${'('.repeat(200)}v${')'.repeat(200)}`, /nested deeper than 32 levels/],
      ['a condition over 2,000 characters', `v => v.total > ${'1'.repeat(2100)}`, /2000|2,000/],
    ])(
      'a condition with %s: validateFilter and saveFilterReducer are BAD_USER_INPUT (LIMIT_EXCEEDED) and store nothing',
      async (_label, condition, reason) => {
        const validated = expectRefused(
          await gql(
            t.graphqlUrl,
            VALIDATE_FILTER,
            { input: { sampleData: sample, filter: { query: '$.order', condition } } },
            a.token,
          ),
          'BAD_USER_INPUT',
          'filter.condition',
        );
        expect(validated.extensions).toMatchObject({ reasonCode: 'LIMIT_EXCEEDED' });
        expect(validated.message).toMatch(reason);
        const { endpoint } = dataOf(
          await gql(t.graphqlUrl, CREATE, { input: { url: PUBLIC_URL } }, a.token),
        ).createEndpoint;
        const saved = expectRefused(
          await gql(
            t.graphqlUrl,
            SAVE_FILTER,
            { endpointId: endpoint.id, input: { eventType: 'order.created', filter: { query: '$.order', condition } } },
            a.token,
          ),
          'BAD_USER_INPUT',
          'filter.condition',
        );
        expect(saved.extensions).toMatchObject({ reasonCode: 'LIMIT_EXCEEDED' });
        expect(await filterCount(endpoint.id)).toBe(0);
      },
    );

    it.each([
      [
        'a JSONPath filter expression that tries to run code',
        { x: "$..[?(@.constructor.constructor('return process')())]" },
        'reducer.x',
        /invalid JSONPath/,
      ],
      [
        'a regex JSONPath function (ReDoS)',
        { y: { z: '$[?match(@.a, "(a+)+$")]' } },
        'reducer.y.z',
        /regular expressions are not supported/,
      ],
    ])(
      'reducer with %s: validateReducer says success false; saveFilterReducer is BAD_USER_INPUT on the leaf and stores nothing',
      async (_label, reducer, field, reason) => {
        const validated = dataOf(
          await gql(t.graphqlUrl, VALIDATE_REDUCER, { input: { sampleData: sample, reducer } }, a.token),
        ).validateReducer;
        expect(validated).toEqual({ success: false, reducerResult: null, message: expect.stringMatching(reason) });
        expect(validated.message.startsWith(`${field}:`)).toBe(true);
        const { endpoint } = dataOf(
          await gql(t.graphqlUrl, CREATE, { input: { url: PUBLIC_URL } }, a.token),
        ).createEndpoint;
        expectRefused(
          await gql(
            t.graphqlUrl,
            SAVE_FILTER,
            { endpointId: endpoint.id, input: { eventType: 'order.created', reducer } },
            a.token,
          ),
          'BAD_USER_INPUT',
          field,
        );
        expect(await filterCount(endpoint.id)).toBe(0);
      },
    );
  });

  describe('forged admin JWTs', () => {
    it.each([
      [
        'alg: none',
        (tenantId: string) => {
          const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
          return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'x', tenant_id: tenantId, permissions: ['manage_webhooks'], exp: Math.floor(Date.now() / 1000) + 600 })}.`;
        },
      ],
      [
        'signed with a wrong key',
        (tenantId: string) =>
          sign(
            { sub: 'x', tenant_id: tenantId, permissions: ['manage_webhooks'] },
            'not-the-server-key-not-the-server-key',
            { algorithm: 'HS256', expiresIn: 600 },
          ),
      ],
      [
        'HS256 with the key, but alg rewritten to HS512 in the header',
        (tenantId: string) => {
          const good = adminToken({ tenantId });
          const [, claims, sig] = good.split('.');
          return `${Buffer.from(JSON.stringify({ alg: 'HS512', typ: 'JWT' })).toString('base64url')}.${claims}.${sig}`;
        },
      ],
      [
        'a valid token with a tampered tenant_id',
        (tenantId: string) => {
          const [header, , sig] = adminToken({ tenantId: newTenantId() }).split('.');
          const claims = Buffer.from(
            JSON.stringify({
              sub: 'x',
              tenant_id: tenantId,
              permissions: ['manage_webhooks'],
              exp: Math.floor(Date.now() / 1000) + 600,
            }),
          ).toString('base64url');
          return `${header}.${claims}.${sig}`;
        },
      ],
    ])('%s is UNAUTHENTICATED on a query and a mutation; nothing is created', async (_label, forge) => {
      const tenantId = newTenantId();
      const token = forge(tenantId);
      expectRefused(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, token), 'UNAUTHENTICATED');
      expectRefused(await gql(t.graphqlUrl, CREATE, { input: { url: PUBLIC_URL } }, token), 'UNAUTHENTICATED');
      expect(await footprint(tenantId)).toEqual({ endpoints: 0, events: 0, deliveries: 0, audit: 0, idempotency: 0 });
      expect((await ds.query('SELECT count(*)::int AS n FROM tenants WHERE id = $1', [tenantId]))[0].n).toBe(0);
    });
  });

  describe('NUL and lone surrogates anywhere else (issue 17): BAD_USER_INPUT naming the field and why, nothing stored', () => {
    const integrationCount = async (tenantId: string): Promise<number> =>
      (await ds.query('SELECT count(*)::int AS n FROM integrations WHERE tenant_id = $1', [tenantId]))[0].n as number;
    const payload = (extra: Record<string, unknown>): Record<string, unknown> => ({ ...ORDER, ...extra });
    const rows: [string, string, Record<string, unknown>, string, RegExp][] = [
      [
        'publishEvent: NUL deep inside arrays of the payload',
        PUBLISH,
        { input: { eventType: 'order.created', payload: payload({ notes: [[{ x: 'a\u0000' }]] }) } },
        'payload',
        /NUL character.* at \$\.notes\[0\]\[0\]\.x/,
      ],
      [
        'publishEvent: NUL in a payload member name',
        PUBLISH,
        { input: { eventType: 'order.created', payload: payload({ meta: { 'k\u0000y': 1 } }) } },
        'payload',
        /member name contains a NUL.* at \$\.meta/,
      ],
      [
        'publishEvent: a lone high surrogate in the payload',
        PUBLISH,
        { input: { eventType: 'order.created', payload: payload({ note: 'x\ud800' }) } },
        'payload',
        /lone UTF-16 surrogate \(U\+D800\).* at \$\.note/,
      ],
      [
        'publishEvent: a lone low surrogate in a payload member name',
        PUBLISH,
        { input: { eventType: 'order.created', payload: payload({ '\udc00': 1 }) } },
        'payload',
        /member name contains a lone UTF-16 surrogate \(U\+DC00\)/,
      ],
      [
        'publishEvent: a lone surrogate in the event type',
        PUBLISH,
        { input: { eventType: 'order.created\ud800', payload: ORDER } },
        'eventType',
        /lone UTF-16 surrogate|eventType/,
      ],
      [
        'publishEvent: a lone surrogate in a channel',
        PUBLISH,
        { input: { eventType: 'order.created', payload: ORDER, channels: ['shop:\udbff'] } },
        'channels',
        /lone UTF-16 surrogate/,
      ],
      [
        'publishEvent: NUL in the idempotency key',
        PUBLISH,
        { input: { eventType: 'order.created', payload: ORDER, idempotencyKey: 'k\u0000' } },
        'idempotencyKey',
        /NUL character/,
      ],
      [
        'publishEvents: NUL in the second payload',
        `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`,
        {
          inputs: [
            { eventType: 'order.created', payload: ORDER },
            { eventType: 'order.created', payload: payload({ n: '\u0000' }) },
          ],
        },
        'payload',
        /NUL character.* at \$\.n/,
      ],
      [
        'createIntegration: NUL in the name',
        CREATE_INTEGRATION,
        { input: { provider: 'faire', name: 'shop\u0000', webhookSecret: 's' } },
        'name',
        /NUL character/,
      ],
      [
        'createIntegration: a lone surrogate in the webhook secret',
        CREATE_INTEGRATION,
        { input: { provider: 'faire', name: 'shop', webhookSecret: 's\ud800' } },
        'webhookSecret',
        /lone UTF-16 surrogate/,
      ],
      [
        'createIntegration: NUL inside credentials',
        CREATE_INTEGRATION,
        { input: { provider: 'faire', name: 'shop', webhookSecret: 's', credentials: { apiKey: 'a\u0000' } } },
        'credentials',
        /NUL character.* at \$\.apiKey/,
      ],
      [
        'createApiKey: NUL in the name',
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`,
        { input: { name: 'ci\u0000', permissions: ['manage_webhooks'] } },
        'name',
        /NUL character/,
      ],
      [
        'validateFilter: NUL in a sample data member name',
        VALIDATE_FILTER,
        { input: { sampleData: { 'a\u0000': 1 }, filter: { query: '$.a' } } },
        'sampleData',
        /member name contains a NUL/,
      ],
      [
        'validateReducer: a JSONPath with NUL',
        VALIDATE_REDUCER,
        { input: { sampleData: {}, reducer: { q: '$.order\u0000' } } },
        'reducer',
        /NUL character.* at \$\.q/,
      ],
      [
        'validateFilter: a condition with a lone surrogate',
        VALIDATE_FILTER,
        { input: { sampleData: {}, filter: { query: '$.a', condition: 'v => v === "\ud800"' } } },
        'filter.condition',
        /lone UTF-16 surrogate/,
      ],
      [
        'deliveries: NUL in the eventType filter',
        'query($f: DeliveryFilter) { deliveries(filter: $f) { edges { cursor } } }',
        { f: { eventType: 'order.created\u0000' } },
        'eventType',
        /NUL character/,
      ],
      [
        'events: a lone surrogate in the channel filter',
        'query($f: EventFilter) { events(filter: $f) { edges { cursor } } }',
        { f: { channel: '\ud800' } },
        'channel',
        /lone UTF-16 surrogate/,
      ],
      [
        'endpoints: NUL in the eventType filter',
        'query($f: EndpointFilter) { endpoints(filter: $f) { totalCount } }',
        { f: { eventType: 'order.created\u0000' } },
        'eventType',
        /NUL character/,
      ],
      [
        'a cursor with NUL',
        'query($after: String) { endpoints(after: $after) { totalCount } }',
        { after: 'abc\u0000' },
        'after',
        /NUL character/,
      ],
      ...['endpoint', 'delivery', 'event', 'inboundEvent', 'trackedJob'].map(
        (name) =>
          [
            `${name}(id) with NUL`,
            `query($id: ID!) { ${name}(id: $id) { id } }`,
            { id: '00000000-0000-0000-0000-000000000000\u0000' },
            'id',
            /NUL character/,
          ] as [string, string, Record<string, unknown>, string, RegExp],
      ),
      [
        'deleteEndpoint(id) with a lone surrogate',
        'mutation($id: ID!) { deleteEndpoint(id: $id) { id } }',
        { id: '\udfff' },
        'id',
        /lone UTF-16 surrogate/,
      ],
    ];

    it.each(rows)('%s', async (_label, query, variables, field, reason) => {
      const a = who();
      dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
      const before = {
        ...(await footprint(a.tenantId)),
        integrations: await integrationCount(a.tenantId),
        apiKeys: await count('api_keys', a.tenantId),
      };
      const refusal = expectRefused(await gql(t.graphqlUrl, query, variables, a.token), 'BAD_USER_INPUT', field);
      expect(String(refusal.extensions?.reason)).toMatch(reason);
      expect({
        ...(await footprint(a.tenantId)),
        integrations: await integrationCount(a.tenantId),
        apiKeys: await count('api_keys', a.tenantId),
      }).toEqual(before);
    });

    it.each([
      [
        'a JSON literal with \\u0000 in a value',
        '{ order: { id: "o", status: "paid", currency: "USD", total: 1, line_items: [] }, note: "a\\u0000b" }',
        /NUL character.* at \$\.note/,
      ],
      [
        'a JSON literal with \\u0000 in a nested list',
        '{ order: { id: "o", status: "paid", currency: "USD", total: 1, line_items: [] }, l: [["\\u0000"]] }',
        /NUL character.* at \$\.l\[0\]\[0\]/,
      ],
    ])('publishEvent with %s inline in the query is refused the same way', async (_label, literal, reason) => {
      const a = who();
      dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
      const before = await footprint(a.tenantId);
      const refusal = expectRefused(
        await gql(
          t.graphqlUrl,
          `mutation { publishEvent(input: { eventType: "order.created", payload: ${literal} }) { id } }`,
          {},
          a.token,
        ),
        'BAD_USER_INPUT',
        'payload',
      );
      expect(String(refusal.extensions?.reason)).toMatch(reason);
      expect(await footprint(a.tenantId)).toEqual(before);
    });

    it('a lone surrogate escape inline in the query text is refused by the parser; nothing stored', async () => {
      const a = who();
      dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
      const before = await footprint(a.tenantId);
      const res = await gql(
        t.graphqlUrl,
        'mutation { publishEvent(input: { eventType: "order.created", payload: { l: [["\\ud800"]] } }) { id } }',
        {},
        a.token,
      );
      expect(expectRefused(res, 'GRAPHQL_PARSE_FAILED').message).toMatch(/Invalid Unicode escape/);
      expect(await footprint(a.tenantId)).toEqual(before);
    });

    it('an update with NUL leaves the endpoint exactly as it was', async () => {
      const a = who();
      const { endpoint } = dataOf(
        await gql(t.graphqlUrl, CREATE, { input: { url: PUBLIC_URL, headers: { 'x-ok': '1' } } }, a.token),
      ).createEndpoint;
      const stored = dataOf(await gql(t.graphqlUrl, GET, { id: endpoint.id }, a.token)).endpoint;
      const before = await footprint(a.tenantId);
      expectRefused(
        await gql(
          t.graphqlUrl,
          UPDATE,
          { id: endpoint.id, input: { description: 'ok', metadata: { a: '\u0000' } } },
          a.token,
        ),
        'BAD_USER_INPUT',
        'metadata',
      );
      expect(dataOf(await gql(t.graphqlUrl, GET, { id: endpoint.id }, a.token)).endpoint).toEqual(stored);
      expect(await footprint(a.tenantId)).toEqual(before);
    });
  });

  describe('dates and cursors out of range (issue 17): BAD_USER_INPUT, never a Postgres error', () => {
    const a = who();
    let endpointId: string;
    let integrationId: string;
    beforeAll(async () => {
      endpointId = dataOf(await gql(t.graphqlUrl, CREATE, { input: { url: PUBLIC_URL } }, a.token)).createEndpoint
        .endpoint.id;
      integrationId = dataOf(
        await gql(
          t.graphqlUrl,
          CREATE_INTEGRATION,
          { input: { provider: 'faire', name: 'dates', webhookSecret: 'dates-secret' } },
          a.token,
        ),
      ).createIntegration.id;
    });
    const dates = [
      '-271821-04-20T00:00:00.000Z',
      '+275760-09-13T00:00:00.000Z',
      '+010000-01-01T00:00:00.000Z',
      '-000001-01-01T00:00:00.000Z',
    ];
    const ops: [string, string, (d: string) => Record<string, unknown>][] = [
      [
        'recoverDeliveries(since)',
        'mutation($e: ID!, $d: DateTime!) { recoverDeliveries(endpointId: $e, since: $d) { id } }',
        (d) => ({ d }),
      ],
      ['deliveryStats(since)', 'query($d: DateTime) { deliveryStats(since: $d) { total } }', (d) => ({ d })],
      [
        'responseTimeSeries(from, to)',
        'query($d: DateTime!) { responseTimeSeries(from: $d, to: "2026-01-01T00:00:00.000Z") { bucketStart } }',
        (d) => ({ d }),
      ],
      [
        'deliveries(filter.after)',
        'query($d: DateTime) { deliveries(filter: { after: $d }) { edges { cursor } } }',
        (d) => ({ d }),
      ],
      [
        'events(filter.before)',
        'query($d: DateTime) { events(filter: { before: $d }) { edges { cursor } } }',
        (d) => ({ d }),
      ],
      [
        'inboundEvents(filter.receivedAfter)',
        'query($i: ID!, $d: DateTime) { inboundEvents(filter: { integrationId: $i, receivedAfter: $d }) { totalCount } }',
        (d) => ({ d }),
      ],
    ];
    const rows = ops.flatMap(([name, query, vars]) => dates.map((d) => [`${name} = ${d}`, query, vars(d)] as const));

    it.each(rows)('%s is BAD_USER_INPUT with the allowed range; nothing changes', async (_label, query, variables) => {
      const before = await footprint(a.tenantId);
      const res = await gql(t.graphqlUrl, query, { ...variables, e: endpointId, i: integrationId }, a.token);
      const refusal = expectRefused(res, 'BAD_USER_INPUT');
      expect(String(refusal.extensions?.reason)).toMatch(
        /between 0001-01-01T00:00:00\.000Z and 9999-12-31T23:59:59\.999Z/,
      );
      expect(await footprint(a.tenantId)).toEqual(before);
    });

    it('the same operations with an in-range date answer (positive control)', async () => {
      dataOf(
        await gql(
          t.graphqlUrl,
          'query($d: DateTime) { deliveryStats(since: $d) { total } }',
          { d: '0001-01-01T00:00:00.000Z' },
          a.token,
        ),
      );
      dataOf(
        await gql(
          t.graphqlUrl,
          'query($d: DateTime) { deliveries(filter: { after: $d }) { edges { cursor } } }',
          { d: '9999-12-31T23:59:59.999Z' },
          a.token,
        ),
      );
    });

    const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const UUID = '0b6a4a3e-5d7c-4b8e-9f1a-2c3d4e5f6a7b';
    const connections: [string, string][] = [
      ['endpoints', 'query($after: String) { endpoints(after: $after) { totalCount } }'],
      ['deliveries', 'query($after: String) { deliveries(after: $after) { edges { cursor } } }'],
      ['events', 'query($after: String) { events(after: $after) { edges { cursor } } }'],
      ['auditLogs', 'query($after: String) { auditLogs(after: $after) { edges { cursor } } }'],
    ];
    const cursors: [string, string][] = [
      ['year -271821', b64(['-271821-04-20T00:00:00.000Z', UUID])],
      ['year +275760', b64(['+275760-09-13T00:00:00.000Z', UUID])],
      ['a 36-character non-UUID', b64(['2026-01-01T00:00:00.000Z', '-'.repeat(36)])],
      ['36 hex digits', b64(['2026-01-01T00:00:00.000Z', 'f'.repeat(36)])],
    ];
    const inboundCursors: [string, string][] = [
      ['year -271821', b64({ f: 'RECEIVED_AT', d: 'DESC', v: '-271821-04-20T00:00:00.000Z', id: UUID })],
      [
        'a 36-character non-UUID',
        b64({ f: 'RECEIVED_AT', d: 'DESC', v: '2026-01-01T00:00:00.000Z', id: '-'.repeat(36) }),
      ],
      ['an event code with NUL', b64({ f: 'EVENT_CODE', d: 'DESC', v: 'A\u0000', id: UUID })],
    ];
    const cursorRows = [
      ...connections.flatMap(([name, query]) =>
        cursors.map(([label, after]) => [`${name}(after: ${label})`, query, after, undefined] as const),
      ),
      ...inboundCursors.map(
        ([label, after]) =>
          [
            `inboundEvents(after: ${label})`,
            'query($after: String, $i: ID!, $o: InboundEventOrder) { inboundEvents(filter: { integrationId: $i }, orderBy: $o, after: $after) { totalCount } }',
            after,
            label.includes('event code') ? { field: 'EVENT_CODE', direction: 'DESC' } : undefined,
          ] as const,
      ),
    ];

    it.each(cursorRows)('%s is BAD_USER_INPUT on after', async (_label, query, after, orderBy) => {
      const before = await footprint(a.tenantId);
      const res = await gql(
        t.graphqlUrl,
        query,
        { after, i: integrationId, ...(orderBy ? { o: orderBy } : {}) },
        a.token,
      );
      expect(expectRefused(res, 'BAD_USER_INPUT', 'after').extensions?.reason).toBe('malformed cursor');
      expect(await footprint(a.tenantId)).toEqual(before);
    });
  });

  describe('variables nested deeper than 100 levels (issue 17): refused before coercion, HTTP 400, nothing stored', () => {
    const filterTree = (levels: number): string =>
      `${'{"logic":"AND","conditions":['.repeat(levels)}{"query":"$.a"}${']}'.repeat(levels)}`;
    const cases: [string, string, string, RegExp][] = [
      [
        'a filter tree 10,000 deep in validateFilter',
        VALIDATE_FILTER,
        `{"input":{"sampleData":{},"filter":${filterTree(10_000)}}}`,
        /at input\.filter\.conditions\.0\.conditions…/,
      ],
      [
        'a filter tree 200 deep in saveFilterReducer',
        SAVE_FILTER,
        `{"endpointId":"00000000-0000-0000-0000-000000000000","input":{"eventType":"order.created","filter":${filterTree(200)}}}`,
        /at input\.filter/,
      ],
      [
        'a list 10,000 deep in publishEvents',
        `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`,
        `{"inputs":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
        /at inputs\.0\.0/,
      ],
      [
        'objects 10,000 deep in endpoint metadata',
        CREATE,
        `{"input":{"url":"${PUBLIC_URL}","metadata":${nestedJson(10_000)}}}`,
        /at input\.metadata\.a/,
      ],
      [
        'lists 10,000 deep in a channel list',
        PUBLISH,
        `{"input":{"eventType":"order.created","payload":{},"channels":${'['.repeat(10_000)}"x"${']'.repeat(10_000)}}}`,
        /at input\.channels\.0/,
      ],
    ];

    it.each(cases)('%s', async (_label, query, variables, at) => {
      const a = who();
      dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
      const before = await footprint(a.tenantId);
      const res = await fetch(t.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
        body: `{"query":${JSON.stringify(query)},"variables":${variables}}`,
      });
      const parsed = (await res.json()) as GqlResponse<unknown>;
      expect(res.status).toBe(400);
      const refusal = expectRefused({ status: res.status, data: parsed.data, errors: parsed.errors }, 'BAD_USER_INPUT');
      expect(refusal.extensions).toMatchObject({ limit: 100, reasonCode: 'LIMIT_EXCEEDED' });
      expect(String(refusal.extensions?.reason)).toMatch(/nested deeper than 100 levels/);
      expect(String(refusal.extensions?.reason)).toMatch(at);
      expect(await footprint(a.tenantId)).toEqual(before);
    });
  });

  describe('integration credentials over 16 KiB (issue 17)', () => {
    const big = { apiKey: 'k', blob: 'x'.repeat(17 * 1024) };

    it('is BAD_USER_INPUT (LIMIT_EXCEEDED) at create, and stores nothing', async () => {
      const a = who();
      dataOf(await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, a.token));
      const before = await footprint(a.tenantId);
      const res = await gql(
        t.graphqlUrl,
        CREATE_INTEGRATION,
        { input: { provider: 'faire', name: 'big', webhookSecret: 's', credentials: big } },
        a.token,
      );
      expect(expectRefused(res, 'BAD_USER_INPUT', 'credentials').extensions).toMatchObject({
        limit: 16384,
        reasonCode: 'LIMIT_EXCEEDED',
        reason: expect.stringMatching(/at most 16384 bytes/),
      });
      expect(
        (await ds.query('SELECT count(*)::int AS n FROM integrations WHERE tenant_id = $1', [a.tenantId]))[0].n,
      ).toBe(0);
      expect(await footprint(a.tenantId)).toEqual(before);
    });

    it('is BAD_USER_INPUT at update and leaves the stored credentials as they were; 16 KiB exactly is accepted (positive control)', async () => {
      const a = who();
      const { id } = dataOf(
        await gql(
          t.graphqlUrl,
          CREATE_INTEGRATION,
          { input: { provider: 'faire', name: 'ok', webhookSecret: 's', credentials: { apiKey: 'k' } } },
          a.token,
        ),
      ).createIntegration;
      const [before] = (await ds.query('SELECT credentials_encrypted, updated_at FROM integrations WHERE id = $1', [
        id,
      ])) as unknown[];
      const UPDATE_INTEGRATION =
        'mutation($id: ID!, $input: UpdateIntegrationInput!) { updateIntegration(id: $id, input: $input) { id } }';
      expectRefused(
        await gql(t.graphqlUrl, UPDATE_INTEGRATION, { id, input: { credentials: big } }, a.token),
        'BAD_USER_INPUT',
        'credentials',
      );
      expect(
        (await ds.query('SELECT credentials_encrypted, updated_at FROM integrations WHERE id = $1', [id]))[0],
      ).toEqual(before);
      const exact = { k: 'x'.repeat(16 * 1024 - '{"k":""}'.length) };
      dataOf(await gql(t.graphqlUrl, UPDATE_INTEGRATION, { id, input: { credentials: exact } }, a.token));
    });
  });

  describe('admin JWTs with too long a lifetime (issue 17, JWT_MAX_LIFETIME_SECONDS = 86400)', () => {
    const now = (): number => Math.floor(Date.now() / 1000);
    const claims = (tenantId: string): Record<string, unknown> => ({
      sub: 'x',
      tenant_id: tenantId,
      permissions: ['manage_webhooks'],
    });
    it.each([
      [
        'exp: 1e300',
        (tenantId: string) =>
          sign({ ...claims(tenantId), iat: now(), exp: 1e300 }, t.config.jwtSecret, { algorithm: 'HS256' }),
      ],
      [
        'exp: 1e300 and no iat',
        (tenantId: string) =>
          sign({ ...claims(tenantId), exp: 1e300 }, t.config.jwtSecret, { algorithm: 'HS256', noTimestamp: true }),
      ],
      ['a 25 h lifetime', (tenantId: string) => adminToken({ tenantId, expiresInSec: 25 * 3600 })],
      ['no exp at all', (tenantId: string) => sign(claims(tenantId), t.config.jwtSecret, { algorithm: 'HS256' })],
    ])('%s is UNAUTHENTICATED on a query and a mutation; nothing is created', async (_label, mint) => {
      const tenantId = newTenantId();
      const token = mint(tenantId);
      const refusal = expectRefused(
        await gql(t.graphqlUrl, '{ endpoints(first: 1) { totalCount } }', {}, token),
        'UNAUTHENTICATED',
      );
      expect(refusal.message).toMatch(/lifetime over the maximum of 86400 s|exp claim required/);
      expectRefused(await gql(t.graphqlUrl, CREATE, { input: { url: PUBLIC_URL } }, token), 'UNAUTHENTICATED');
      expect(await footprint(tenantId)).toEqual({ endpoints: 0, events: 0, deliveries: 0, audit: 0, idempotency: 0 });
      expect((await ds.query('SELECT count(*)::int AS n FROM tenants WHERE id = $1', [tenantId]))[0].n).toBe(0);
    });

    it('a 1 h token works (positive control)', async () => {
      const tenantId = newTenantId();
      dataOf(
        await gql(t.graphqlUrl, CREATE, { input: { url: PUBLIC_URL } }, adminToken({ tenantId, expiresInSec: 3600 })),
      );
      expect((await footprint(tenantId)).endpoints).toBe(1);
    });
  });
});
