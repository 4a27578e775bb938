import { createHash, createHmac, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { createTestApp, TestApp } from '../support/app';
import { faireOrder } from '../support/faire';
import { dataOf, gql, type GqlResponse } from '../support/graphql-client';
import { Receiver, waitUntil, type ReceivedRequest } from '../support/receiver';
import { tenant } from '../support/tokens';

jest.setTimeout(60_000);

const INTEGRATION_FIELDS = 'id provider name inboundPath isActive createdAt updatedAt';
const CREATE_INTEGRATION = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { ${INTEGRATION_FIELDS} } }`;
const UPDATE_INTEGRATION = `mutation($id: ID!, $input: UpdateIntegrationInput!) { updateIntegration(id: $id, input: $input) { ${INTEGRATION_FIELDS} } }`;
const INTEGRATION = `query($id: ID!) { integration(id: $id) { ${INTEGRATION_FIELDS} } }`;
const INTEGRATIONS = `{ integrations { ${INTEGRATION_FIELDS} } }`;
const CREATE_ENDPOINT = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } secret } }`;
const INBOUND_EVENT = `query($id: ID!) { inboundEvent(id: $id) { id integrationId eventCode status lastError headers producedEventId } }`;
const STATS = `query($id: ID!) { inboundEventStats(integrationId: $id) { total } }`;
const AUDIT = `query($id: String) { auditLogs(first: 50, targetId: $id) { edges { node { action metadata } } } }`;

interface Integration {
  id: string;
  name: string;
  inboundPath: string;
}

interface InboundEventView {
  id: string;
  integrationId: string;
  eventCode: string;
  status: string;
  lastError: string | null;
  headers: Record<string, string>;
  producedEventId: string | null;
}

interface Delivered {
  id: string;
  type: string;
  data: { shop_id?: string; order?: { id: string }; product?: { id: string }; inventory?: { sku: string } };
}

const brandToken = (): string => `bt_${randomUUID().replace(/-/g, '')}`;
const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
const sign = (raw: Buffer, key: string): string => createHmac('sha256', key).update(raw).digest('base64');

