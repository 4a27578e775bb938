/**
 * Domain events (issue 11): every way an endpoint becomes disabled publishes the endpoint.disabled operational
 * event, by hand (toggleEndpoint, updateEndpoint(isActive: false)) as well as on 410 Gone and at disableAt. It
 * goes, signed, to the tenant's endpoints that list it explicitly, and to no other endpoint: not to one that
 * takes every business type, not to one that lists only endpoint.failing, not to the endpoint it is about, not to
 * another tenant's.
 */
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, gql } from '../support/graphql-client';
import { ok, ReceivedRequest, Receiver, ReceiverPool, waitUntil } from '../support/receiver';
import { Tenant, tenant } from '../support/tokens';

const TOGGLE = `mutation($id: ID!) { toggleEndpoint(id: $id) { id isActive health } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateEndpointInput!) { updateEndpoint(id: $id, input: $input) { id isActive health } }`;
const OPERATIONAL = `query($filter: DeliveryFilter) { deliveries(filter: $filter, first: 100) { edges { node { endpointId eventType } } } }`;

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
const ORDER = {
  order: {
    id: 'ord_1',
    status: 'paid',
    currency: 'USD',
    total: 10,
    line_items: [{ sku: 'SKU-1', quantity: 1, price: 10 }],
  },
};

interface Notice {
  type: string;
  data: { endpointId: string; reason: string; health: string; detail: string | null };
}

function verified(secret: string, req: ReceivedRequest): Notice {
  const headers = {
    'webhook-id': req.headers['webhook-id'],
    'webhook-timestamp': req.headers['webhook-timestamp'],
    'webhook-signature': req.headers['webhook-signature'],
  };
  return new Webhook(secret).verify(req.body, headers) as Notice;
}

