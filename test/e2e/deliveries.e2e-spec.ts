import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, errorCode, gql } from '../support/graphql-client';
import { ok, ReceivedRequest, Receiver, ReceiverPool, waitUntil } from '../support/receiver';
import { Tenant, tenant } from '../support/tokens';
import { subscribe } from '../support/ws-client';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id isActive } } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id eventType channels createdAt } }`;
const DELIVERIES = `query($filter: DeliveryFilter) { deliveries(filter: $filter, first: 100) { edges { node { id endpointId eventId status attemptCount lastResponseStatus lastError replayOfId payload attempts { attemptNumber responseStatus error responseTimeMs } } } } }`;

export const ORDER = {
  order: {
    id: 'ord_1001',
    status: 'paid',
    currency: 'USD',
    total: 150.5,
    line_items: [
      { sku: 'SKU-1', quantity: 2, price: 50 },
      { sku: 'SKU-2', quantity: 1, price: 50.5 },
    ],
  },
};

export async function createEndpoint(
  t: TestApp,
  who: Tenant,
  input: Record<string, unknown>,
): Promise<{ id: string; secret: string }> {
  const res = dataOf(await gql(t.graphqlUrl, CREATE, { input }, who.token)).createEndpoint;
  return { id: res.endpoint.id, secret: res.secret };
}

export async function publish(
  t: TestApp,
  who: Tenant,
  input: Record<string, unknown>,
): Promise<{ id: string; createdAt: string }> {
  return dataOf(
    await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: ORDER, ...input } }, who.token),
  ).publishEvent;
}

type DeliveryView = {
  id: string;
  endpointId: string;
  eventId: string;
  status: string;
  attemptCount: number;
  lastResponseStatus: number | null;
  lastError: string | null;
  replayOfId: string | null;
  payload: Record<string, unknown>;
  attempts: {
    attemptNumber: number;
    responseStatus: number | null;
    error: string | null;
    responseTimeMs: number | null;
  }[];
};

export async function deliveries(t: TestApp, who: Tenant, filter: Record<string, unknown>): Promise<DeliveryView[]> {
  return dataOf(await gql(t.graphqlUrl, DELIVERIES, { filter }, who.token)).deliveries.edges.map(
    (e: { node: DeliveryView }) => e.node,
  );
}

export async function waitForStatus(
  t: TestApp,
  who: Tenant,
  filter: Record<string, unknown>,
  statuses: string[],
  count = 1,
  timeoutMs = 20_000,
): Promise<DeliveryView[]> {
  return waitUntil(
    async () => {
      const found = await deliveries(t, who, filter);
      return found.length >= count && found.every((d) => statuses.includes(d.status)) ? found : null;
    },
    timeoutMs,
    100,
  );
}

function verify(secret: string, req: ReceivedRequest): unknown {
  return new Webhook(secret).verify(req.body, {
    'webhook-id': req.headers['webhook-id'],
    'webhook-timestamp': req.headers['webhook-timestamp'],
    'webhook-signature': req.headers['webhook-signature'],
  });
}

describe('deliveries (real Postgres, Redis and receivers)', () => {
  let t: TestApp;
  const receivers = new ReceiverPool();
  const receiver = receivers.start;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await receivers.closeAll();
    await t.close();
  });

  it('fans out to exactly the matching endpoints: type, channel, disabled → HELD; every request verifies with standardwebhooks', async () => {
    const a = tenant();
    const all = await receiver();
    const orders = await receiver();
    const shop1 = await receiver();
    const shop2 = await receiver();
    const products = await receiver();
    const disabled = await receiver();
    const eAll = await createEndpoint(t, a, { url: all.url });
    const eOrders = await createEndpoint(t, a, { url: orders.url, eventTypes: ['order.created'] });
    const eShop1 = await createEndpoint(t, a, { url: shop1.url, channels: ['shop:1'] });
    const eShop2 = await createEndpoint(t, a, { url: shop2.url, channels: ['shop:2'] });
    await createEndpoint(t, a, { url: products.url, eventTypes: ['product.updated'] });
    const eDisabled = await createEndpoint(t, a, { url: disabled.url });
    dataOf(
      await gql(
        t.graphqlUrl,
        'mutation($id: ID!) { toggleEndpoint(id: $id) { isActive } }',
        { id: eDisabled.id },
        a.token,
      ),
    );
    const other = tenant();
    const otherReceiver = await receiver();
    await createEndpoint(t, other, { url: otherReceiver.url });

    const event = await publish(t, a, { channels: ['shop:1'] });
    const done = await waitForStatus(t, a, { eventId: event.id }, ['SUCCEEDED', 'HELD'], 4);
    const byEndpoint = new Map(done.map((d) => [d.endpointId, d.status]));
    expect(byEndpoint).toEqual(
      new Map([
        [eAll.id, 'SUCCEEDED'],
        [eOrders.id, 'SUCCEEDED'],
        [eShop1.id, 'SUCCEEDED'],
        [eDisabled.id, 'HELD'],
      ]),
    );
    expect(shop2.requests).toHaveLength(0);
    expect(products.requests).toHaveLength(0);
    expect(disabled.requests).toHaveLength(0);
    expect(otherReceiver.requests).toHaveLength(0);
    expect(done.find((d) => d.endpointId === eShop2.id)).toBeUndefined();

    for (const [r, e] of [
      [all, eAll],
      [orders, eOrders],
      [shop1, eShop1],
    ] as const) {
      expect(r.requests).toHaveLength(1);
      const body = verify(e.secret, r.requests[0]) as Record<string, unknown>;
      expect(body).toEqual({ id: event.id, type: 'order.created', timestamp: event.createdAt, data: ORDER });
      expect(r.requests[0].headers['webhook-id']).toBe(event.id);
      expect(r.requests[0].headers['content-type']).toBe('application/json');
    }
    expect(() => verify(eOrders.secret, { ...all.requests[0] })).toThrow();

    const unscoped = await publish(t, a, {});
    const unscopedDone = await waitForStatus(t, a, { eventId: unscoped.id }, ['SUCCEEDED', 'HELD'], 3);
    expect(unscopedDone.map((d) => d.endpointId).sort()).toEqual([eAll.id, eOrders.id, eDisabled.id].sort());
  });

  it('rejects unknown types, payloads that break the schema, platform-only types and oversized payloads, storing nothing', async () => {
    const a = tenant();
    const count = () =>
      t.app.get(DataSource).query('SELECT count(*)::int AS n FROM events WHERE tenant_id = $1', [a.id]);
    const before = await count();
    // The event-type refusals also name their fault in reasonCode.
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ eventType: 'order.exploded', payload: ORDER }, 'input.eventType', 'UNKNOWN_EVENT_TYPE'],
      [
        { eventType: 'order.created', payload: { order: { ...ORDER.order, total: 'lots' } } },
        'payload.order.total',
        'PAYLOAD_SCHEMA_MISMATCH',
      ],
      [{ eventType: 'delivery.dead_lettered', payload: {} }, 'input.eventType', 'EVENT_TYPE_PLATFORM_ONLY'],
      [{ eventType: 'webhook.test', payload: {} }, 'input.eventType', 'EVENT_TYPE_PLATFORM_ONLY'],
      [{ eventType: 'order.created', payload: { ...ORDER, blob: 'x'.repeat(300 * 1024) } }, 'input.payload'],
      [{ eventType: 'order.created', payload: [1, 2] }, 'input.payload'],
      [{ eventType: 'order.created', payload: ORDER, channels: ['bad\u0000channel'] }, 'channels'],
    ];
    for (const [input, field, reasonCode] of cases) {
      const res = await gql(t.graphqlUrl, PUBLISH, { input }, a.token);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(String(res.errors?.[0].extensions?.field)).toContain(field);
      if (reasonCode) expect(res.errors?.[0].extensions?.reasonCode).toBe(reasonCode);
    }
    const after = await count();
    expect(after[0].n).toBe(before[0].n);
  });

  it('retries a receiver that fails twice, then succeeds: SUCCEEDED after 3 attempts', async () => {
    const a = tenant();
    const r = await receiver((_req, res, i) => {
      res.writeHead(i < 2 ? 503 : 200).end(i < 2 ? 'busy' : 'ok');
    });
    const e = await createEndpoint(t, a, { url: r.url });
    const event = await publish(t, a, {});
    const [d] = await waitForStatus(t, a, { eventId: event.id }, ['SUCCEEDED'], 1, 20_000);
    expect(d.attemptCount).toBe(3);
    expect(d.attempts.map((x) => x.responseStatus)).toEqual([503, 503, 200]);
    expect(new Set(r.requests.map((q) => q.headers['webhook-id']))).toEqual(new Set([event.id]));
    for (const q of r.requests) verify(e.secret, q);
    const gaps = r.requests.slice(1).map((q, i) => q.receivedAt - r.requests[i].receivedAt);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(700); // 1 s ± 20 % jitter
  }, 30_000);

  it('dead-letters a receiver that always answers 500 after 4 attempts and publishes delivery.dead_lettered to a subscribed endpoint', async () => {
    const a = tenant();
    const failing = await receiver(ok(500, 'nope'));
    const watcher = await receiver();
    const e = await createEndpoint(t, a, { url: failing.url, eventTypes: ['order.created'] });
    const w = await createEndpoint(t, a, { url: watcher.url, eventTypes: ['delivery.dead_lettered'] });
    const event = await publish(t, a, {});
    const [d] = await waitForStatus(t, a, { eventId: event.id }, ['DEAD_LETTER'], 1, 25_000);
    expect(d.attemptCount).toBe(4);
    expect(failing.requests).toHaveLength(4);
    expect(d.lastError).toContain('no retries left');
    await watcher.waitFor(1);
    const notice = verify(w.secret, watcher.requests[0]) as { type: string; data: Record<string, unknown> };
    expect(notice.type).toBe('delivery.dead_lettered');
    expect(notice.data).toMatchObject({
      deliveryId: d.id,
      endpointId: e.id,
      eventId: event.id,
      eventType: 'order.created',
    });

    const replay = dataOf(
      await gql(
        t.graphqlUrl,
        'mutation($id: ID!) { replayDelivery(id: $id) { id replayOfId status } }',
        { id: d.id },
        a.token,
      ),
    ).replayDelivery;
    expect(replay.replayOfId).toBe(d.id);
    await failing.waitFor(5);
  }, 40_000);

  it('fails a 400 at once, honours Retry-After on 429, and disables the endpoint on 410', async () => {
    const a = tenant();
    const bad = await receiver(ok(400, 'bad'));
    const limited = await receiver((_req, res, i) => {
      if (i === 0) res.writeHead(429, { 'retry-after': '2' }).end();
      else res.writeHead(200).end();
    });
    const gone = await receiver(ok(410));
    const eBad = await createEndpoint(t, a, { url: bad.url });
    const eLimited = await createEndpoint(t, a, { url: limited.url });
    const eGone = await createEndpoint(t, a, { url: gone.url });
    const event = await publish(t, a, {});
    const done = await waitForStatus(t, a, { eventId: event.id }, ['SUCCEEDED', 'FAILED'], 3, 20_000);
    const by = new Map(done.map((d) => [d.endpointId, d]));
    expect(by.get(eBad.id)).toMatchObject({ status: 'FAILED', attemptCount: 1, lastResponseStatus: 400 });
    expect(bad.requests).toHaveLength(1);
    expect(by.get(eLimited.id)).toMatchObject({ status: 'SUCCEEDED', attemptCount: 2 });
    expect(limited.requests[1].receivedAt - limited.requests[0].receivedAt).toBeGreaterThanOrEqual(1900);
    expect(by.get(eGone.id)).toMatchObject({ status: 'FAILED', lastResponseStatus: 410 });
    const endpoint = dataOf(
      await gql(
        t.graphqlUrl,
        'query($id: ID!) { endpoint(id: $id) { isActive health disabledReason } }',
        { id: eGone.id },
        a.token,
      ),
    ).endpoint;
    expect(endpoint).toMatchObject({ isActive: false, health: 'DISABLED' });
    expect(endpoint.disabledReason).toContain('410');

    const replaySucceeded = await gql(
      t.graphqlUrl,
      'mutation($id: ID!) { replayDelivery(id: $id) { id } }',
      { id: by.get(eLimited.id)?.id },
      a.token,
    );
    expect(errorCode(replaySucceeded)).toBe('UNPROCESSABLE');
    expect(replaySucceeded.errors?.[0]).toMatchObject({
      message: 'only FAILED or DEAD_LETTER deliveries can be replayed; this one is SUCCEEDED',
      extensions: {
        code: 'UNPROCESSABLE',
        reason: 'REPLAY_NOT_ALLOWED',
        reasonCode: 'REPLAY_NOT_ALLOWED',
        status: 'SUCCEEDED',
      },
    });
  }, 30_000);

  it('publishes endpoint.failing after 24 h of failures and disables the endpoint at disableAt, telling subscribed endpoints only', async () => {
    const a = tenant();
    const failing = await receiver(ok(503));
    const watcher = await receiver();
    const e = await createEndpoint(t, a, { url: failing.url, eventTypes: ['order.created'] });
    const w = await createEndpoint(t, a, { url: watcher.url, eventTypes: ['endpoint.failing', 'endpoint.disabled'] });
    const ds = t.app.get(DataSource);
    // Time travel: the endpoint has been failing for 25 hours.
    await ds.query(
      `UPDATE endpoints SET health = 'DEGRADED', consecutive_failures = 40, first_failure_at = now() - interval '25 hours' WHERE id = $1`,
      [e.id],
    );
    await publish(t, a, {});
    await watcher.waitFor(1);
    const failingNotice = verify(w.secret, watcher.requests[0]) as { type: string; data: Record<string, unknown> };
    expect(failingNotice).toMatchObject({ type: 'endpoint.failing', data: { endpointId: e.id, health: 'FAILING' } });
    const failingView = dataOf(
      await gql(
        t.graphqlUrl,
        'query($id: ID!) { endpoint(id: $id) { health isActive disableAt } }',
        { id: e.id },
        a.token,
      ),
    ).endpoint;
    expect(failingView).toMatchObject({ health: 'FAILING', isActive: true });
    expect(new Date(failingView.disableAt).getTime()).toBeGreaterThan(Date.now());

    // Five days on, with no success: the sweep disables it even though no attempt is made.
    await ds.query(`UPDATE endpoints SET disable_at = now() - interval '1 minute' WHERE id = $1`, [e.id]);
    await watcher.waitFor(2, 10_000);
    const disabledNotice = verify(
      w.secret,
      watcher.requests.find((r) => JSON.parse(r.body).type === 'endpoint.disabled') as ReceivedRequest,
    ) as { data: Record<string, unknown> };
    expect(disabledNotice.data).toMatchObject({ endpointId: e.id, reason: 'FAILING', health: 'DISABLED' });
    const disabledView = dataOf(
      await gql(
        t.graphqlUrl,
        'query($id: ID!) { endpoint(id: $id) { health isActive disabledReason } }',
        { id: e.id },
        a.token,
      ),
    ).endpoint;
    expect(disabledView).toMatchObject({ health: 'DISABLED', isActive: false });
    expect(failing.requests.every((r) => !JSON.parse(r.body).type.startsWith('endpoint.'))).toBe(true); // never told about itself
  }, 30_000);

  it("refuses to replay a delivery that is still in progress, and another tenant's delivery is NOT_FOUND", async () => {
    const a = tenant();
    const slow = await receiver(() => undefined); // never answers
    await createEndpoint(t, a, { url: slow.url });
    const event = await publish(t, a, {});
    const [d] = await waitForStatus(t, a, { eventId: event.id }, ['IN_FLIGHT', 'PENDING', 'RETRYING']);
    const res = await gql(t.graphqlUrl, 'mutation($id: ID!) { replayDelivery(id: $id) { id } }', { id: d.id }, a.token);
    expect(errorCode(res)).toBe('UNPROCESSABLE');
    // Clients branch on the reason, not the prose (the status may have moved on since it was read).
    expect(res.errors?.[0].message).toMatch(
      /^only FAILED or DEAD_LETTER deliveries can be replayed; this one is (PENDING|IN_FLIGHT|RETRYING)$/,
    );
    expect(res.errors?.[0].extensions).toMatchObject({
      reason: 'REPLAY_NOT_ALLOWED',
      reasonCode: 'REPLAY_NOT_ALLOWED',
    });
    const stranger = tenant();
    const notFound = { code: 'NOT_FOUND', reason: 'DELIVERY_NOT_FOUND', reasonCode: 'DELIVERY_NOT_FOUND' };
    expect(
      (await gql(t.graphqlUrl, 'mutation($id: ID!) { replayDelivery(id: $id) { id } }', { id: d.id }, stranger.token))
        .errors?.[0].extensions,
    ).toMatchObject(notFound);
    expect(
      (await gql(t.graphqlUrl, 'query($id: ID!) { delivery(id: $id) { id } }', { id: d.id }, stranger.token))
        .errors?.[0].extensions,
    ).toMatchObject(notFound);
    expect(
      (await gql(t.graphqlUrl, 'query($id: ID!) { event(id: $id) { id } }', { id: event.id }, stranger.token))
        .errors?.[0].extensions,
    ).toMatchObject({ code: 'NOT_FOUND', reason: 'EVENT_NOT_FOUND', reasonCode: 'EVENT_NOT_FOUND' });
  });

  it('keeps an ordering lane in publish order while its first delivery retries; other keys stay parallel', async () => {
    const a = tenant();
    let failFirst = true;
    const r = await receiver((req, res) => {
      const body = JSON.parse(req.body) as { data: { order: { id: string } } };
      if (body.data.order.id === 'lane-1' && failFirst) {
        failFirst = false;
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200).end();
    });
    await createEndpoint(t, a, { url: r.url });
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const ev = await publish(t, a, {
        orderingKey: 'customer-42',
        payload: { order: { ...ORDER.order, id: `lane-${n}` } },
      });
      ids.push(ev.id);
    }
    const free = await publish(t, a, { payload: { order: { ...ORDER.order, id: 'free' } } });
    await waitForStatus(t, a, { eventId: free.id }, ['SUCCEEDED']);
    for (const id of ids) await waitForStatus(t, a, { eventId: id }, ['SUCCEEDED'], 1, 20_000);
    const order = r.requests.map((q) => (JSON.parse(q.body) as { data: { order: { id: string } } }).data.order.id);
    expect(order.filter((o) => o.startsWith('lane'))).toEqual(['lane-1', 'lane-1', 'lane-2', 'lane-3']);
    expect(order.indexOf('free')).toBeLessThan(order.lastIndexOf('lane-1'));
  }, 30_000);

  it('does not let a slow endpoint delay a healthy one', async () => {
    // An attempt deadline longer than the test: the slow endpoint's attempts end only when the test lets them, so
    // the healthy delivery succeeding first shows it never waited for them, however loaded the machine is.
    const own = await createTestApp({ DELIVERY_TIMEOUT_MS: '120000', QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}slow` });
    const slow = await Receiver.start(() => undefined);
    try {
      const a = tenant();
      const fast = await receiver();
      const slowEndpoint = await createEndpoint(own, a, { url: slow.url, eventTypes: ['order.updated'] });
      await createEndpoint(own, a, { url: fast.url, eventTypes: ['order.created'] });
      // As many as the endpoint may hold: none waits PENDING, where the shared app's reconciler would take it.
      const held = own.config.endpointConcurrency;
      for (let i = 0; i < held; i++)
        await publish(own, a, { eventType: 'order.updated', payload: { order: { id: `s${i}`, status: 'paid' } } });
      await slow.waitFor(held, 15_000); // the slow endpoint holds every slot it may
      const event = await publish(own, a, {});
      await waitForStatus(own, a, { eventId: event.id }, ['SUCCEEDED'], 1);
      expect(fast.requests.map((r) => r.headers['webhook-id'])).toEqual([event.id]);
      const slowDeliveries = await deliveries(own, a, { endpointId: slowEndpoint.id });
      expect(slowDeliveries.map((d) => d.status)).toEqual(Array(held).fill('IN_FLIGHT')); // none had ended
      expect(slowDeliveries.filter((d) => d.attempts.length > 0)).toEqual([]);
      expect(slow.requests).toHaveLength(held);
    } finally {
      await slow.close(); // ends the held attempts (connection reset), so the app's shutdown need not wait for them
      await own.close();
    }
  }, 60_000);

  it('honours rateLimitPerSecond: no second carries more requests than the limit', async () => {
    const a = tenant();
    const r = await receiver();
    await createEndpoint(t, a, { url: r.url, rateLimitPerSecond: 2 });
    for (let i = 0; i < 6; i++) await publish(t, a, { payload: { order: { ...ORDER.order, id: `rl-${i}` } } });
    await r.waitFor(6, 15_000);
    const perSecond = new Map<number, number>();
    for (const q of r.requests)
      perSecond.set(Math.floor(q.receivedAt / 1000), (perSecond.get(Math.floor(q.receivedAt / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(2);
    expect(r.requests[5].receivedAt - r.requests[0].receivedAt).toBeGreaterThanOrEqual(1000);
  }, 20_000);

  it('releases HELD deliveries in publish order when the endpoint is enabled again', async () => {
    const own = await createTestApp({
      WORKER_CONCURRENCY: '1',
      ENDPOINT_CONCURRENCY: '1',
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}held`,
    });
    try {
      const a = tenant();
      const r = await receiver();
      const e = await createEndpoint(own, a, { url: r.url });
      dataOf(
        await gql(own.graphqlUrl, 'mutation($id: ID!) { toggleEndpoint(id: $id) { isActive } }', { id: e.id }, a.token),
      );
      const events: string[] = [];
      for (let i = 0; i < 5; i++)
        events.push((await publish(own, a, { payload: { order: { ...ORDER.order, id: `held-${i}` } } })).id);
      await waitForStatus(own, a, { endpointId: e.id }, ['HELD'], 5);
      expect(r.requests).toHaveLength(0);
      dataOf(
        await gql(own.graphqlUrl, 'mutation($id: ID!) { toggleEndpoint(id: $id) { isActive } }', { id: e.id }, a.token),
      );
      await waitForStatus(own, a, { endpointId: e.id }, ['SUCCEEDED'], 5);
      expect(r.requests.map((q) => (JSON.parse(q.body) as { id: string }).id)).toEqual(events);
    } finally {
      await own.close();
    }
  }, 30_000);

  it('pushes deliveryUpdated to a subscriber of the tenant (narrowed by endpoint) and nothing to another tenant', async () => {
    const a = tenant();
    const other = tenant();
    const r = await receiver();
    const e = await createEndpoint(t, a, { url: r.url });
    const otherEndpoint = await createEndpoint(t, other, { url: r.url });
    const q =
      'subscription($endpointId: ID) { deliveryUpdated(endpointId: $endpointId) { id status endpointId attemptCount } }';
    const live = subscribe(t.wsUrl, a.token, q, { endpointId: e.id });
    const spy = subscribe(t.wsUrl, other.token, 'subscription { deliveryUpdated { id status endpointId } }');
    await new Promise((res) => setTimeout(res, 300));
    await publish(t, a, {});
    const done = await live.next((ev) => ev.deliveryUpdated.status === 'SUCCEEDED');
    expect(done.deliveryUpdated.endpointId).toBe(e.id);
    expect(live.events.map((ev) => ev.deliveryUpdated.status)).toEqual(
      expect.arrayContaining(['PENDING', 'IN_FLIGHT', 'SUCCEEDED']),
    );
    // Positive control, after tenant a's updates: the same spy client does receive its own tenant's delivery, so
    // an empty stream of a's updates means isolation, not a subscription that never started.
    await publish(t, other, {});
    const own = await spy.next((ev) => ev.deliveryUpdated.status === 'SUCCEEDED');
    expect(own.deliveryUpdated.endpointId).toBe(otherEndpoint.id);
    expect(spy.events.map((ev) => ev.deliveryUpdated.endpointId)).toEqual(spy.events.map(() => otherEndpoint.id));
    expect(spy.events.map((ev) => ev.deliveryUpdated.id)).not.toContain(done.deliveryUpdated.id);
    expect({ live: live.errors, spy: spy.errors }).toEqual({ live: [], spy: [] });
    await live.close();
    await spy.close();
  });

  it('computes stats and a response-time series that match the attempts made', async () => {
    const a = tenant();
    const r = await receiver((_req, res, i) => {
      res.writeHead(i % 2 === 0 ? 200 : 400).end();
    });
    const e = await createEndpoint(t, a, { url: r.url });
    for (let i = 0; i < 4; i++) await publish(t, a, {});
    await waitForStatus(t, a, { endpointId: e.id }, ['SUCCEEDED', 'FAILED'], 4);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const data = dataOf(
      await gql(
        t.graphqlUrl,
        `query($id: ID!, $from: DateTime!, $to: DateTime!) {
      deliveryStats(endpointId: $id) { total succeeded failed pending successRate avgResponseTimeMs p95ResponseTimeMs }
      endpoint(id: $id) { stats { total succeeded failed } }
      responseTimeSeries(endpointId: $id, from: $from, to: $to, bucket: MINUTE) { bucketStart attempts successCount failureCount avgResponseTimeMs }
    }`,
        { id: e.id, from, to },
        a.token,
      ),
    );
    expect(data.deliveryStats).toMatchObject({ total: 4, succeeded: 2, failed: 2, pending: 0, successRate: 0.5 });
    // Every attempt got an answer (200 or 400), so each has a response time, and the average is theirs.
    const attemptsMade = (await deliveries(t, a, { endpointId: e.id })).flatMap((d) => d.attempts);
    const times = attemptsMade.map((x) => x.responseTimeMs).filter((ms): ms is number => ms !== null);
    expect({ attempts: attemptsMade.length, timed: times.length }).toEqual({ attempts: 4, timed: 4 });
    expect(data.deliveryStats.avgResponseTimeMs).toBeCloseTo(times.reduce((sum, ms) => sum + ms, 0) / 4, 6);
    expect(data.endpoint.stats).toEqual({ total: 4, succeeded: 2, failed: 2 });
    const attempts = data.responseTimeSeries.reduce((n: number, p: { attempts: number }) => n + p.attempts, 0);
    const successes = data.responseTimeSeries.reduce((n: number, p: { successCount: number }) => n + p.successCount, 0);
    expect(attempts).toBe(4);
    expect(successes).toBe(2);
    const tenantWide = dataOf(await gql(t.graphqlUrl, '{ deliveryStats { total } }', {}, a.token)).deliveryStats;
    expect(tenantWide.total).toBe(4);
  });

  it('sends a test delivery to one endpoint only, and recovers failed deliveries as a tracked job', async () => {
    const a = tenant();
    let healthy = false;
    const r = await receiver((_req, res) => {
      res.writeHead(healthy ? 200 : 400).end();
    });
    const bystander = await receiver();
    const e = await createEndpoint(t, a, { url: r.url });
    await createEndpoint(t, a, { url: bystander.url });
    const test = dataOf(
      await gql(
        t.graphqlUrl,
        'mutation($id: ID!) { sendTestDelivery(endpointId: $id) { id isTest eventType endpointId } }',
        { id: e.id },
        a.token,
      ),
    ).sendTestDelivery;
    expect(test).toMatchObject({ isTest: true, eventType: 'webhook.test', endpointId: e.id });
    await r.waitFor(1);
    expect(bystander.requests).toHaveLength(0);

    const since = new Date(Date.now() - 1000).toISOString();
    await publish(t, a, {});
    await publish(t, a, {});
    await waitForStatus(t, a, { endpointId: e.id, eventType: 'order.created' }, ['FAILED'], 2);
    healthy = true;
    const job = dataOf(
      await gql(
        t.graphqlUrl,
        'mutation($id: ID!, $since: DateTime!) { recoverDeliveries(endpointId: $id, since: $since) { id status } }',
        { id: e.id, since },
        a.token,
      ),
    ).recoverDeliveries;
    const finished = await waitUntil(async () => {
      const j = dataOf(
        await gql(
          t.graphqlUrl,
          'query($id: ID!) { trackedJob(id: $id) { status progress total result } }',
          { id: job.id },
          a.token,
        ),
      ).trackedJob;
      return j.status === 'COMPLETED' ? j : null;
    });
    expect(finished.result).toEqual({ replayed: 3 }); // the failed test delivery and both order.created
    const replays = await waitForStatus(t, a, { endpointId: e.id, status: ['SUCCEEDED'] }, ['SUCCEEDED'], 3);
    expect(replays.every((d) => d.replayOfId)).toBe(true);

    const purged = dataOf(
      await gql(
        t.graphqlUrl,
        'mutation($id: ID!) { purgeDeliveries(endpointId: $id) { count } }',
        { id: e.id },
        a.token,
      ),
    ).purgeDeliveries;
    expect(purged.count).toBe(6);
    expect(await deliveries(t, a, { endpointId: e.id })).toHaveLength(0);
  }, 30_000);

  it('refuses a test delivery of a type the endpoint leaves out, by its event types or by its filter, naming the reason', async () => {
    const a = tenant();
    const r = await receiver();
    const e = await createEndpoint(t, a, { url: r.url, eventTypes: ['order.created'] });
    const SEND =
      'mutation($id: ID!, $type: String) { sendTestDelivery(endpointId: $id, eventType: $type) { id eventType } }';
    const refusal = (type: string) => ({
      message: `endpoint ${e.id} filters out "${type}" events`,
      extensions: {
        code: 'UNPROCESSABLE',
        reason: 'ENDPOINT_FILTERS_OUT_TYPE',
        reasonCode: 'ENDPOINT_FILTERS_OUT_TYPE',
      },
    });

    const unsubscribed = await gql(t.graphqlUrl, SEND, { id: e.id, type: 'order.updated' }, a.token);
    expect(unsubscribed.errors?.[0]).toMatchObject(refusal('order.updated'));
    // Positive control: the type it receives is sent.
    const sent = dataOf(await gql(t.graphqlUrl, SEND, { id: e.id, type: 'order.created' }, a.token)).sendTestDelivery;
    expect(sent.eventType).toBe('order.created');
    await r.waitFor(1);

    const filter = {
      eventType: 'order.created',
      filter: { query: '$.shop_id', condition: '(v) => v === "no-such-shop"' },
    };
    dataOf(
      await gql(
        t.graphqlUrl,
        'mutation($id: ID!, $input: SaveFilterReducerInput!) { saveFilterReducer(endpointId: $id, input: $input) { id } }',
        { id: e.id, input: filter },
        a.token,
      ),
    );
    const filtered = await gql(t.graphqlUrl, SEND, { id: e.id, type: 'order.created' }, a.token);
    expect(filtered.errors?.[0]).toMatchObject(refusal('order.created'));
    expect(r.requests).toHaveLength(1);
  });

  it('answers and delivers 100 concurrent publishes to an endpoint with a filter', async () => {
    const a = tenant();
    const r = await receiver();
    const e = await createEndpoint(t, a, { url: r.url });
    dataOf(
      await gql(
        t.graphqlUrl,
        'mutation($id: ID!, $input: SaveFilterReducerInput!) { saveFilterReducer(endpointId: $id, input: $input) { id } }',
        {
          id: e.id,
          input: { eventType: 'order.created', filter: { query: '$.order.total', condition: '(v) => v > 1' } },
        },
        a.token,
      ),
    );
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        gql(
          t.graphqlUrl,
          PUBLISH,
          { input: { eventType: 'order.created', payload: { order: { ...ORDER.order, id: `c${i}` } } } },
          a.token,
        ),
      ),
    );
    expect(results.filter((res) => res.data?.publishEvent?.id)).toHaveLength(100);
    await r.waitFor(100, 20_000);
  }, 30_000);

  it('honours idempotency keys on publish, and publishEvents stores up to 100 in one call', async () => {
    const a = tenant();
    const r = await receiver();
    await createEndpoint(t, a, { url: r.url });
    const first = await publish(t, a, { idempotencyKey: 'evt-1' });
    const again = await publish(t, a, { idempotencyKey: 'evt-1' });
    expect(again.id).toBe(first.id);
    const conflict = await gql(
      t.graphqlUrl,
      PUBLISH,
      {
        input: { eventType: 'order.created', payload: { order: { ...ORDER.order, id: 'x' } }, idempotencyKey: 'evt-1' },
      },
      a.token,
    );
    expect(errorCode(conflict)).toBe('CONFLICT');

    const inputs = Array.from({ length: 100 }, (_, i) => ({
      eventType: 'order.created',
      payload: { order: { ...ORDER.order, id: `b${i}` } },
      idempotencyKey: i === 0 ? 'evt-1' : undefined,
    }));
    const batch = dataOf(
      await gql(
        t.graphqlUrl,
        'mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }',
        { inputs: inputs.map((x, i) => (i === 0 ? { ...x, payload: ORDER } : x)) },
        a.token,
      ),
    ).publishEvents;
    expect(batch).toHaveLength(100);
    expect(batch[0].id).toBe(first.id);
    await r.waitFor(100, 30_000);
    const tooMany = await gql(
      t.graphqlUrl,
      'mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }',
      { inputs: [...inputs, inputs[1]] },
      a.token,
    );
    expect(errorCode(tooMany)).toBe('BAD_USER_INPUT');
  }, 40_000);
});
