/**
 * Fault scenario 9 (issue 7): 50 concurrent copies of one signed Faire ORDER_CREATED callback while the worker
 * is SIGKILLed and restarted. One inbound row, processed once, one outbound event, one delivery.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { expectReceived, expectSettled, startPrivateRedis } from '../support/fault-checks';
import { dataOf, gql } from '../support/graphql-client';
import { AppProcess, startAppProcess } from '../support/processes';
import { Receiver, waitUntil } from '../support/receiver';
import { faireOrder } from '../support/faire';
import { adminToken, newTenantId } from '../support/tokens';

const INBOUND = `query($filter: InboundEventFilter!) { inboundEvents(filter: $filter, first: 100) { totalCount edges { node { id status attempts lastError producedEventId externalId } } } }`;

describe('fault 9: 50 concurrent copies of one inbound Faire event while the worker restarts', () => {
  const processes: AppProcess[] = [];
  let redis: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;
  let receiver: Receiver | undefined;

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await receiver?.close();
    redis?.stop();
  });

  it('stores one row, processes it once and publishes one order.created, delivered once', async () => {
    redis = await startPrivateRedis();
    receiver = await Receiver.start();
    const env = { REDIS_URL: redis.url, QUEUE_PREFIX: `f9${Date.now().toString(36)}` };
    const [api, worker] = await Promise.all([startAppProcess('api', env), startAppProcess('worker', env)]);
    processes.push(api, worker);
    const graphqlUrl = `${api.url}/graphql`;
    const token = adminToken({ tenantId: newTenantId() });
    const secret = `faire-${randomUUID()}`;
    const brandId = `b_${randomUUID().slice(0, 8)}`;
    const integration = dataOf(
      await gql(
        graphqlUrl,
        `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id inboundPath } }`,
        { input: { provider: 'faire', name: 'fault 9', webhookSecret: secret } },
        token,
      ),
    ).createIntegration;
    const created = dataOf(
      await gql(
        graphqlUrl,
        `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`,
        { input: { url: receiver.url, eventTypes: ['order.created'] } },
        token,
      ),
    ).createEndpoint;

    const raw = Buffer.from(JSON.stringify(faireOrder(`bo_${randomUUID().slice(0, 10)}`, brandId)));
    const headers = {
      'content-type': 'application/json',
      'x-faire-webhook-topic': 'ORDER_CREATED',
      'x-faire-hmac-sha256': createHmac('sha256', secret).update(raw).digest('base64'),
    };
    const sending = Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${api.url}${integration.inboundPath}`, { method: 'POST', headers, body: raw }),
      ),
    );
    const killed = worker.kill('SIGKILL'); // right after sending, while the copies are in flight
    const responses = await sending;
    await killed;
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { id: string; duplicate?: boolean }[];
    expect(responses.map((r) => r.status).sort()).toEqual([...Array(49).fill(200), 202]);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(bodies.filter((b) => b.duplicate === true)).toHaveLength(49);

    processes.push(await startAppProcess('worker', env));
    const filter = { integrationId: integration.id };
    const settled = await waitUntil(
      async () => {
        const page = dataOf(await gql(graphqlUrl, INBOUND, { filter }, token)).inboundEvents;
        return page.edges.every((e: { node: { status: string } }) => e.node.status === 'PROCESSED') ? page : null;
      },
      60_000,
      250,
    );
    expect(settled.totalCount).toBe(1);
    const [row] = settled.edges.map(
      (e: {
        node: { id: string; status: string; attempts: number; lastError: string | null; producedEventId: string };
      }) => e.node,
    );
    expect(row.id).toBe(bodies[0].id);
    // The first worker died before it could take the job; the second took it once.
    expect(row.attempts).toBe(1);
    expect(row.lastError).toBeNull();
    expect(row.producedEventId).toEqual(expect.any(String));

    const events = dataOf(
      await gql(
        graphqlUrl,
        `{ events(first: 100, filter: { eventType: "order.created" }) { edges { node { id } } } }`,
        {},
        token,
      ),
    ).events.edges;
    expect(events.map((e: { node: { id: string } }) => e.node.id)).toEqual([row.producedEventId]);
    await expectSettled(graphqlUrl, token, created.endpoint.id, { [row.producedEventId]: 'SUCCEEDED' });
    expectReceived(receiver.requests, created.secret, [row.producedEventId]);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([row.producedEventId]));
  }, 150_000);
});