describe('domain events: endpoint.disabled on every way an endpoint is disabled', () => {
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

  async function createEndpoint(who: Tenant, input: Record<string, unknown>): Promise<{ id: string; secret: string }> {
    const res = dataOf(await gql(t.graphqlUrl, CREATE, { input }, who.token)).createEndpoint;
    return { id: res.endpoint.id, secret: res.secret };
  }

  async function publishOrder(who: Tenant): Promise<void> {
    dataOf(await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: ORDER } }, who.token));
  }

  /** The endpoints of `who` that hold an endpoint.disabled delivery. */
  async function disabledNoticeTargets(who: Tenant): Promise<string[]> {
    const edges: { node: { endpointId: string } }[] = dataOf(
      await gql(t.graphqlUrl, OPERATIONAL, { filter: { eventType: 'endpoint.disabled' } }, who.token),
    ).deliveries.edges;
    return edges.map((e) => e.node.endpointId).sort();
  }

  async function noticesFor(watcher: Receiver, secret: string, count: number): Promise<Notice[]> {
    await watcher.waitFor(count, 15_000);
    return watcher.requests.map((r) => verified(secret, r));
  }

  it('a manual toggle and updateEndpoint(isActive: false) publish endpoint.disabled (MANUAL) to the endpoints that list it, and only to them', async () => {
    const a = tenant();
    const other = tenant();
    const subject = await receiver();
    const watcher = await receiver();
    const everything = await receiver();
    const failingOnly = await receiver();
    const stranger = await receiver();
    const s = await createEndpoint(a, { url: subject.url, eventTypes: ['order.created'] });
    const w = await createEndpoint(a, { url: watcher.url, eventTypes: ['endpoint.disabled'] });
    await createEndpoint(a, { url: everything.url }); // every business type, no operational one
    await createEndpoint(a, { url: failingOnly.url, eventTypes: ['endpoint.failing'] });
    await createEndpoint(other, { url: stranger.url, eventTypes: ['endpoint.disabled'] });

    // Toggle off: one signed notice about the subject.
    expect(dataOf(await gql(t.graphqlUrl, TOGGLE, { id: s.id }, a.token)).toggleEndpoint).toMatchObject({
      isActive: false,
      health: 'DISABLED',
    });
    const [first] = await noticesFor(watcher, w.secret, 1);
    expect(first).toMatchObject({
      type: 'endpoint.disabled',
      data: { endpointId: s.id, reason: 'MANUAL', health: 'DISABLED', detail: 'disabled by user' },
    });

    // Toggle on publishes nothing; updateEndpoint(isActive: false) publishes a second notice.
    expect(dataOf(await gql(t.graphqlUrl, TOGGLE, { id: s.id }, a.token)).toggleEndpoint).toMatchObject({
      isActive: true,
      health: 'HEALTHY',
    });
    expect(
      dataOf(await gql(t.graphqlUrl, UPDATE, { id: s.id, input: { isActive: false } }, a.token)).updateEndpoint,
    ).toMatchObject({ isActive: false });
    const notices = await noticesFor(watcher, w.secret, 2);
    expect(notices[1]).toMatchObject({
      type: 'endpoint.disabled',
      data: { endpointId: s.id, reason: 'MANUAL', health: 'DISABLED' },
    });
    // An update that changes nothing about isActive (already disabled) announces nothing more.
    dataOf(
      await gql(t.graphqlUrl, UPDATE, { id: s.id, input: { isActive: false, description: 'still off' } }, a.token),
    );

    // The deliveries are stored before the mutation answers, so the rows say who was told, without waiting.
    expect(await disabledNoticeTargets(a)).toEqual([w.id, w.id]);
    expect(await disabledNoticeTargets(other)).toEqual([]);
    // Positive control for the others: they do receive what they subscribe to.
    await publishOrder(a);
    await everything.waitFor(1);
    expect(everything.requests.map((r) => JSON.parse(r.body).type)).toEqual(['order.created']);
    expect(watcher.requests).toHaveLength(2);
    expect(subject.requests).toHaveLength(0); // disabled: its order.created is HELD, and never told about itself
    expect(failingOnly.requests).toHaveLength(0);
    expect(stranger.requests).toHaveLength(0);
  }, 40_000);

  it('a 410 Gone (GONE) and an overdue disableAt (FAILING) publish endpoint.disabled once each', async () => {
    const a = tenant();
    const gone = await receiver(ok(410));
    const failing = await receiver(ok(503));
    const watcher = await receiver();
    const g = await createEndpoint(a, { url: gone.url, eventTypes: ['order.created'] });
    const f = await createEndpoint(a, { url: failing.url, eventTypes: ['order.updated'] });
    const w = await createEndpoint(a, { url: watcher.url, eventTypes: ['endpoint.disabled'] });

    await publishOrder(a);
    const [goneNotice] = await noticesFor(watcher, w.secret, 1);
    expect(goneNotice).toMatchObject({
      type: 'endpoint.disabled',
      data: { endpointId: g.id, reason: 'GONE', health: 'DISABLED' },
    });

    // Time travel: FAILING with disableAt passed; the reconciler's sweep disables it without an attempt.
    await t.app
      .get(DataSource)
      .query(
        `UPDATE endpoints SET health = 'FAILING', consecutive_failures = 50, first_failure_at = now() - interval '6 days', disable_at = now() - interval '1 minute' WHERE id = $1`,
        [f.id],
      );
    const notices = await noticesFor(watcher, w.secret, 2);
    expect(notices[1]).toMatchObject({
      type: 'endpoint.disabled',
      data: { endpointId: f.id, reason: 'FAILING', health: 'DISABLED' },
    });
    await waitUntil(async () => (await disabledNoticeTargets(a)).length === 2, 5_000);
    expect(await disabledNoticeTargets(a)).toEqual([w.id, w.id]);
    expect(gone.requests.map((r) => JSON.parse(r.body).type)).toEqual(['order.created']);
    expect(failing.requests).toHaveLength(0);
  }, 40_000);
});
