/**
 * The delivered body is the JSON text built once at publish (deliveries.payload is json, not jsonb): receivers get
 * the publisher's member order, a reducer's output in the reducer's own order, and a replay the same bytes.
 */
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../support/app';
import { expectReceived } from '../support/fault-checks';
import { dataOf, gql } from '../support/graphql-client';
import { ReceiverPool, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id createdAt } }`;
const SAVE = `mutation($endpointId: ID!, $input: SaveFilterReducerInput!) {
  saveFilterReducer(endpointId: $endpointId, input: $input) { id }
}`;
const REPLAY = `mutation($id: ID!) { replayDelivery(id: $id) { id } }`;
const DELIVERIES = `query($filter: DeliveryFilter) { deliveries(filter: $filter, first: 5) { edges { node { id status } } } }`;

// jsonb would store these members as id, total, status, currency, line_items (shorter keys first).
const PUBLISHED = {
  order: {
    total: 150.5,
    line_items: [{ sku: 'SKU-1', quantity: 2, price: 75.25 }],
    currency: 'USD',
    status: 'paid',
    id: 'ord_order',
  },
};

describe('delivered bodies keep their member order', () => {
  let t: TestApp;
  const receivers = new ReceiverPool();

  beforeAll(async () => {
    t = await createTestApp({ DELIVERY_RETRY_SCHEDULE: '200ms' });
  });

  afterAll(async () => {
    await receivers.closeAll();
    await t.close();
  });

  it("sends the publisher's member order, the same bytes to every endpoint without a reducer, each signed with its own secret", async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const [a, b] = [await receivers.start(), await receivers.start()];
    const ea = dataOf(await gql(t.graphqlUrl, CREATE, { input: { url: a.url } }, token)).createEndpoint;
    const eb = dataOf(await gql(t.graphqlUrl, CREATE, { input: { url: b.url } }, token)).createEndpoint;
    const event = dataOf(
      await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: PUBLISHED } }, token),
    ).publishEvent;
    const [[ra], [rb]] = [await a.waitFor(1, 15_000), await b.waitFor(1, 15_000)];

    const expected = JSON.stringify({
      id: event.id,
      type: 'order.created',
      timestamp: new Date(event.createdAt).toISOString(),
      data: PUBLISHED,
    });
    expect(ra.body).toBe(expected);
    expect(rb.body).toBe(expected);
    expect(Object.keys((JSON.parse(ra.body) as SentBody).data.order)).toEqual([
      'total',
      'line_items',
      'currency',
      'status',
      'id',
    ]);
    expectReceived([ra], ea.secret, [event.id]);
    expectReceived([rb], eb.secret, [event.id]);
    expect(ra.headers['webhook-signature']).not.toBe(rb.headers['webhook-signature']);
  });

  it("sends a reducer's output in the reducer's own member order", async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const receiver = await receivers.start();
    const created = dataOf(await gql(t.graphqlUrl, CREATE, { input: { url: receiver.url } }, token)).createEndpoint;
    const reducer = { marker: 'yes', kind: 'reduced', orderId: '$.order.id', amount: '$.order.total' };
    dataOf(
      await gql(
        t.graphqlUrl,
        SAVE,
        { endpointId: created.endpoint.id, input: { eventType: 'order.created', reducer } },
        token,
      ),
    );
    await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: PUBLISHED } }, token);
    const [req] = await receiver.waitFor(1, 15_000);
    const sent = JSON.parse(req.body) as { data: Record<string, unknown> };
    expect(JSON.stringify(sent.data)).toBe('{"marker":"yes","kind":"reduced","orderId":"ord_order","amount":150.5}');
  });

  it('replays the exact bytes first sent', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    let failing = true;
    const receiver = await receivers.start((_req, res) => {
      res.writeHead(failing ? 500 : 200).end();
    });
    const created = dataOf(await gql(t.graphqlUrl, CREATE, { input: { url: receiver.url } }, token)).createEndpoint;
    const event = dataOf(
      await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: PUBLISHED } }, token),
    ).publishEvent;
    const deliveries = async () =>
      dataOf(await gql(t.graphqlUrl, DELIVERIES, { filter: { eventId: event.id } }, token)).deliveries.edges.map(
        (e: { node: { id: string; status: string } }) => e.node,
      ) as { id: string; status: string }[];
    await waitUntil(
      async () => (await deliveries()).some((d) => ['FAILED', 'DEAD_LETTER'].includes(d.status)),
      20_000,
      100,
    );
    const [original] = await deliveries();
    failing = false;
    const sentBefore = receiver.requests.length;
    dataOf(await gql(t.graphqlUrl, REPLAY, { id: original.id }, token));
    await receiver.waitFor(sentBefore + 1, 15_000);
    const bodies = new Set(receiver.requests.map((r) => r.body));
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain('"total":150.5,"line_items"');
    const [row]: { payload: string }[] = await t.app
      .get(DataSource)
      .query('SELECT payload::text AS payload FROM deliveries WHERE replay_of_id = $1', [original.id]);
    expect(row.payload).toBe(receiver.requests[0].body);
    expectReceived(receiver.requests, created.secret, [event.id]);
  });
});

type SentBody = { data: { order: Record<string, unknown> } };
