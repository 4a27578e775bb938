import { Webhook } from 'standardwebhooks';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, errorCode, gql, GqlResponse } from '../support/graphql-client';
import { ReceivedRequest, Receiver, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const EP = 'id url registrationId eventTypes channels isActive description';
const REG = `id shopId eventTypes urls description isActive createdAt updatedAt endpoints { ${EP} }`;
const CREATE = `mutation($input: CreateWebhookRegistrationInput!) { createWebhookRegistration(input: $input) { secret registration { ${REG} } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateWebhookRegistrationInput!) { updateWebhookRegistration(id: $id, input: $input) { ${REG} } }`;
const DELETE = `mutation($id: ID!) { deleteWebhookRegistration(id: $id) { id deletedAt } }`;
const ROTATE = `mutation($id: ID!) { rotateWebhookRegistrationSecret(id: $id) { secret previousSecretExpiresAt registration { ${REG} } } }`;
const GET = `query($id: ID!) { webhookRegistration(id: $id) { ${REG} } }`;
const LIST = `query($shopId: String, $first: Int, $after: String) { webhookRegistrations(shopId: $shopId, first: $first, after: $after) { totalCount edges { cursor node { ${REG} } } pageInfo { hasNextPage endCursor } } }`;
const ENDPOINTS = `{ endpoints(first: 100) { totalCount edges { node { ${EP} } } } }`;
const GET_ENDPOINT = `query($id: ID!) { endpoint(id: $id) { ${EP} } }`;
const CREATE_ENDPOINT = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } } }`;
const UPDATE_ENDPOINT = `mutation($id: ID!, $input: UpdateEndpointInput!) { updateEndpoint(id: $id, input: $input) { ${EP} } }`;
const DELETE_ENDPOINT = `mutation($id: ID!) { deleteEndpoint(id: $id) { id } }`;
const ROTATE_ENDPOINT = `mutation($id: ID!) { rotateEndpointSecret(id: $id) { secret } }`;
const TOGGLE_ENDPOINT = `mutation($id: ID!) { toggleEndpoint(id: $id) { ${EP} } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
const DELIVERIES = `query($eventId: ID!) { deliveries(first: 100, filter: { eventId: $eventId }) { edges { node { endpointId status attemptCount } } } }`;
const AUDIT = `{ auditLogs(first: 100) { edges { node { action targetType targetId metadata } } } }`;
const ORDER = {
  order: { id: 'ord_reg', status: 'paid', currency: 'USD', total: 12.5, line_items: [{ sku: 'SKU-1', quantity: 1 }] },
};

interface EndpointView {
  id: string;
  url: string;
  registrationId: string | null;
  eventTypes: string[];
  channels: string[];
  isActive: boolean;
  description: string | null;
}
interface RegistrationView {
  id: string;
  shopId: string | null;
  eventTypes: string[];
  urls: string[];
  description: string | null;
  isActive: boolean;
  endpoints: EndpointView[];
}
interface DeliveryView {
  endpointId: string;
  status: string;
  attemptCount: number;
}

describe('webhook registrations (real Postgres + Redis, receivers on 127.0.0.1)', () => {
  let t: TestApp;
  const receivers: Receiver[] = [];

  const receiver = async (...args: Parameters<typeof Receiver.start>): Promise<Receiver> => {
    const r = await Receiver.start(...args);
    receivers.push(r);
    return r;
  };

  async function create(
    token: string,
    input: Record<string, unknown>,
    url = t.graphqlUrl,
  ): Promise<{ secret: string; registration: RegistrationView }> {
    return dataOf(await gql(url, CREATE, { input }, token)).createWebhookRegistration;
  }

  async function publish(token: string, channels: string[]): Promise<string> {
    return dataOf(
      await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: ORDER, channels } }, token),
    ).publishEvent.id;
  }

  async function deliveries(token: string, eventId: string): Promise<DeliveryView[]> {
    return (
      dataOf(await gql(t.graphqlUrl, DELIVERIES, { eventId }, token)).deliveries.edges as { node: DeliveryView }[]
    ).map((e) => e.node);
  }

  async function endpointCount(token: string, url = t.graphqlUrl): Promise<number> {
    return dataOf(await gql(url, ENDPOINTS, {}, token)).endpoints.totalCount;
  }

  async function registrationCount(token: string, url = t.graphqlUrl): Promise<number> {
    return dataOf(await gql(url, LIST, {}, token)).webhookRegistrations.totalCount;
  }

  const requestsFor = (r: Receiver, eventId: string): ReceivedRequest[] =>
    r.requests.filter((req) => req.headers['webhook-id'] === eventId);

  function verifyWith(secret: string, req: ReceivedRequest, signature = req.headers['webhook-signature']): unknown {
    const headers = {
      'webhook-id': req.headers['webhook-id'],
      'webhook-timestamp': req.headers['webhook-timestamp'],
      'webhook-signature': signature,
    };
    return new Webhook(secret).verify(req.body, headers);
  }

  function badInput(res: GqlResponse<unknown>, field: string, reasonCode: string): void {
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, reasonCode });
    expect(String(res.errors?.[0]?.extensions?.reason ?? '').length).toBeGreaterThan(5);
  }

  function managed(res: GqlResponse<unknown>, registrationId: string): void {
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'UNPROCESSABLE',
      reason: 'MANAGED_BY_REGISTRATION',
      reasonCode: 'MANAGED_BY_REGISTRATION',
      registrationId,
    });
  }

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    for (const r of receivers) await r.close();
    await t.close();
  });

  it('creates one endpoint per URL with the shop channel, and shows the registration on each endpoint', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const urls = ['http://127.0.0.1:9999/c', 'http://127.0.0.1:9999/a', 'http://127.0.0.1:9999/b'];
    const { secret, registration } = await create(token, {
      urls,
      shopId: 'shop-1',
      eventTypes: ['order.created'],
      description: 'partner',
    });
    expect(secret).toMatch(/^whsec_/);
    expect(registration).toMatchObject({
      shopId: 'shop-1',
      eventTypes: ['order.created'],
      urls: [...urls].sort(), // the URLs created together are listed by URL
      description: 'partner',
      isActive: true,
    });
    expect(registration.endpoints.map((e) => e.url)).toEqual([...urls].sort());
    for (const e of registration.endpoints) {
      expect(e).toMatchObject({
        registrationId: registration.id,
        eventTypes: ['order.created'],
        channels: ['shop:shop-1'],
        isActive: true,
      });
    }
    expect(
      dataOf(await gql(t.graphqlUrl, GET_ENDPOINT, { id: registration.endpoints[0].id }, token)).endpoint
        .registrationId,
    ).toBe(registration.id);
    expect(dataOf(await gql(t.graphqlUrl, GET, { id: registration.id }, token)).webhookRegistration).toEqual(
      registration,
    );
    expect(await endpointCount(token)).toBe(3);
  });

  it('delivers each matching event to all 3 URLs, signed with the one secret; a URL answering 500 retries alone', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const a = await receiver();
    const b = await receiver();
    const failingOnce = await receiver((_req, res, index) => {
      res.writeHead(index === 0 ? 500 : 200).end('{}');
    });
    const urls = [a.url, b.url, failingOnce.url];
    const { secret, registration } = await create(token, {
      urls,
      shopId: 'shop-7',
      eventTypes: ['order.created'],
    });

    const eventId = await publish(token, ['shop:shop-7']);
    const [ra, rb] = await Promise.all([a, b].map((r) => waitUntil(async () => requestsFor(r, eventId)[0])));
    const [first, retry] = await waitUntil(async () =>
      requestsFor(failingOnce, eventId).length >= 2 ? requestsFor(failingOnce, eventId) : null,
    );
    for (const req of [ra, rb, first, retry])
      expect(verifyWith(secret, req)).toMatchObject({ type: 'order.created', data: ORDER });

    const byEndpoint = await waitUntil(async () => {
      const ds = await deliveries(token, eventId);
      return ds.length === 3 && ds.every((d) => d.status === 'SUCCEEDED')
        ? new Map(ds.map((d) => [d.endpointId, d]))
        : null;
    });
    const [ea, eb, ec] = urls.map((u) => registration.endpoints.find((e) => e.url === u) as EndpointView);
    expect(byEndpoint.get(ea.id)?.attemptCount).toBe(1);
    expect(byEndpoint.get(eb.id)?.attemptCount).toBe(1);
    expect(byEndpoint.get(ec.id)?.attemptCount).toBe(2);
    // The retry of the third did not repeat the other two.
    expect(requestsFor(a, eventId)).toHaveLength(1);
    expect(requestsFor(b, eventId)).toHaveLength(1);
  });

  it('an event for another shop reaches none of the URLs (while the other shop receives it)', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const mine = [await receiver(), await receiver(), await receiver()];
    const other = await receiver();
    const { registration } = await create(token, {
      urls: mine.map((r) => r.url),
      shopId: 'shop-a',
      eventTypes: ['order.created'],
    });
    const control = await create(token, { urls: [other.url], shopId: 'shop-b', eventTypes: ['order.created'] });

    const eventId = await publish(token, ['shop:shop-b']);
    await waitUntil(async () => requestsFor(other, eventId)[0]);
    // Fan-out happens with the publish: the deliveries show who the event went to.
    expect((await deliveries(token, eventId)).map((d) => d.endpointId)).toEqual([control.registration.endpoints[0].id]);
    for (const r of mine) expect(requestsFor(r, eventId)).toHaveLength(0);

    const own = await publish(token, ['shop:shop-a']);
    expect((await deliveries(token, own)).map((d) => d.endpointId).sort()).toEqual(
      registration.endpoints.map((e) => e.id).sort(),
    );
  });

  it('an update that removes a URL deletes its endpoint with its history, audited, and stops its deliveries', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const [a, b, c, d] = [await receiver(), await receiver(), await receiver(), await receiver()];
    const { secret, registration } = await create(token, {
      urls: [a.url, b.url, c.url],
      shopId: 's1',
      eventTypes: ['order.created'],
    });
    const before = await publish(token, ['shop:s1']);
    await waitUntil(async () => requestsFor(c, before)[0]);
    const removed = registration.endpoints.find((e) => e.url === c.url) as EndpointView;
    const kept = registration.endpoints.filter((e) => e !== removed).map((e) => e.id);

    const updated: RegistrationView = dataOf(
      await gql(t.graphqlUrl, UPDATE, { id: registration.id, input: { urls: [a.url, b.url, d.url] } }, token),
    ).updateWebhookRegistration;
    // Kept URLs first (older), then the new one.
    expect(updated.urls).toEqual([...[a.url, b.url].sort(), d.url]);
    expect(updated.endpoints.slice(0, 2).map((e) => e.id)).toEqual(kept);
    expect(updated.endpoints[2]).toMatchObject({
      url: d.url,
      registrationId: registration.id,
      channels: ['shop:s1'],
      eventTypes: ['order.created'],
    });
    expect(errorCode(await gql(t.graphqlUrl, GET_ENDPOINT, { id: removed.id }, token))).toBe('NOT_FOUND');
    expect((await deliveries(token, before)).map((x) => x.endpointId)).not.toContain(removed.id);
    expect(await endpointCount(token)).toBe(3);
    const audit = (
      dataOf(await gql(t.graphqlUrl, AUDIT, {}, token)).auditLogs.edges as {
        node: { action: string; targetId: string; metadata: Record<string, unknown> };
      }[]
    ).map((e) => e.node);
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'endpoint.deleted',
        targetId: removed.id,
        metadata: { url: c.url, registrationId: registration.id },
      }),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'webhook_registration.updated',
        targetId: registration.id,
        metadata: expect.objectContaining({ addedUrls: [d.url], removedUrls: [c.url] }),
      }),
    );

    const after = await publish(token, ['shop:s1']);
    const reqs = await Promise.all([a, b, d].map((r) => waitUntil(async () => requestsFor(r, after)[0])));
    for (const req of reqs) expect(verifyWith(secret, req)).toMatchObject({ type: 'order.created', data: ORDER }); // the new URL signs with the same secret
    expect(requestsFor(c, after)).toHaveLength(0);
    expect((await deliveries(token, after)).map((x) => x.endpointId).sort()).toEqual(
      updated.endpoints.map((e) => e.id).sort(),
    );
  });

  it('eventTypes, shopId and isActive changes apply to every endpoint; toggling one URL by hand is allowed', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const { registration } = await create(token, {
      urls: ['http://127.0.0.1:9999/x', 'http://127.0.0.1:9999/y'],
      shopId: 'old',
      eventTypes: ['order.created'],
    });
    const updated: RegistrationView = dataOf(
      await gql(
        t.graphqlUrl,
        UPDATE,
        {
          id: registration.id,
          input: { shopId: 'new', eventTypes: ['order.created', 'order.updated'], isActive: false },
        },
        token,
      ),
    ).updateWebhookRegistration;
    expect(updated).toMatchObject({ shopId: 'new', eventTypes: ['order.created', 'order.updated'], isActive: false });
    for (const e of updated.endpoints)
      expect(e).toMatchObject({
        channels: ['shop:new'],
        eventTypes: ['order.created', 'order.updated'],
        isActive: false,
      });

    const toggled = dataOf(
      await gql(t.graphqlUrl, TOGGLE_ENDPOINT, { id: updated.endpoints[0].id }, token),
    ).toggleEndpoint;
    expect(toggled.isActive).toBe(true);
    const renamed = dataOf(
      await gql(
        t.graphqlUrl,
        UPDATE_ENDPOINT,
        { id: updated.endpoints[1].id, input: { description: 'by hand' } },
        token,
      ),
    ).updateEndpoint;
    expect(renamed.description).toBe('by hand');

    const cleared: RegistrationView = dataOf(
      await gql(t.graphqlUrl, UPDATE, { id: registration.id, input: { shopId: null, isActive: true } }, token),
    ).updateWebhookRegistration;
    expect(cleared.shopId).toBeNull();
    for (const e of cleared.endpoints) expect(e).toMatchObject({ channels: [], isActive: true });
  });

  it('disabling the registration holds its deliveries; enabling it releases them to every URL', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const rs = [await receiver(), await receiver()];
    const { registration } = await create(token, { urls: rs.map((r) => r.url), shopId: 'hold' });
    const off = { id: registration.id, input: { isActive: false } };
    expect(dataOf(await gql(t.graphqlUrl, UPDATE, off, token)).updateWebhookRegistration.isActive).toBe(false);
    const eventId = await publish(token, ['shop:hold']);
    const held = await deliveries(token, eventId);
    expect(held.map((d) => d.status)).toEqual(['HELD', 'HELD']);

    const on = { id: registration.id, input: { isActive: true } };
    expect(dataOf(await gql(t.graphqlUrl, UPDATE, on, token)).updateWebhookRegistration.isActive).toBe(true);
    await Promise.all(rs.map((r) => waitUntil(async () => requestsFor(r, eventId)[0])));
  });

  it('rotation signs every URL with the new and the old secret, each verifying', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const rs = [await receiver(), await receiver()];
    const { secret: oldSecret, registration } = await create(token, {
      urls: rs.map((r) => r.url),
      shopId: 'rot',
      eventTypes: ['order.created'],
    });
    const rotated = dataOf(
      await gql(t.graphqlUrl, ROTATE, { id: registration.id }, token),
    ).rotateWebhookRegistrationSecret;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(oldSecret);
    expect(new Date(rotated.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);

    const eventId = await publish(token, ['shop:rot']);
    for (const r of rs) {
      const req = await waitUntil(async () => requestsFor(r, eventId)[0]);
      const signatures = req.headers['webhook-signature'].split(' ');
      expect(signatures).toHaveLength(2);
      const [forNew, forOld] = signatures;
      expect(verifyWith(rotated.secret, req, forNew)).toMatchObject({ type: 'order.created', data: ORDER });
      expect(verifyWith(oldSecret, req, forOld)).toMatchObject({ type: 'order.created', data: ORDER });
      expect(() => verifyWith(oldSecret, req, forNew)).toThrow();
    }
  });

  it('refuses a URL change, a rotation and a delete of one URL by hand with MANAGED_BY_REGISTRATION, changing nothing', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const { registration } = await create(token, { urls: ['http://127.0.0.1:9999/m'] });
    const id = registration.endpoints[0].id;
    managed(
      await gql(t.graphqlUrl, UPDATE_ENDPOINT, { id, input: { url: 'http://127.0.0.1:9999/other' } }, token),
      registration.id,
    );
    managed(await gql(t.graphqlUrl, ROTATE_ENDPOINT, { id }, token), registration.id);
    managed(await gql(t.graphqlUrl, DELETE_ENDPOINT, { id }, token), registration.id);
    expect(dataOf(await gql(t.graphqlUrl, GET_ENDPOINT, { id }, token)).endpoint.url).toBe('http://127.0.0.1:9999/m');

    // Control: an endpoint of no registration still does all three.
    const own: string = dataOf(
      await gql(t.graphqlUrl, CREATE_ENDPOINT, { input: { url: 'http://127.0.0.1:9999/own' } }, token),
    ).createEndpoint.endpoint.id;
    expect(
      dataOf(await gql(t.graphqlUrl, UPDATE_ENDPOINT, { id: own, input: { url: 'http://127.0.0.1:9999/own2' } }, token))
        .updateEndpoint.url,
    ).toBe('http://127.0.0.1:9999/own2');
    expect(dataOf(await gql(t.graphqlUrl, ROTATE_ENDPOINT, { id: own }, token)).rotateEndpointSecret.secret).toMatch(
      /^whsec_/,
    );
    expect(dataOf(await gql(t.graphqlUrl, DELETE_ENDPOINT, { id: own }, token)).deleteEndpoint.id).toBe(own);
  });

  it('deleteWebhookRegistration deletes its endpoints', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const { registration } = await create(token, { urls: ['http://127.0.0.1:9999/d1', 'http://127.0.0.1:9999/d2'] });
    const deleted = dataOf(await gql(t.graphqlUrl, DELETE, { id: registration.id }, token)).deleteWebhookRegistration;
    expect(deleted.id).toBe(registration.id);
    expect(errorCode(await gql(t.graphqlUrl, GET, { id: registration.id }, token))).toBe('NOT_FOUND');
    expect(await endpointCount(token)).toBe(0);
    expect(await registrationCount(token)).toBe(0);
  });

  it('bad inputs give a clear error and change nothing', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const eleven = Array.from({ length: 11 }, (_, i) => `http://127.0.0.1:9999/${i}`);
    badInput(await gql(t.graphqlUrl, CREATE, { input: { urls: eleven } }, token), 'urls', 'REGISTRATION_URL_COUNT');
    badInput(await gql(t.graphqlUrl, CREATE, { input: { urls: [] } }, token), 'urls', 'REGISTRATION_URL_COUNT');
    badInput(
      await gql(
        t.graphqlUrl,
        CREATE,
        { input: { urls: ['http://127.0.0.1:9999/a', 'HTTP://127.0.0.1:9999/a'] } },
        token,
      ),
      'urls',
      'DUPLICATE_REGISTRATION_URL',
    );
    const unknown = await gql(
      t.graphqlUrl,
      CREATE,
      { input: { urls: ['http://127.0.0.1:9999/a'], eventTypes: ['no.such.type'] } },
      token,
    );
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'eventTypes' });
    expect(JSON.stringify(unknown.errors?.[0])).toContain('no.such.type');
    badInput(
      await gql(t.graphqlUrl, CREATE, { input: { urls: ['http://127.0.0.1:9999/a'], shopId: 'a b' } }, token),
      'shopId',
      'INVALID_SHOP_ID',
    );
    expect(await registrationCount(token)).toBe(0);
    expect(await endpointCount(token)).toBe(0);

    const { registration } = await create(token, {
      urls: ['http://127.0.0.1:9999/keep'],
      shopId: 'k',
      eventTypes: ['order.created'],
    });
    badInput(
      await gql(t.graphqlUrl, UPDATE, { id: registration.id, input: { urls: eleven } }, token),
      'urls',
      'REGISTRATION_URL_COUNT',
    );
    badInput(
      await gql(
        t.graphqlUrl,
        UPDATE,
        { id: registration.id, input: { urls: ['http://127.0.0.1:9999/n', 'http://127.0.0.1:9999/n'] } },
        token,
      ),
      'urls',
      'DUPLICATE_REGISTRATION_URL',
    );
    const badType = await gql(
      t.graphqlUrl,
      UPDATE,
      { id: registration.id, input: { urls: ['http://127.0.0.1:9999/n'], eventTypes: ['no.such.type'] } },
      token,
    );
    expect(badType.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'eventTypes' });
    badInput(
      await gql(t.graphqlUrl, UPDATE, { id: registration.id, input: { urls: null } }, token),
      'urls',
      'NULL_NOT_ALLOWED',
    );
    expect(dataOf(await gql(t.graphqlUrl, GET, { id: registration.id }, token)).webhookRegistration).toEqual(
      registration,
    );
    expect(await endpointCount(token)).toBe(1);
  });

  it('another tenant gets NOT_FOUND for every operation, while the owner sees it', async () => {
    const owner = adminToken({ tenantId: newTenantId() });
    const stranger = adminToken({ tenantId: newTenantId() });
    const { registration } = await create(owner, { urls: ['http://127.0.0.1:9999/t'], shopId: 'iso' });
    const { id } = registration;
    expect(dataOf(await gql(t.graphqlUrl, GET, { id }, owner)).webhookRegistration.id).toBe(id);
    expect(await registrationCount(owner)).toBe(1);

    for (const [query, variables] of [
      [GET, { id }],
      [UPDATE, { id, input: { description: 'mine now' } }],
      [ROTATE, { id }],
      [DELETE, { id }],
    ] as const) {
      const res = await gql(t.graphqlUrl, query, variables, stranger);
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        reasonCode: 'WEBHOOK_REGISTRATION_NOT_FOUND',
      });
    }
    expect(await registrationCount(stranger)).toBe(0);
    expect(dataOf(await gql(t.graphqlUrl, LIST, { shopId: 'iso' }, stranger)).webhookRegistrations.edges).toEqual([]);
    expect(dataOf(await gql(t.graphqlUrl, GET, { id }, owner)).webhookRegistration).toEqual(registration);
  });

  it('lists with a cursor, a totalCount and a shop filter', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const ids: string[] = [];
    for (const shopId of ['p', 'p', 'q'])
      ids.push((await create(token, { urls: ['http://127.0.0.1:9999/l'], shopId })).registration.id);
    const first = dataOf(await gql(t.graphqlUrl, LIST, { first: 2 }, token)).webhookRegistrations;
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = dataOf(
      await gql(t.graphqlUrl, LIST, { first: 2, after: first.pageInfo.endCursor }, token),
    ).webhookRegistrations;
    expect(second.pageInfo.hasNextPage).toBe(false);
    const seen = [...first.edges, ...second.edges].map((e: { node: RegistrationView }) => e.node.id);
    expect(seen).toEqual([...ids].reverse());
    const p = dataOf(await gql(t.graphqlUrl, LIST, { shopId: 'p' }, token)).webhookRegistrations;
    expect(p.totalCount).toBe(2);
    expect(p.edges.map((e: { node: RegistrationView }) => e.node.shopId)).toEqual(['p', 'p']);
  });

  it('create is idempotent by input key or Idempotency-Key header; the same key with other input is CONFLICT', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const input = {
      urls: ['http://127.0.0.1:9999/i1', 'http://127.0.0.1:9999/i2'],
      shopId: 'idem',
      idempotencyKey: 'reg-1',
    };
    const one = await create(token, input);
    const two = await create(token, input);
    expect(two.registration.id).toBe(one.registration.id);
    expect(two.secret).toBe(one.secret);
    expect(await endpointCount(token)).toBe(2);
    expect(errorCode(await gql(t.graphqlUrl, CREATE, { input: { ...input, shopId: 'other' } }, token))).toBe(
      'CONFLICT',
    );

    const header = { 'idempotency-key': 'reg-h' };
    const viaHeader = { urls: ['http://127.0.0.1:9999/h'] };
    const h1 = dataOf(await gql(t.graphqlUrl, CREATE, { input: viaHeader }, token, header)).createWebhookRegistration;
    const h2 = dataOf(await gql(t.graphqlUrl, CREATE, { input: viaHeader }, token, header)).createWebhookRegistration;
    expect(h2.registration.id).toBe(h1.registration.id);
    expect(await registrationCount(token)).toBe(2);
    expect(await endpointCount(token)).toBe(3);
  });

  describe('with ALLOW_PRIVATE_TARGETS=false and a cap of 4 endpoints', () => {
    let strict: TestApp;
    beforeAll(async () => {
      // Its own queues: its worker must not take the other app's deliveries.
      strict = await createTestApp({
        ALLOW_PRIVATE_TARGETS: 'false',
        MAX_ENDPOINTS_PER_TENANT: '4',
        QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}strict`,
      });
    });
    afterAll(async () => {
      await strict.close();
    });

    it('refuses a private URL among public ones, creating nothing', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const res = await gql(
        strict.graphqlUrl,
        CREATE,
        { input: { urls: ['https://93.184.215.14/a', 'http://10.0.0.1/hook'] } },
        token,
      );
      expect(res.data).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'url',
        reasonCode: 'TARGET_NOT_PUBLIC',
      });
      expect(await registrationCount(token, strict.graphqlUrl)).toBe(0);
      expect(await endpointCount(token, strict.graphqlUrl)).toBe(0);

      const { registration } = await create(token, { urls: ['https://93.184.215.14/a'] }, strict.graphqlUrl);
      const upd = await gql(
        strict.graphqlUrl,
        UPDATE,
        { id: registration.id, input: { urls: ['https://93.184.215.14/a', 'http://127.0.0.1/x'] } },
        token,
      );
      expect(upd.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
      expect(
        dataOf(await gql(strict.graphqlUrl, GET, { id: registration.id }, token)).webhookRegistration.urls,
      ).toEqual(['https://93.184.215.14/a']);
    });

    it('counts registration endpoints in the per-tenant cap, all or none', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const { registration } = await create(
        token,
        { urls: ['https://93.184.215.14/1', 'https://93.184.215.14/2', 'https://93.184.215.14/3'] },
        strict.graphqlUrl,
      );
      const over = await gql(
        strict.graphqlUrl,
        CREATE,
        { input: { urls: ['https://93.184.215.14/4', 'https://93.184.215.14/5'] } },
        token,
      );
      expect(over.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reasonCode: 'LIMIT_EXCEEDED',
        limit: 4,
      });
      const grow = await gql(
        strict.graphqlUrl,
        UPDATE,
        {
          id: registration.id,
          input: {
            urls: [
              'https://93.184.215.14/1',
              'https://93.184.215.14/2',
              'https://93.184.215.14/3',
              'https://93.184.215.14/4',
              'https://93.184.215.14/5',
            ],
          },
        },
        token,
      );
      expect(grow.errors?.[0]?.extensions).toMatchObject({ reasonCode: 'LIMIT_EXCEEDED' });
      expect(await endpointCount(token, strict.graphqlUrl)).toBe(3);
      expect(await registrationCount(token, strict.graphqlUrl)).toBe(1);
      // Control: one more fits.
      await create(token, { urls: ['https://93.184.215.14/4'] }, strict.graphqlUrl);
      expect(await endpointCount(token, strict.graphqlUrl)).toBe(4);
    });
  });
});