describe('Faire callbacks by brand token: POST /inbound/faire', () => {
  let t: TestApp;
  let receiver: Receiver;
  let endpointSecret: string;
  const a = tenant();
  const b = tenant();
  const brandId = `b_${randomUUID().slice(0, 8)}`;
  /** Every token set in this spec: none may ever come back in a GraphQL answer, nor its hash. */
  const tokensUsed: string[] = [];

  const newToken = (): string => {
    const token = brandToken();
    tokensUsed.push(token);
    return token;
  };
  const createIntegration = (input: Record<string, unknown>, token = a.token): Promise<GqlResponse> =>
    gql(t.graphqlUrl, CREATE_INTEGRATION, { input: { provider: 'faire', name: 'Faire brand', ...input } }, token);
  const createFaire = async (input: Record<string, unknown>, token = a.token): Promise<Integration> =>
    dataOf(await createIntegration(input, token)).createIntegration as Integration;
  const updateIntegration = (id: string, input: Record<string, unknown>, token = a.token): Promise<GqlResponse> =>
    gql(t.graphqlUrl, UPDATE_INTEGRATION, { id, input }, token);
  const integration = async (id: string, token = a.token): Promise<Integration & { updatedAt: string }> =>
    dataOf(await gql(t.graphqlUrl, INTEGRATION, { id }, token)).integration;
  const event = async (id: string): Promise<InboundEventView> =>
    dataOf(await gql(t.graphqlUrl, INBOUND_EVENT, { id }, a.token)).inboundEvent;
  const settled = (id: string): Promise<InboundEventView> =>
    waitUntil(async () => {
      const e = await event(id);
      return e.status === 'PENDING' || e.status === 'PROCESSING' ? null : e;
    });
  const stored = async (integrationId: string): Promise<number> =>
    dataOf(await gql(t.graphqlUrl, STATS, { id: integrationId }, a.token)).inboundEventStats.total;

  const postFaire = (
    body: unknown,
    headers: Record<string, string | undefined>,
    raw = Buffer.from(JSON.stringify(body)),
  ): Promise<Response> => {
    const sent: Record<string, string> = { 'content-type': 'application/json' };
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) sent[name] = value;
    return fetch(`${t.url}/inbound/faire`, { method: 'POST', headers: sent, body: raw });
  };
  /** A callback as Faire sends it to the brand's one URL: topic, brand token and (when given a secret) signature. */
  const callback = (
    token: string | undefined,
    body: unknown,
    opts: { topic?: string; topicHeader?: string; secret?: string; signature?: string } = {},
  ): Promise<Response> => {
    const raw = Buffer.from(JSON.stringify(body));
    return postFaire(
      body,
      {
        [opts.topicHeader ?? 'x-faire-webhook-topic']: opts.topic ?? 'ORDER_CREATED',
        'x-faire-brand-token': token,
        'x-faire-hmac-sha256': opts.signature ?? (opts.secret ? sign(raw, opts.secret) : undefined),
      },
      raw,
    );
  };
  const accepted = async (res: Response): Promise<string> => {
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  };
  const deliveredFor = (predicate: (d: Delivered) => boolean): Promise<{ req: ReceivedRequest; body: Delivered }> =>
    waitUntil(async () => {
      const found = receiver.requests
        .map((req) => ({ req, body: JSON.parse(req.body) as Delivered }))
        .find(({ body }) => predicate(body));
      return found ?? null;
    });
  const verified = (req: ReceivedRequest): unknown =>
    new Webhook(endpointSecret).verify(req.body, {
      'webhook-id': req.headers['webhook-id'],
      'webhook-timestamp': req.headers['webhook-timestamp'],
      'webhook-signature': req.headers['webhook-signature'],
    });
  const orderId = (): string => `bo_${randomUUID().slice(0, 12)}`;

  beforeAll(async () => {
    t = await createTestApp();
    receiver = await Receiver.start();
    const created = dataOf(
      await gql(
        t.graphqlUrl,
        CREATE_ENDPOINT,
        {
          input: {
            url: receiver.url,
            eventTypes: ['order.created', 'order.updated', 'product.updated', 'inventory.updated'],
            channels: [`shop:${brandId}`],
          },
        },
        a.token,
      ),
    ).createEndpoint as { secret: string };
    endpointSecret = created.secret;
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  describe('without a webhookSecret: the brand token alone', () => {
    const token = newToken();
    let faire: Integration;

    beforeAll(async () => {
      faire = await createFaire({ brandToken: token });
    });

    it('stores the callback (202), processes it in the background and publishes order.created to the endpoint', async () => {
      const id = orderId();
      const inboundId = await accepted(await callback(token, faireOrder(id, brandId)));
      const processed = await settled(inboundId);
      expect(processed).toMatchObject({
        integrationId: faire.id,
        eventCode: 'ORDER_CREATED',
        status: 'PROCESSED',
        lastError: null,
      });
      expect(processed.headers['x-faire-brand-token']).toBe('[redacted]');
      expect(JSON.stringify(processed.headers)).not.toContain(token);

      const { req, body } = await deliveredFor((d) => d.data.order?.id === id);
      expect(body).toMatchObject({ id: processed.producedEventId, type: 'order.created', data: { shop_id: brandId } });
      expect(verified(req)).toMatchObject({ type: 'order.created' });
    });

    it('takes the topic from X-Faire-Webhook-Topic or from the older X-Faire-Topic', async () => {
      const legacy = await accepted(
        await callback(token, faireOrder(orderId(), brandId), { topic: 'ORDER_UPDATED', topicHeader: 'x-faire-topic' }),
      );
      const current = await accepted(await callback(token, faireOrder(orderId(), brandId), { topic: 'ORDER_UPDATED' }));
      for (const id of [legacy, current])
        expect(await settled(id)).toMatchObject({ eventCode: 'ORDER_UPDATED', status: 'PROCESSED' });
    });

    it('normalises the order bare and under order, data and data.order; a product under data.product', async () => {
      const { brand_id: _brand, ...bareOrder } = faireOrder('unused', brandId);
      const shapes: [string, (id: string) => Record<string, unknown>][] = [
        ['bare', (id) => ({ ...bareOrder, id, brand_id: brandId })],
        ['order', (id) => ({ brand_id: brandId, order: { ...bareOrder, id } })],
        ['data', (id) => ({ brand_id: brandId, data: { ...bareOrder, id } })],
        ['data.order', (id) => ({ event_id: `evt_${id}`, data: { brand_id: brandId, order: { ...bareOrder, id } } })],
      ];
      for (const [shape, body] of shapes) {
        const id = orderId();
        const inboundId = await accepted(await callback(token, body(id)));
        expect({ shape, status: (await settled(inboundId)).status }).toEqual({ shape, status: 'PROCESSED' });
        const { body: delivered } = await deliveredFor((d) => d.data.order?.id === id);
        expect({ shape, delivered }).toMatchObject({
          shape,
          delivered: { type: 'order.created', data: { shop_id: brandId, order: { id, number: 'WZ8XQ2NJ' } } },
        });
      }
      const productId = `p_${randomUUID().slice(0, 8)}`;
      const product = {
        id: productId,
        name: 'Mug',
        options: [{ id: 'po_1', sku: 'MUG-1', wholesale_price_cents: 900 }],
      };
      const inboundId = await accepted(
        await callback(token, { brand_id: brandId, data: { product } }, { topic: 'PRODUCT_UPDATED' }),
      );
      expect((await settled(inboundId)).status).toBe('PROCESSED');
      const { body: delivered } = await deliveredFor((d) => d.data.product?.id === productId);
      expect(delivered).toMatchObject({ type: 'product.updated', data: { shop_id: brandId } });
    });

    it('fails an unrecognised shape with a lastError naming the missing field, and publishes nothing', async () => {
      const id = orderId();
      const inboundId = await accepted(
        await callback(token, { brand_id: brandId, event_id: `evt_${id}`, payload: { order: { id } } }),
      );
      const failed = await settled(inboundId);
      expect(failed).toMatchObject({ status: 'FAILED', producedEventId: null });
      expect(failed.lastError).toBe('Faire ORDER_CREATED: body.id is required and must be an id');
      const nested = await accepted(
        await callback(token, { event_id: `evt2_${id}`, data: { order: { state: 'NEW' } } }),
      );
      expect((await settled(nested)).lastError).toBe(
        'Faire ORDER_CREATED: body.data.order.id is required and must be an id',
      );
    });

    it('keeps refusing this integration on the per-integration path, which always needs a signature', async () => {
      const res = await fetch(`${t.url}${faire.inboundPath}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-faire-webhook-topic': 'ORDER_CREATED',
          'x-faire-brand-token': token,
        },
        body: JSON.stringify(faireOrder(orderId(), brandId)),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED', reasonCode: 'SIGNATURE_INVALID' } });
    });
  });

  describe('with a webhookSecret as well: the signature is required', () => {
    const token = newToken();
    const secret = `faire-secret-${randomUUID()}`;
    let faire: Integration;

    beforeAll(async () => {
      faire = await createFaire({ brandToken: token, webhookSecret: secret });
    });

    it('refuses a missing or a wrong signature (401) and stores nothing', async () => {
      const body = faireOrder(orderId(), brandId);
      const missing = await callback(token, body);
      expect(missing.status).toBe(401);
      expect(await missing.json()).toEqual({
        error: {
          code: 'UNAUTHENTICATED',
          reasonCode: 'SIGNATURE_INVALID',
          message: 'invalid signature: missing X-Faire-Hmac-SHA256 header',
        },
      });
      const wrong = await callback(token, body, { secret: 'another-secret' });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({
        error: { reasonCode: 'SIGNATURE_INVALID', message: 'invalid signature: signature does not match the body' },
      });
      const garbage = await callback(token, body, { signature: 'not-a-digest' });
      expect(garbage.status).toBe(401);
      expect(await stored(faire.id)).toBe(0);
    });

    it('accepts the right signature, processes and publishes', async () => {
      const id = orderId();
      const inboundId = await accepted(await callback(token, faireOrder(id, brandId), { secret }));
      expect(await settled(inboundId)).toMatchObject({ integrationId: faire.id, status: 'PROCESSED' });
      expect((await event(inboundId)).headers['x-faire-hmac-sha256']).toBe('[redacted]');
      const { req } = await deliveredFor((d) => d.data.order?.id === id);
      expect(verified(req)).toMatchObject({ type: 'order.created' });
      expect(await stored(faire.id)).toBe(1);
    });

    it('still receives on the per-integration path with the signature alone', async () => {
      const raw = Buffer.from(JSON.stringify(faireOrder(orderId(), brandId)));
      const res = await fetch(`${t.url}${faire.inboundPath}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-faire-webhook-topic': 'ORDER_CREATED',
          'x-faire-hmac-sha256': sign(raw, secret),
        },
        body: raw,
      });
      expect((await settled(await accepted(res))).status).toBe('PROCESSED');
    });
  });

  describe('refusals by brand token store nothing', () => {
    const token = newToken();
    let faire: Integration;
    let inactive: Integration;
    const inactiveToken = newToken();

    beforeAll(async () => {
      faire = await createFaire({ brandToken: token });
      inactive = await createFaire({ brandToken: inactiveToken });
      dataOf(await updateIntegration(inactive.id, { isActive: false }));
    });

    it('401 BRAND_TOKEN_MISSING without the header (or with an empty one)', async () => {
      for (const value of [undefined, '', '   ']) {
        const res = await callback(value, faireOrder(orderId(), brandId));
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({
          error: {
            code: 'UNAUTHENTICATED',
            reasonCode: 'BRAND_TOKEN_MISSING',
            message: 'missing X-Faire-Brand-Token header',
          },
        });
      }
    });

    it('404 BRAND_TOKEN_UNKNOWN for an unknown, a malformed, an oversized or an inactive integration’s token', async () => {
      for (const value of [brandToken(), token.toUpperCase(), `${token}x`, 'short', 'x'.repeat(5000), inactiveToken]) {
        const res = await callback(value, faireOrder(orderId(), brandId));
        expect({ value: value.slice(0, 40), status: res.status }).toEqual({ value: value.slice(0, 40), status: 404 });
        expect(await res.json()).toEqual({
          error: {
            code: 'NOT_FOUND',
            reasonCode: 'BRAND_TOKEN_UNKNOWN',
            message: 'no active Faire integration has this brand token',
          },
        });
      }
    });

    it('415 for another content type, 400 for a body that is not JSON', async () => {
      const text = await fetch(`${t.url}/inbound/faire`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-faire-brand-token': token },
        body: 'hello',
      });
      expect(text.status).toBe(415);
      const notJson = await postFaire(undefined, { 'x-faire-brand-token': token }, Buffer.from('order=1'));
      expect(notJson.status).toBe(400);
      expect(await notJson.json()).toMatchObject({ error: { reasonCode: 'BODY_NOT_JSON' } });
    });

    it('stored none of them; the same token then works (positive control)', async () => {
      expect(await stored(faire.id)).toBe(0);
      expect(await stored(inactive.id)).toBe(0);
      await accepted(await callback(token, faireOrder(orderId(), brandId)));
      expect(await stored(faire.id)).toBe(1);
    });
  });

  describe('configuring the brand token', () => {
    it('refuses a token already set on another integration with CONFLICT on create, of any tenant, and creates nothing', async () => {
      const token = newToken();
      const first = await createFaire({ brandToken: token });
      const before = dataOf(await gql(t.graphqlUrl, INTEGRATIONS, {}, b.token)).integrations as Integration[];
      for (const caller of [a.token, b.token]) {
        const res = await createIntegration({ brandToken: token, name: 'copy' }, caller);
        expect(res.data).toBeNull();
        expect(res.errors?.[0]?.extensions).toMatchObject({
          code: 'CONFLICT',
          reason: 'BRAND_TOKEN_IN_USE',
          reasonCode: 'BRAND_TOKEN_IN_USE',
          field: 'brandToken',
        });
      }
      const listA = dataOf(await gql(t.graphqlUrl, INTEGRATIONS, {}, a.token)).integrations as Integration[];
      expect(listA.filter((i) => i.name === 'copy')).toEqual([]);
      expect(dataOf(await gql(t.graphqlUrl, INTEGRATIONS, {}, b.token)).integrations).toEqual(before);
      const inboundId = await accepted(await callback(token, faireOrder(orderId(), brandId)));
      expect((await event(inboundId)).integrationId).toBe(first.id);
    });

    it('refuses it on update with CONFLICT and changes nothing, other fields of the same call included', async () => {
      const tokenX = newToken();
      const tokenY = newToken();
      const x = await createFaire({ brandToken: tokenX, name: 'X' });
      const y = await createFaire({ brandToken: tokenY, name: 'Y' });
      const otherTenant = await createFaire({ brandToken: newToken(), name: 'B' }, b.token);
      const xBefore = await integration(x.id);

      for (const [id, caller] of [
        [x.id, a.token],
        [otherTenant.id, b.token],
      ] as const) {
        const res = await updateIntegration(id, { brandToken: tokenY, name: 'renamed' }, caller);
        expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reasonCode: 'BRAND_TOKEN_IN_USE' });
      }
      expect(await integration(x.id)).toEqual(xBefore);
      expect((await integration(otherTenant.id, b.token)).name).toBe('B');
      const audit = dataOf(await gql(t.graphqlUrl, AUDIT, { id: x.id }, a.token)).auditLogs.edges as {
        node: { action: string };
      }[];
      expect(audit.map((e) => e.node.action)).toEqual(['integration.created']);

      const toX = await accepted(await callback(tokenX, faireOrder(orderId(), brandId)));
      const toY = await accepted(await callback(tokenY, faireOrder(orderId(), brandId)));
      expect((await event(toX)).integrationId).toBe(x.id);
      expect((await event(toY)).integrationId).toBe(y.id);
    });

    it('replaces the token on update: the old one is unknown, the new one finds the integration', async () => {
      const oldToken = newToken();
      const newer = newToken();
      const x = await createFaire({ brandToken: oldToken });
      const res = dataOf(await updateIntegration(x.id, { brandToken: newer })).updateIntegration as Integration;
      expect(res.id).toBe(x.id);
      expect((await callback(oldToken, faireOrder(orderId(), brandId))).status).toBe(404);
      const inboundId = await accepted(await callback(newer, faireOrder(orderId(), brandId)));
      expect((await event(inboundId)).integrationId).toBe(x.id);
      const audit = dataOf(await gql(t.graphqlUrl, AUDIT, { id: x.id }, a.token)).auditLogs.edges as {
        node: { action: string; metadata: unknown };
      }[];
      expect(audit.map((e) => e.node)).toContainEqual({
        action: 'integration.updated',
        metadata: { fields: ['brandToken'] },
      });
      expect(JSON.stringify(audit)).not.toContain(newer);
    });

    it('bounds the token in size and charset, allows it only on Faire, and creates nothing when refused', async () => {
      const name = `refused-${randomUUID().slice(0, 8)}`;
      for (const bad of ['short', 'x'.repeat(257), 'has a space in it', 'tökenwithumlaut', 'line\nbreak-token']) {
        const res = await createIntegration({ brandToken: bad, name });
        expect({ bad: bad.slice(0, 20), extensions: res.errors?.[0]?.extensions }).toMatchObject({
          bad: bad.slice(0, 20),
          extensions: { code: 'BAD_USER_INPUT', field: 'brandToken', reasonCode: 'INVALID_INPUT' },
        });
      }
      const generic = await gql(
        t.graphqlUrl,
        CREATE_INTEGRATION,
        { input: { provider: 'generic', name, webhookSecret: 'whsec_x', brandToken: brandToken() } },
        a.token,
      );
      expect(generic.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'brandToken',
        reasonCode: 'BRAND_TOKEN_NOT_SUPPORTED',
      });
      const neither = await createIntegration({ name });
      expect(neither.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'webhookSecret',
        reasonCode: 'PROVIDER_SECRET_MISSING',
      });
      const x = await createFaire({ brandToken: newToken() });
      const tooLong = await updateIntegration(x.id, { brandToken: 'y'.repeat(300), name: 'renamed' });
      expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'brandToken' });
      expect((await integration(x.id)).name).toBe('Faire brand');
      const listed = dataOf(await gql(t.graphqlUrl, INTEGRATIONS, {}, a.token)).integrations as Integration[];
      expect(listed.filter((i) => i.name === name)).toEqual([]);
    });

    it('never returns the brand token nor its hash in any GraphQL answer', async () => {
      const token = newToken();
      const created = await createIntegration({ brandToken: token, webhookSecret: 'faire-secret-shown-never' });
      const id = (dataOf(created).createIntegration as Integration).id;
      const answers = [
        created,
        await updateIntegration(id, { brandToken: newToken() }),
        await gql(t.graphqlUrl, INTEGRATION, { id }, a.token),
        await gql(t.graphqlUrl, INTEGRATIONS, {}, a.token),
        await gql(t.graphqlUrl, AUDIT, { id }, a.token),
      ];
      const typeFields = dataOf(
        await gql(t.graphqlUrl, '{ __type(name: "IntegrationInstance") { fields { name } } }', {}, a.token),
      ).__type.fields as { name: string }[];
      expect(typeFields.map((f) => f.name)).toEqual(expect.arrayContaining(['id', 'inboundPath']));
      expect(typeFields.filter((f) => /brand|token|secret|hash/i.test(f.name))).toEqual([]);
      const text = JSON.stringify(answers);
      expect(text).toContain(id);
      for (const used of tokensUsed) {
        expect(text).not.toContain(used);
        expect(text).not.toContain(sha256(used));
      }
    });
  });
});
