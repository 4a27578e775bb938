import { Webhook } from 'standardwebhooks';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { ALL_CHANNELS } from '../../src/auth/principal';
import { EndpointEntity, EndpointHealth } from '../../src/endpoints/endpoint.entity';
import { DISABLE_AFTER_MS, FAILING_AFTER_MS } from '../../src/endpoints/endpoint-health';
import { EndpointEnabled, EndpointEvent } from '../../src/endpoints/endpoint.events';
import { EndpointHealthTracker } from '../../src/endpoints/endpoint-health-tracker.service';
import { EndpointsService } from '../../src/endpoints/endpoints.service';
import { PLATFORM_CATALOG } from '../../src/event-types/catalog/platform-catalog';
import { EventTypeMirror } from '../../src/event-types/event-type-mirror';
import { FanoutTargeting } from '../../src/deliveries/fanout-targeting';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, errorCode, gql, GqlResponse } from '../support/graphql-client';
import { ok, ReceivedRequest, Receiver, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const FIELDS =
  'id url description eventTypes channels isActive disabledReason health consecutiveFailures disableAt verifiedAt rateLimitPerSecond headers metadata createdAt updatedAt';
const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { ${FIELDS} } } }`;
const GET = `query($id: ID!) { endpoint(id: $id) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateEndpointInput!) { updateEndpoint(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteEndpoint(id: $id) { id deletedAt } }`;
const TOGGLE = `mutation($id: ID!) { toggleEndpoint(id: $id) { ${FIELDS} } }`;
const ROTATE = `mutation($id: ID!) { rotateEndpointSecret(id: $id) { secret previousSecretExpiresAt endpoint { ${FIELDS} } } }`;
const VERIFY = `mutation($id: ID!) { verifyEndpoint(id: $id) { verified reason } }`;
const LIST = `query($filter: EndpointFilter, $first: Int, $after: String) { endpoints(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
const ORDER = {
  order: { id: 'ord_sig', status: 'paid', currency: 'USD', total: 12.5, line_items: [{ sku: 'SKU-1', quantity: 1 }] },
};
const AUDIT = `query($after: String) { auditLogs(first: 100, after: $after) { edges { node { action actorType targetType targetId metadata } } pageInfo { hasNextPage endCursor } } }`;

interface EndpointView {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  channels: string[];
  isActive: boolean;
  disabledReason: string | null;
  health: string;
  consecutiveFailures: number;
  disableAt: string | null;
  verifiedAt: string | null;
  rateLimitPerSecond: number | null;
  headers: Record<string, string> | null;
  metadata: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

describe('endpoints (real Postgres + Redis, receivers on 127.0.0.1)', () => {
  let t: TestApp;
  let service: EndpointsService;
  let health: EndpointHealthTracker;
  let dataSource: DataSource;
  const receivers: Receiver[] = [];

  const receiver = async (...args: Parameters<typeof Receiver.start>): Promise<Receiver> => {
    const r = await Receiver.start(...args);
    receivers.push(r);
    return r;
  };

  async function create(
    token: string,
    input: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<{ secret: string; endpoint: EndpointView }> {
    return dataOf(await gql(t.graphqlUrl, CREATE, { input }, token, headers)).createEndpoint;
  }

  async function list(
    token: string,
    variables: Record<string, unknown> = {},
  ): Promise<{
    totalCount: number;
    edges: { cursor: string; node: EndpointView }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  }> {
    return dataOf(await gql(t.graphqlUrl, LIST, { first: 100, ...variables }, token)).endpoints;
  }

  async function auditEntries(
    token: string,
  ): Promise<{ action: string; actorType: string; targetType: string; targetId: string | null; metadata: unknown }[]> {
    const out = [];
    let after: string | null = null;
    do {
      const page: {
        edges: {
          node: { action: string; actorType: string; targetType: string; targetId: string | null; metadata: unknown };
        }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      } = dataOf(await gql(t.graphqlUrl, AUDIT, { after }, token)).auditLogs;
      out.push(...page.edges.map((e) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return out;
  }

  /** Publishes an order.created for the token's tenant; resolves with the request the receiver got for it. */
  async function deliverTo(r: Receiver, token: string): Promise<ReceivedRequest> {
    const input = { eventType: 'order.created', payload: ORDER };
    const eventId: string = dataOf(await gql(t.graphqlUrl, PUBLISH, { input }, token)).publishEvent.id;
    return waitUntil(async () => r.requests.find((req) => req.headers['webhook-id'] === eventId));
  }

  /** What the receiver's standardwebhooks verifier makes of the request under this secret (throws if it fails). */
  function verifyWith(secret: string, req: ReceivedRequest, signature = req.headers['webhook-signature']): unknown {
    const headers = {
      'webhook-id': req.headers['webhook-id'],
      'webhook-timestamp': req.headers['webhook-timestamp'],
      'webhook-signature': signature,
    };
    return new Webhook(secret).verify(req.body, headers);
  }

  function badInput(res: GqlResponse<unknown>, field: string): string {
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    return String(res.errors?.[0]?.extensions?.reason ?? '');
  }

  beforeAll(async () => {
    t = await createTestApp({ VERIFICATION_TIMEOUT_MS: '1000' });
    service = t.app.get(EndpointsService);
    health = t.app.get(EndpointHealthTracker);
    dataSource = t.app.get(DataSource);
  });

  afterAll(async () => {
    for (const r of receivers) await r.close();
    await t.close();
  });

  describe('event-type catalog', () => {
    it('is seeded at boot and served by eventTypes / eventType', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const types = dataOf(
        await gql(t.graphqlUrl, '{ eventTypes { name description schema samplePayload archived } }', {}, token),
      ).eventTypes as { name: string; samplePayload: unknown; schema: unknown; archived: boolean }[];
      const names = types.map((e) => e.name);
      for (const name of [
        'order.created',
        'order.updated',
        'order.cancelled',
        'order.fulfilled',
        'payment.completed',
        'payment.refunded',
        'product.created',
        'product.updated',
        'inventory.updated',
        'customer.created',
        'customer.updated',
        'shop.updated',
        'endpoint.failing',
        'endpoint.disabled',
        'delivery.dead_lettered',
        'webhook.test',
      ]) {
        expect(names).toContain(name);
      }
      expect(names).toEqual([...names].sort());
      expect(types.every((e) => !e.archived && e.samplePayload && typeof e.samplePayload === 'object')).toBe(true);
      // includeArchived adds the archived ones to the same live list, and loses no definition of the catalog.
      const withArchived = dataOf(
        await gql(t.graphqlUrl, '{ eventTypes(includeArchived: true) { name archived } }', {}, token),
      ).eventTypes as { name: string; archived: boolean }[];
      expect(withArchived.filter((e) => !e.archived).map((e) => e.name)).toEqual(names);
      expect(withArchived).toEqual(
        expect.arrayContaining(PLATFORM_CATALOG.map((d) => ({ name: d.name, archived: Boolean(d.archived) }))),
      );

      const one = dataOf(
        await gql(
          t.graphqlUrl,
          'query($n: String!) { eventType(name: $n) { name description schema samplePayload archived } }',
          { n: 'order.created' },
          token,
        ),
      ).eventType;
      const definition = PLATFORM_CATALOG.find((d) => d.name === 'order.created');
      expect(one).toEqual({
        name: 'order.created',
        description: definition?.description,
        schema: definition?.schema,
        samplePayload: definition?.samplePayload,
        archived: false,
      });
      expect(
        errorCode(
          await gql(
            t.graphqlUrl,
            'query($n: String!) { eventType(name: $n) { name } }',
            { n: 'order.exploded' },
            token,
          ),
        ),
      ).toBe('NOT_FOUND');
    });

    it('seeds idempotently, also from several processes at once', async () => {
      const seeder = t.app.get(EventTypeMirror);
      await Promise.all([seeder.seed(), seeder.seed(), seeder.seed()]);
      const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM event_types WHERE NOT archived');
      expect(count).toBe(PLATFORM_CATALOG.filter((d) => !d.archived).length);
    });
  });

  describe('lifecycle', () => {
    it('creates, reads, updates, toggles, rotates, verifies and deletes, never showing a secret outside create/rotate', async () => {
      const tenant = newTenantId();
      const token = adminToken({ tenantId: tenant });
      const echo = await receiver((req, res) => {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ challenge: JSON.parse(req.body).challenge }));
      });
      const seen: unknown[] = [];
      const call = async (query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> => {
        const data = dataOf(await gql(t.graphqlUrl, query, variables, token));
        seen.push(data);
        return data;
      };

      const created = await create(token, {
        url: echo.url,
        description: 'orders for the warehouse',
        eventTypes: ['order.created', 'order.updated', 'order.created'],
        channels: ['shop:1', 'shop:1', 'shop:2'],
        rateLimitPerSecond: 50,
        headers: { 'X-Api-Version': '2025-01', authorization: 'Bearer receiver-token' },
        metadata: { team: 'fulfilment' },
      });
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const id = created.endpoint.id;
      expect(created.endpoint).toMatchObject({
        url: echo.url,
        description: 'orders for the warehouse',
        eventTypes: ['order.created', 'order.updated'],
        channels: ['shop:1', 'shop:2'],
        isActive: true,
        disabledReason: null,
        health: 'HEALTHY',
        consecutiveFailures: 0,
        disableAt: null,
        verifiedAt: null,
        rateLimitPerSecond: 50,
        headers: { 'X-Api-Version': '2025-01', authorization: 'Bearer receiver-token' },
        metadata: { team: 'fulfilment' },
      });
      const [stored] = await dataSource.query('SELECT secret_encrypted FROM endpoints WHERE id = $1', [id]);
      expect(stored.secret_encrypted).toMatch(/^v2:default:/); // sealed under the ring's first key (in tests, the generated `default`)
      expect(stored.secret_encrypted).not.toContain(created.secret.slice(6));

      expect((await call(GET, { id })).endpoint).toEqual(created.endpoint);

      const updated = (await call(UPDATE, { id, input: { description: null, rateLimitPerSecond: 10 } }))
        .updateEndpoint as EndpointView;
      expect(updated).toMatchObject({
        description: null,
        rateLimitPerSecond: 10,
        eventTypes: ['order.created', 'order.updated'],
        channels: ['shop:1', 'shop:2'],
        url: echo.url,
      });
      const emptied = (await call(UPDATE, { id, input: { eventTypes: null, channels: [], headers: null } }))
        .updateEndpoint as EndpointView;
      expect(emptied).toMatchObject({
        eventTypes: [],
        channels: [],
        headers: null,
        metadata: { team: 'fulfilment' },
        rateLimitPerSecond: 10,
      });

      const off = (await call(TOGGLE, { id })).toggleEndpoint as EndpointView;
      expect(off).toMatchObject({ isActive: false, health: 'DISABLED', disabledReason: 'disabled by user' });
      const on = (await call(TOGGLE, { id })).toggleEndpoint as EndpointView;
      expect(on).toMatchObject({ isActive: true, health: 'HEALTHY', disabledReason: null, consecutiveFailures: 0 });

      const rotated = dataOf(await gql(t.graphqlUrl, ROTATE, { id }, token)).rotateEndpointSecret;
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(created.secret);
      expect(new Date(rotated.previousSecretExpiresAt).getTime() - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
      seen.push(rotated.endpoint);

      expect((await call(VERIFY, { id })).verifyEndpoint).toEqual({ verified: true, reason: null });
      expect(((await call(GET, { id })).endpoint as EndpointView).verifiedAt).not.toBeNull();
      seen.push(await list(token));

      const deleted = (await call(DELETE, { id })).deleteEndpoint as { id: string; deletedAt: string };
      expect(deleted.id).toBe(id);
      expect(Math.abs(new Date(deleted.deletedAt).getTime() - Date.now())).toBeLessThan(10_000);
      expect(errorCode(await gql(t.graphqlUrl, GET, { id }, token))).toBe('NOT_FOUND');
      expect((await list(token)).totalCount).toBe(0);

      const everything = JSON.stringify(seen);
      expect(everything).not.toContain('whsec_');
      expect(everything).not.toContain(created.secret.slice(6));
      expect(everything).not.toContain(rotated.secret.slice(6));

      const audit = await auditEntries(token);
      expect(audit.map((a) => a.action).sort()).toEqual(
        [
          'endpoint.created',
          'endpoint.updated',
          'endpoint.updated',
          'endpoint.disabled',
          'endpoint.enabled',
          'endpoint.secret_rotated',
          'endpoint.verified',
          'endpoint.deleted',
        ].sort(),
      );
      expect(audit.every((a) => a.targetType === 'endpoint' && a.targetId === id)).toBe(true);
      const auditText = JSON.stringify(audit);
      expect(auditText).not.toContain('whsec_');
      expect(auditText).not.toContain(created.secret.slice(6));
      expect(auditText).not.toContain(rotated.secret.slice(6));
      expect(auditText).not.toContain('receiver-token');
    });

    it('has no secret field on Endpoint or in the endpoints connection', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const query = `query($name: String!) { __type(name: $name) { fields { name } } }`;
      for (const name of ['Endpoint', 'EndpointConnection', 'EndpointEdge']) {
        const fields = (
          dataOf(await gql(t.graphqlUrl, query, { name }, token)).__type.fields as { name: string }[]
        ).map((f) => f.name);
        expect(fields.length).toBeGreaterThan(1);
        expect(fields.filter((f) => /secret/i.test(f))).toEqual([]);
      }
    });

    it("deletes the endpoint's deliveries with it", async () => {
      const tenant = newTenantId();
      const token = adminToken({ tenantId: tenant });
      const { endpoint } = await create(token, { url: 'https://hooks.example.com/a' });
      const [event] = await dataSource.query(
        `INSERT INTO events (tenant_id, event_type, payload) VALUES ($1, 'order.created', '{}') RETURNING id`,
        [tenant],
      );
      await dataSource.query(
        `INSERT INTO deliveries (tenant_id, endpoint_id, event_id, event_type, status, payload) VALUES ($1, $2, $3, 'order.created', 'FAILED', '{}')`,
        [tenant, endpoint.id, event.id],
      );
      dataOf(await gql(t.graphqlUrl, DELETE, { id: endpoint.id }, token));
      const [{ count }] = await dataSource.query(
        'SELECT count(*)::int AS count FROM deliveries WHERE endpoint_id = $1',
        [endpoint.id],
      );
      expect(count).toBe(0);
    });
  });

  describe('idempotent create', () => {
    it('returns the first result, secret included, for the same key and input; CONFLICT for other input', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const input = {
        url: 'https://hooks.example.com/orders',
        eventTypes: ['order.created'],
        idempotencyKey: 'create-orders-1',
      };
      const first = await create(token, input);
      const again = await create(token, input);
      expect(again).toEqual(first);
      expect((await list(token)).totalCount).toBe(1);

      const other = await gql(
        t.graphqlUrl,
        CREATE,
        { input: { ...input, url: 'https://hooks.example.com/other' } },
        token,
      );
      expect(errorCode(other)).toBe('CONFLICT');
      expect((await list(token)).totalCount).toBe(1);

      const viaHeader = { url: 'https://hooks.example.com/header' };
      const h1 = await create(token, viaHeader, { 'Idempotency-Key': 'hdr-1' });
      const h2 = await create(token, viaHeader, { 'Idempotency-Key': 'hdr-1' });
      expect(h2).toEqual(h1);
      expect(
        errorCode(
          await gql(t.graphqlUrl, CREATE, { input: { url: 'https://hooks.example.com/else' } }, token, {
            'Idempotency-Key': 'hdr-1',
          }),
        ),
      ).toBe('CONFLICT');
      expect((await list(token)).totalCount).toBe(2);

      // The key in the input wins over the header.
      const k = await create(token, { ...viaHeader, idempotencyKey: 'input-key' }, { 'Idempotency-Key': 'hdr-1' });
      expect(k.endpoint.id).not.toBe(h1.endpoint.id);
      expect((await list(token)).totalCount).toBe(3);
    });
  });

  describe('signing secrets, as the receiver verifies them (standardwebhooks)', () => {
    it("after a rotation, a delivery carries both signatures: the new secret's first, and each secret verifies it", async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const r = await receiver(ok());
      const { endpoint, secret: first } = await create(token, { url: r.url });
      const before = await deliverTo(r, token);
      expect(before.headers['webhook-signature'].split(' ')).toHaveLength(1);
      expect(verifyWith(first, before)).toEqual(JSON.parse(before.body));

      const rotated = dataOf(await gql(t.graphqlUrl, ROTATE, { id: endpoint.id }, token)).rotateEndpointSecret;
      expect(rotated.secret).not.toBe(first);
      const during = await deliverTo(r, token);
      expect(during.headers['webhook-signature'].split(' ')).toHaveLength(2);
      const [newest, previous] = during.headers['webhook-signature'].split(' ');
      expect(verifyWith(rotated.secret, during)).toEqual(JSON.parse(during.body));
      expect(verifyWith(first, during)).toEqual(JSON.parse(during.body));
      expect(verifyWith(rotated.secret, during, newest)).toEqual(JSON.parse(during.body));
      expect(verifyWith(first, during, previous)).toEqual(JSON.parse(during.body));
      expect(() => verifyWith(first, during, newest)).toThrow();
      expect(() => verifyWith(rotated.secret, { ...during, body: during.body.replace('12.5', '13') })).toThrow();
      expect(() => verifyWith(rotated.secret, before)).toThrow();
    });

    it('drops the previous secret once its grace period is over', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const r = await receiver(ok());
      const { endpoint, secret: first } = await create(token, { url: r.url });
      const rotated = dataOf(await gql(t.graphqlUrl, ROTATE, { id: endpoint.id }, token)).rotateEndpointSecret;
      expect((await deliverTo(r, token)).headers['webhook-signature'].split(' ')).toHaveLength(2);

      await dataSource.query(
        `UPDATE endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`,
        [endpoint.id],
      );
      const after = await deliverTo(r, token);
      expect(after.headers['webhook-signature'].split(' ')).toHaveLength(1);
      expect(verifyWith(rotated.secret, after)).toEqual(JSON.parse(after.body));
      expect(() => verifyWith(first, after)).toThrow();
    });

    it('signs each attempt with the secret in the row at that moment, as any process may have written it', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const r = await receiver(ok());
      const a = await create(token, { url: r.url, eventTypes: ['order.created'] });
      // Another endpoint of the tenant, not subscribed to order.created: only its ciphertext is used.
      const b = await create(token, { url: 'https://hooks.example.com/b', eventTypes: ['customer.created'] });
      const ciphertext = async (id: string): Promise<string> =>
        (await dataSource.query('SELECT secret_encrypted FROM endpoints WHERE id = $1', [id]))[0].secret_encrypted;
      const own = await ciphertext(a.endpoint.id);
      expect(verifyWith(a.secret, await deliverTo(r, token))).toBeTruthy();

      // A write this process knows nothing of (as from another process) signs the very next attempt.
      await dataSource.query('UPDATE endpoints SET secret_encrypted = $2 WHERE id = $1', [
        a.endpoint.id,
        await ciphertext(b.endpoint.id),
      ]);
      const swapped = await deliverTo(r, token);
      expect(verifyWith(b.secret, swapped)).toEqual(JSON.parse(swapped.body));
      expect(() => verifyWith(a.secret, swapped)).toThrow();

      await dataSource.query('UPDATE endpoints SET secret_encrypted = $2 WHERE id = $1', [a.endpoint.id, own]);
      const restored = await deliverTo(r, token);
      expect(verifyWith(a.secret, restored)).toEqual(JSON.parse(restored.body));
      expect(() => verifyWith(b.secret, restored)).toThrow();
    });
  });

  describe('tenant isolation', () => {
    it("answers NOT_FOUND for another tenant's endpoint on every operation, and changes nothing", async () => {
      const tokenA = adminToken({ tenantId: newTenantId() });
      const tokenB = adminToken({ tenantId: newTenantId() });
      const { endpoint } = await create(tokenA, { url: 'https://hooks.example.com/a', eventTypes: ['order.created'] });
      const id = endpoint.id;
      const rowOf = async (): Promise<Record<string, unknown>> =>
        (await dataSource.query('SELECT * FROM endpoints WHERE id = $1', [id]))[0];
      const stored = await rowOf();

      const notFound = await gql(t.graphqlUrl, GET, { id }, tokenB);
      expect(notFound.errors?.[0].extensions).toMatchObject({
        code: 'NOT_FOUND',
        reason: 'ENDPOINT_NOT_FOUND',
        reasonCode: 'ENDPOINT_NOT_FOUND',
      });
      expect(
        errorCode(
          await gql(t.graphqlUrl, UPDATE, { id, input: { url: 'https://evil.example.com/', isActive: false } }, tokenB),
        ),
      ).toBe('NOT_FOUND');
      expect(errorCode(await gql(t.graphqlUrl, TOGGLE, { id }, tokenB))).toBe('NOT_FOUND');
      expect(errorCode(await gql(t.graphqlUrl, ROTATE, { id }, tokenB))).toBe('NOT_FOUND');
      expect(errorCode(await gql(t.graphqlUrl, VERIFY, { id }, tokenB))).toBe('NOT_FOUND');
      expect(errorCode(await gql(t.graphqlUrl, DELETE, { id }, tokenB))).toBe('NOT_FOUND');
      expect((await list(tokenB)).totalCount).toBe(0);

      expect(dataOf(await gql(t.graphqlUrl, GET, { id }, tokenA)).endpoint).toEqual(endpoint);
      // Secrets (no rotation took), URL, activity: the row is as it was.
      expect(await rowOf()).toEqual(stored);
      expect(stored.previous_secret_encrypted).toBeNull();
      expect(await auditEntries(tokenB)).toEqual([]);

      expect(errorCode(await gql(t.graphqlUrl, GET, { id: 'not-a-uuid' }, tokenA))).toBe('NOT_FOUND');
      expect(errorCode(await gql(t.graphqlUrl, DELETE, { id: "1' OR '1'='1" }, tokenA))).toBe('NOT_FOUND');
    });
  });

  describe('SSRF guard (ALLOW_PRIVATE_TARGETS=false)', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await createTestApp({
        ALLOW_PRIVATE_TARGETS: 'false',
        VERIFICATION_TIMEOUT_MS: '1000',
        QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}strict`,
      }); // its own queues: its worker must not take the other app's deliveries
    });
    afterAll(async () => {
      await strict.close();
    });

    const refused = [
      'http://127.1/hook',
      'http://0x7f000001/hook',
      'http://2130706433/hook',
      'http://[::ffff:a9fe:a9fe]/latest',
      'http://[fd00:ec2::254]/latest',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/hook',
      'http://localhost:8080/hook',
      'http://[::1]/hook',
      'file:///etc/passwd',
      'gopher://example.com:70/_GET',
      'https://user:pass@example.com/hook',
      'https://example.com:22/hook',
      `https://example.com/${'a'.repeat(3000)}`,
    ];

    it.each(refused.map((url) => [url.length > 100 ? `a ${url.length}-character URL` : url, url]))(
      'refuses %s at create and update with BAD_USER_INPUT on url, creating nothing',
      async (_label, url) => {
        const token = adminToken({ tenantId: newTenantId() });
        const res = await gql(strict.graphqlUrl, CREATE, { input: { url } }, token);
        expect(res.data).toBeNull();
        expect(badInput(res, 'url').length).toBeGreaterThan(5);
        const count = dataOf(await gql(strict.graphqlUrl, LIST, {}, token)).endpoints.totalCount;
        expect(count).toBe(0);

        const { endpoint } = dataOf(
          await gql(strict.graphqlUrl, CREATE, { input: { url: 'https://93.184.215.14/hook' } }, token),
        ).createEndpoint;
        badInput(await gql(strict.graphqlUrl, UPDATE, { id: endpoint.id, input: { url } }, token), 'url');
        expect(dataOf(await gql(strict.graphqlUrl, GET, { id: endpoint.id }, token)).endpoint.url).toBe(
          'https://93.184.215.14/hook',
        );
      },
    );

    it('names the reason', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      expect(
        badInput(await gql(strict.graphqlUrl, CREATE, { input: { url: 'http://169.254.169.254/' } }, token), 'url'),
      ).toMatch(/link-local/);
      expect(
        badInput(await gql(strict.graphqlUrl, CREATE, { input: { url: 'http://localhost/' } }, token), 'url'),
      ).toMatch(/loopback/);
      expect(
        badInput(await gql(strict.graphqlUrl, CREATE, { input: { url: 'file:///etc/passwd' } }, token), 'url'),
      ).toMatch(/scheme/);
    });

    it.each([
      ['http://169.254.169.254/', 'TARGET_NOT_PUBLIC'],
      ['http://localhost/', 'TARGET_NOT_PUBLIC'],
      ['file:///etc/passwd', 'URL_SCHEME_NOT_ALLOWED'],
      ['https://user:pass@example.com/hook', 'URL_USERINFO_NOT_ALLOWED'],
      ['https://no-such-host.invalid/hook', 'URL_HOST_UNRESOLVED'],
    ])('names the fault of %s in reasonCode: %s', async (url, reasonCode) => {
      const token = adminToken({ tenantId: newTenantId() });
      const res = await gql(strict.graphqlUrl, CREATE, { input: { url } }, token);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url', reasonCode });
    });

    it('refuses again at connect time: verifying an endpoint whose URL points at loopback is "blocked address"', async () => {
      const tenant = newTenantId();
      const token = adminToken({ tenantId: tenant });
      const target = await receiver(ok());
      const { endpoint } = dataOf(
        await gql(strict.graphqlUrl, CREATE, { input: { url: 'https://93.184.215.14/hook' } }, token),
      ).createEndpoint;
      // As if the row predates the guard (or the name was re-pointed): only the connect-time check stands.
      await strict.app.get(DataSource).getRepository(EndpointEntity).update({ id: endpoint.id }, { url: target.url });
      const result = dataOf(await gql(strict.graphqlUrl, VERIFY, { id: endpoint.id }, token)).verifyEndpoint;
      expect(result.verified).toBe(false);
      expect(result.reason).toMatch(/^blocked address: 127\.0\.0\.1 is a loopback address/);
      expect(target.requests).toHaveLength(0);
    });
  });

  describe('verification handshake', () => {
    const challengeOf = (body: string): string => JSON.parse(body).challenge;

    it('verifies an endpoint that echoes the signed challenge', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const echo = await receiver((req, res) => {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ challenge: challengeOf(req.body) }));
      });
      const { endpoint, secret } = await create(token, { url: echo.url, headers: { 'X-Tenant-Ref': 'abc' } });
      expect(dataOf(await gql(t.graphqlUrl, VERIFY, { id: endpoint.id }, token)).verifyEndpoint).toEqual({
        verified: true,
        reason: null,
      });

      const [req] = echo.requests;
      expect(req.method).toBe('POST');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['x-tenant-ref']).toBe('abc');
      const body = JSON.parse(req.body);
      expect(body).toEqual({ type: 'webhook.verification', challenge: expect.stringMatching(/^[\w-]{20,}$/) });
      expect(
        new Webhook(secret).verify(req.body, {
          'webhook-id': req.headers['webhook-id'],
          'webhook-timestamp': req.headers['webhook-timestamp'],
          'webhook-signature': req.headers['webhook-signature'],
        }),
      ).toEqual(body);

      const after = dataOf(await gql(t.graphqlUrl, GET, { id: endpoint.id }, token)).endpoint;
      expect(Math.abs(new Date(after.verifiedAt).getTime() - Date.now())).toBeLessThan(10_000);
      const audit = await auditEntries(token);
      expect(audit.find((a) => a.action === 'endpoint.verified')).toMatchObject({ targetId: endpoint.id });
    });

    it('a new URL must be verified again', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const echo = await receiver((req, res) => {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ challenge: challengeOf(req.body) }));
      });
      const { endpoint } = await create(token, { url: echo.url });
      dataOf(await gql(t.graphqlUrl, VERIFY, { id: endpoint.id }, token));
      const moved = dataOf(
        await gql(t.graphqlUrl, UPDATE, { id: endpoint.id, input: { url: `${echo.url}/v2` } }, token),
      ).updateEndpoint;
      expect(moved.verifiedAt).toBeNull();
    });

    it.each([
      [
        'does not echo the challenge',
        (_body: string) => ({ status: 200, body: JSON.stringify({ challenge: 'something-else' }) }),
        /^wrong challenge/,
      ],
      ['answers without a challenge', () => ({ status: 200, body: '{"ok":true}' }), /no challenge/],
      [
        'answers 500',
        (body: string) => ({ status: 500, body: JSON.stringify({ challenge: challengeOf(body) }) }),
        /status 500/,
      ],
    ])('fails, with the reason, against a receiver that %s', async (_label, answer, reason) => {
      const token = adminToken({ tenantId: newTenantId() });
      const r = await receiver((req, res) => {
        const { status, body } = answer(req.body);
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      });
      const { endpoint } = await create(token, { url: r.url });
      const result = dataOf(await gql(t.graphqlUrl, VERIFY, { id: endpoint.id }, token)).verifyEndpoint;
      expect(result.verified).toBe(false);
      expect(result.reason).toMatch(reason);
      expect(dataOf(await gql(t.graphqlUrl, GET, { id: endpoint.id }, token)).endpoint.verifiedAt).toBeNull();
      expect((await auditEntries(token)).find((a) => a.action === 'endpoint.verification_failed')).toMatchObject({
        targetId: endpoint.id,
        metadata: { reason: result.reason },
      });
    });

    it('does not follow a redirect', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const target = await receiver((req, res) => {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ challenge: challengeOf(req.body) }));
      });
      const redirecting = await receiver((_req, res) => {
        res.writeHead(307, { location: target.url }).end();
      });
      const { endpoint } = await create(token, { url: redirecting.url });
      const result = dataOf(await gql(t.graphqlUrl, VERIFY, { id: endpoint.id }, token)).verifyEndpoint;
      expect(result.verified).toBe(false);
      expect(result.reason).toMatch(/^redirect not followed.*307/);
      expect(redirecting.requests).toHaveLength(1);
      expect(target.requests).toHaveLength(0);
    });

    it('times out against a receiver that never answers', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      let hungUp = 0;
      const silent = await receiver((_req, res) => void res.on('close', () => (hungUp += 1)));
      const { endpoint } = await create(token, { url: silent.url });
      const result = dataOf(await gql(t.graphqlUrl, VERIFY, { id: endpoint.id }, token)).verifyEndpoint;
      expect(result).toEqual({ verified: false, reason: 'timeout: no answer within 1 s' });
      // The receiver never answered: the verifier ended the exchange itself, on its deadline.
      expect(silent.requests).toHaveLength(1);
      await waitUntil(async () => hungUp === 1, 10_000);
    });

    it('reports a refused connection', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const gone = await Receiver.start(ok());
      const url = gone.url;
      await gone.close();
      const { endpoint } = await create(token, { url });
      const result = dataOf(await gql(t.graphqlUrl, VERIFY, { id: endpoint.id }, token)).verifyEndpoint;
      expect(result).toEqual({ verified: false, reason: 'could not connect: connection refused' });
    });
  });

  describe('input validation', () => {
    it('refuses unknown event types, naming them, and creates nothing', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const res = await gql(
        t.graphqlUrl,
        CREATE,
        { input: { url: 'https://hooks.example.com/', eventTypes: ['order.created', 'order.exploded'] } },
        token,
      );
      expect(badInput(res, 'eventTypes')).toContain('order.exploded');
      expect(res.errors?.[0].extensions).toMatchObject({
        reasonCode: 'UNKNOWN_EVENT_TYPE',
        unknown: ['order.exploded'],
      });
      expect(res.errors?.[0].message).toContain('order.exploded');
      expect((await list(token)).totalCount).toBe(0);
    });

    it.each([
      [{ 'x-a': 'v\r\nX-Evil: 1' }, /CR, LF/],
      [{ 'webhook-signature': 'v1,forged' }, /reserved/],
      [{ 'Svix-Signature': 'x' }, /reserved/],
      [{ Host: 'internal.example' }, /cannot be overridden/],
      [{ 'Transfer-Encoding': 'chunked' }, /cannot be overridden/],
      [{ Connection: 'close' }, /cannot be overridden/],
      [{ 'Content-Type': 'text/plain' }, /cannot be overridden/],
      [{ 'Proxy-Authorization': 'Basic x' }, /reserved/],
      [{ 'bad header': 'v' }, /not a valid HTTP header name/],
      [{ 'x-a': 1 }, /must be a string/],
    ])('refuses headers %j', async (headers, reason) => {
      const token = adminToken({ tenantId: newTenantId() });
      const res = await gql(t.graphqlUrl, CREATE, { input: { url: 'https://hooks.example.com/', headers } }, token);
      expect(badInput(res, 'headers')).toMatch(reason);
      expect(res.errors?.[0].extensions?.reasonCode).toBe('INVALID_HEADERS');
      expect((await list(token)).totalCount).toBe(0);
    });

    it.each([
      ['a negative rateLimitPerSecond', { rateLimitPerSecond: -5 }, 'rateLimitPerSecond'],
      ['rateLimitPerSecond 0', { rateLimitPerSecond: 0 }, 'rateLimitPerSecond'],
      ['rateLimitPerSecond 10001', { rateLimitPerSecond: 10_001 }, 'rateLimitPerSecond'],
      ['a 501-character description', { description: 'x'.repeat(501) }, 'description'],
      ['an empty channel', { channels: [''] }, 'channels'],
      ['a channel with a NUL', { channels: ['shop:1\u0000'] }, 'channels'],
      ['a 201-character channel', { channels: ['x'.repeat(201)] }, 'channels'],
      ['101 channels', { channels: Array.from({ length: 101 }, (_, i) => `shop:${i}`) }, 'channels'],
      ['an empty event type', { eventTypes: [''] }, 'eventTypes'],
      ['metadata that is not an object', { metadata: [1, 2] }, 'metadata'],
      ['metadata over 8 KiB', { metadata: { blob: 'x'.repeat(9000) } }, 'metadata'],
      ['a 300-character idempotency key', { idempotencyKey: 'k'.repeat(300) }, 'idempotencyKey'],
    ])('refuses %s', async (_label, extra, field) => {
      const token = adminToken({ tenantId: newTenantId() });
      badInput(
        await gql(t.graphqlUrl, CREATE, { input: { url: 'https://hooks.example.com/', ...extra } }, token),
        field,
      );
      expect((await list(token)).totalCount).toBe(0);
    });

    it('validates updates the same way and leaves the endpoint unchanged', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const { endpoint } = await create(token, { url: 'https://hooks.example.com/', rateLimitPerSecond: 5 });
      badInput(
        await gql(t.graphqlUrl, UPDATE, { id: endpoint.id, input: { rateLimitPerSecond: -1 } }, token),
        'rateLimitPerSecond',
      );
      badInput(
        await gql(t.graphqlUrl, UPDATE, { id: endpoint.id, input: { eventTypes: ['nope.never'] } }, token),
        'eventTypes',
      );
      badInput(
        await gql(t.graphqlUrl, UPDATE, { id: endpoint.id, input: { headers: { 'x-a': 'v\nX-Evil: 1' } } }, token),
        'headers',
      );
      const nullUrl = await gql(t.graphqlUrl, UPDATE, { id: endpoint.id, input: { url: null } }, token);
      badInput(nullUrl, 'url');
      expect(nullUrl.errors?.[0].extensions?.reasonCode).toBe('NULL_NOT_ALLOWED');
      badInput(await gql(t.graphqlUrl, UPDATE, { id: endpoint.id, input: { isActive: null } }, token), 'isActive');
      expect(dataOf(await gql(t.graphqlUrl, GET, { id: endpoint.id }, token)).endpoint).toEqual(endpoint);
    });
  });

  describe('endpoints query', () => {
    it('paginates newest first with filters and totalCount', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const a = (
        await create(token, { url: 'https://hooks.example.com/a', eventTypes: ['order.created'], channels: ['shop:1'] })
      ).endpoint;
      const b = (await create(token, { url: 'https://hooks.example.com/b', eventTypes: [] })).endpoint;
      const c = (
        await create(token, {
          url: 'https://hooks.example.com/c',
          eventTypes: ['payment.completed'],
          channels: ['shop:2'],
        })
      ).endpoint;
      const d = (await create(token, { url: 'https://hooks.example.com/d', eventTypes: ['endpoint.failing'] }))
        .endpoint;
      const e = (
        await create(token, {
          url: 'https://hooks.example.com/e',
          eventTypes: ['order.created', 'endpoint.failing'],
          channels: ['shop:1', 'shop:3'],
        })
      ).endpoint;
      dataOf(await gql(t.graphqlUrl, TOGGLE, { id: c.id }, token));

      const page1 = await list(token, { first: 2 });
      expect(page1.totalCount).toBe(5);
      expect(page1.edges.map((x) => x.node.id)).toEqual([e.id, d.id]);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = await list(token, { first: 2, after: page1.pageInfo.endCursor });
      expect(page2.edges.map((x) => x.node.id)).toEqual([c.id, b.id]);
      const page3 = await list(token, { first: 2, after: page2.pageInfo.endCursor });
      expect(page3.edges.map((x) => x.node.id)).toEqual([a.id]);
      expect(page3.pageInfo.hasNextPage).toBe(false);
      expect(page3.totalCount).toBe(5);

      const ids = async (filter: Record<string, unknown>, first = 100): Promise<{ ids: string[]; total: number }> => {
        const page = await list(token, { filter, first });
        return { ids: page.edges.map((x) => x.node.id), total: page.totalCount };
      };
      expect(await ids({ isActive: false })).toEqual({ ids: [c.id], total: 1 });
      expect(await ids({ isActive: true })).toEqual({ ids: [e.id, d.id, b.id, a.id], total: 4 });
      expect(await ids({ eventType: 'order.created' })).toEqual({ ids: [e.id, b.id, a.id], total: 3 });
      expect(await ids({ eventType: 'endpoint.failing' })).toEqual({ ids: [e.id, d.id], total: 2 });
      expect(await ids({ channel: 'shop:1' })).toEqual({ ids: [e.id, d.id, b.id, a.id], total: 4 });
      expect(await ids({ channel: 'shop:1', eventType: 'order.created', isActive: true }, 1)).toEqual({
        ids: [e.id],
        total: 3,
      });
      expect(errorCode(await gql(t.graphqlUrl, LIST, { after: 'garbage' }, token))).toBe('BAD_USER_INPUT');
    });
  });

  describe('services for the deliveries module', () => {
    it('find() is tenant-scoped and NOT_FOUND for a non-UUID', async () => {
      const tenant = newTenantId();
      const { endpoint } = await create(adminToken({ tenantId: tenant }), { url: 'https://hooks.example.com/f' });
      expect((await service.find(tenant, endpoint.id, ALL_CHANNELS)).id).toBe(endpoint.id);
      await expect(service.find(newTenantId(), endpoint.id, ALL_CHANNELS)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(service.find(tenant, 'nope', ALL_CHANNELS)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('FanoutTargeting.find() matches types, operational types, channels and test events in one query', async () => {
      const tenant = newTenantId();
      const token = adminToken({ tenantId: tenant });
      const mk = async (input: Record<string, unknown>): Promise<string> =>
        (await create(token, { url: 'https://hooks.example.com/x', ...input })).endpoint.id;
      const all = await mk({});
      const orders = await mk({ eventTypes: ['order.created'] });
      const ops = await mk({ eventTypes: ['endpoint.failing'] });
      const shop1 = await mk({ channels: ['shop:1'] });
      const shop12orders = await mk({ eventTypes: ['order.created'], channels: ['shop:1', 'shop:2'] });
      const inactive = await mk({ eventTypes: ['order.created'] });
      dataOf(await gql(t.graphqlUrl, TOGGLE, { id: inactive }, token));
      await create(adminToken({ tenantId: newTenantId() }), { url: 'https://hooks.example.com/other-tenant' });

      const m = dataSource.manager;
      const targets = t.app.get(FanoutTargeting);
      const fan = async (
        type: string,
        channels: string[],
        opts?: { onlyEndpointId?: string; excludeEndpointId?: string },
      ): Promise<string[]> => (await targets.find(m, tenant, type, channels, opts)).endpoints.map((e) => e.id).sort();
      const sorted = (...xs: string[]): string[] => [...xs].sort();

      expect(await fan('order.created', [])).toEqual(sorted(all, orders, inactive));
      expect(await fan('order.created', ['shop:1'])).toEqual(sorted(all, orders, inactive, shop1, shop12orders));
      expect(await fan('order.created', ['shop:2', 'shop:9'])).toEqual(sorted(all, orders, inactive, shop12orders));
      expect(await fan('payment.completed', ['shop:1'])).toEqual(sorted(all, shop1));
      expect(await fan('endpoint.failing', [])).toEqual([ops]);
      expect(await fan('endpoint.failing', [], { excludeEndpointId: ops })).toEqual([]);
      expect(await fan('delivery.dead_lettered', [])).toEqual([]);
      expect(await fan('order.created', [], { excludeEndpointId: all })).toEqual(sorted(orders, inactive));
      expect(await fan('order.created', [], { onlyEndpointId: orders })).toEqual([orders]);
      expect(await fan('payment.completed', [], { onlyEndpointId: orders })).toEqual([]);
      expect(await fan('webhook.test', [])).toEqual([]);
      expect(await fan('webhook.test', [], { onlyEndpointId: shop12orders })).toEqual([shop12orders]);
      expect(await fan('webhook.test', [], { onlyEndpointId: 'nope' })).toEqual([]);
      expect(
        (await targets.find(m, tenant, 'order.created', [])).endpoints.find((e) => e.id === inactive)?.isActive,
      ).toBe(false);

      // `filtered` names the endpoints with a configuration for this very event type, and no others.
      expect((await targets.find(m, tenant, 'order.created', [])).filtered).toEqual(new Set());
      const save = `mutation($endpointId: ID!, $input: SaveFilterReducerInput!) { saveFilterReducer(endpointId: $endpointId, input: $input) { id } }`;
      dataOf(
        await gql(
          t.graphqlUrl,
          save,
          {
            endpointId: orders,
            input: { eventType: 'order.created', filter: { query: '$.order.total', condition: 'v => v > 1' } },
          },
          token,
        ),
      );
      expect((await targets.find(m, tenant, 'order.created', [])).filtered).toEqual(new Set([orders]));
      expect((await targets.find(m, tenant, 'payment.completed', [])).filtered).toEqual(new Set());
    });

    it('moves health HEALTHY → DEGRADED → FAILING → DISABLED, and a success resets it', async () => {
      const tenant = newTenantId();
      const token = adminToken({ tenantId: tenant });
      const { endpoint } = await create(token, { url: 'https://hooks.example.com/health' });
      const id = endpoint.id;
      const t0 = new Date(Date.now() - 10 * 24 * 3_600_000);
      const at = (ms: number): Date => new Date(t0.getTime() + ms);

      expect((await health.recordFailure(id, at(0))).transition).toBe('none');
      expect((await health.recordFailure(id, at(1000))).transition).toBe('none');
      const third = await health.recordFailure(id, at(2000));
      expect(third.transition).toBe('degraded');
      expect(third.endpoint).toMatchObject({ health: EndpointHealth.DEGRADED, consecutiveFailures: 3, isActive: true });
      expect(third.endpoint.firstFailureAt?.getTime()).toBe(t0.getTime());
      expect((await health.recordFailure(id, at(3000))).transition).toBe('none');

      // A success resets everything.
      await health.recordSuccess(id, at(4000));
      let row = await service.find(tenant, id, ALL_CHANNELS);
      expect(row).toMatchObject({
        health: EndpointHealth.HEALTHY,
        consecutiveFailures: 0,
        firstFailureAt: null,
        disableAt: null,
      });
      expect(row.lastSuccessAt?.getTime()).toBe(at(4000).getTime());

      // Concurrent failures are all counted and the transition is reported once.
      const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => health.recordFailure(id, at(5000 + i))));
      expect(burst.filter((r) => r.transition === 'degraded')).toHaveLength(1);
      row = await service.find(tenant, id, ALL_CHANNELS);
      expect(row.consecutiveFailures).toBe(6);
      const firstFailure = row.firstFailureAt as Date;

      const failing = await health.recordFailure(id, new Date(firstFailure.getTime() + FAILING_AFTER_MS));
      expect(failing.transition).toBe('failing');
      expect(failing.endpoint.health).toBe(EndpointHealth.FAILING);
      expect(failing.endpoint.disableAt?.getTime()).toBe(firstFailure.getTime() + DISABLE_AFTER_MS);
      const view = dataOf(await gql(t.graphqlUrl, GET, { id }, token)).endpoint;
      expect(view).toMatchObject({
        health: 'FAILING',
        consecutiveFailures: 7,
        disableAt: new Date(firstFailure.getTime() + DISABLE_AFTER_MS).toISOString(),
      });
      expect(
        (await health.recordFailure(id, new Date(firstFailure.getTime() + FAILING_AFTER_MS + 1000))).transition,
      ).toBe('none');

      const disabled = await health.recordFailure(id, new Date(firstFailure.getTime() + DISABLE_AFTER_MS));
      expect(disabled.transition).toBe('disabled');
      expect(disabled.endpoint).toMatchObject({
        isActive: false,
        health: EndpointHealth.DISABLED,
        disabledReason: `failing since ${firstFailure.toISOString()}`,
      });
      expect(
        (await health.recordFailure(id, new Date(firstFailure.getTime() + DISABLE_AFTER_MS + 1000))).transition,
      ).toBe('none');
      expect((await auditEntries(token)).find((a) => a.action === 'endpoint.disabled')).toMatchObject({
        actorType: 'system',
        targetId: id,
      });

      // A late success of an in-flight attempt does not revive a disabled endpoint.
      await health.recordSuccess(id, new Date());
      expect(await service.find(tenant, id, ALL_CHANNELS)).toMatchObject({
        isActive: false,
        health: EndpointHealth.DISABLED,
        consecutiveFailures: 0,
      });
    });

    it('failures arriving together are counted per endpoint in one go: each endpoint moves once, a disable is audited, an unknown id is NOT_FOUND', async () => {
      const tenant = newTenantId();
      const token = adminToken({ tenantId: tenant });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++)
        ids.push((await create(token, { url: `https://hooks.example.com/burst/${i}` })).endpoint.id);
      const old = new Date(Date.now() - 6 * 24 * 3_600_000);
      // The third endpoint's run of failures began six days ago: its next failure disables it.
      await dataSource.query('UPDATE endpoints SET first_failure_at = $2, consecutive_failures = 10 WHERE id = $1', [
        ids[2],
        old,
      ]);
      type Batch = { endpointId: string }[];
      const batches = jest.spyOn(
        health as unknown as { recordFailures(items: Batch): Promise<unknown> },
        'recordFailures',
      );

      const now = Date.now();
      const calls = [0, 1, 2, 0, 1, 2, 0].map((k, i) => health.recordFailure(ids[k], new Date(now + i)));
      const unknown = health.recordFailure('00000000-0000-4000-8000-000000000000', new Date(now));
      const results = await Promise.all(calls);
      await expect(unknown).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const ours = batches.mock.calls.filter(([items]) => items.some((item) => ids.includes(item.endpointId)));
      batches.mockRestore();
      expect(ours).toHaveLength(1);
      expect(ours[0][0].filter((item) => ids.includes(item.endpointId))).toHaveLength(7);

      const transitions = (k: number): string[] =>
        results
          .filter((r) => r.endpoint.id === ids[k])
          .map((r) => r.transition)
          .filter((x) => x !== 'none');
      expect(transitions(0)).toEqual(['degraded']);
      expect(transitions(1)).toEqual([]);
      expect(transitions(2)).toEqual(['disabled']);
      const rows = await Promise.all(ids.map((id) => service.find(tenant, id, ALL_CHANNELS)));
      expect(rows.map((r) => [r.consecutiveFailures, r.health, r.isActive])).toEqual([
        [3, EndpointHealth.DEGRADED, true],
        [2, EndpointHealth.HEALTHY, true],
        [12, EndpointHealth.DISABLED, false],
      ]);
      expect(rows[2].disabledReason).toBe(`failing since ${old.toISOString()}`);
      expect(rows[0].disableAt).toBeNull(); // set once FAILING, not at DEGRADED
      const audit = (await auditEntries(token)).filter((a) => a.action === 'endpoint.disabled');
      expect(audit.map((a) => a.targetId)).toEqual([ids[2]]);
    });

    it('recordSuccess() writes nothing for an endpoint that is already healthy', async () => {
      const tenant = newTenantId();
      const { endpoint } = await create(adminToken({ tenantId: tenant }), { url: 'https://hooks.example.com/quiet' });
      const now = new Date();
      await health.recordSuccess(endpoint.id, now);
      const first = await service.find(tenant, endpoint.id, ALL_CHANNELS);
      expect(first.lastSuccessAt?.getTime()).toBe(now.getTime());
      await health.recordSuccess(endpoint.id, new Date(now.getTime() + 1000));
      const second = await service.find(tenant, endpoint.id, ALL_CHANNELS);
      expect(second.updatedAt.getTime()).toBe(first.updatedAt.getTime());
      expect(second.lastSuccessAt?.getTime()).toBe(now.getTime());
    });

    it('disable() (410 Gone) disables once; enabling resets health and emits the EndpointEnabled domain event', async () => {
      const tenant = newTenantId();
      const token = adminToken({ tenantId: tenant });
      const { endpoint } = await create(token, { url: 'https://hooks.example.com/gone' });
      const enabled: string[] = [];
      t.app.get(EventEmitter2).on(EndpointEvent.Enabled, ({ endpoint: e }: EndpointEnabled) => {
        if (e.tenantId === tenant) enabled.push(`${e.id}:${e.isActive}:${e.health}`);
      });
      await health.recordFailure(endpoint.id, new Date());

      const first = await health.disable(endpoint.id, 'endpoint answered 410 Gone');
      expect(first.changed).toBe(true);
      expect(first.endpoint).toMatchObject({
        isActive: false,
        health: EndpointHealth.DISABLED,
        disabledReason: 'endpoint answered 410 Gone',
      });
      expect((await health.disable(endpoint.id, 'endpoint answered 410 Gone')).changed).toBe(false);
      await expect(health.disable('00000000-0000-4000-8000-000000000000', 'x')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });

      const on = dataOf(await gql(t.graphqlUrl, TOGGLE, { id: endpoint.id }, token)).toggleEndpoint;
      expect(on).toMatchObject({
        isActive: true,
        health: 'HEALTHY',
        consecutiveFailures: 0,
        disabledReason: null,
        disableAt: null,
      });
      expect(enabled).toEqual([`${endpoint.id}:true:HEALTHY`]);

      // updateEndpoint(isActive) goes through the same transitions; a no-op update does not notify.
      const off = dataOf(
        await gql(t.graphqlUrl, UPDATE, { id: endpoint.id, input: { isActive: false } }, token),
      ).updateEndpoint;
      expect(off).toMatchObject({ isActive: false, health: 'DISABLED', disabledReason: 'disabled by user' });
      dataOf(await gql(t.graphqlUrl, UPDATE, { id: endpoint.id, input: { isActive: true } }, token));
      dataOf(await gql(t.graphqlUrl, UPDATE, { id: endpoint.id, input: { isActive: true } }, token));
      expect(enabled).toEqual([`${endpoint.id}:true:HEALTHY`, `${endpoint.id}:true:HEALTHY`]);
    });
  });
});
