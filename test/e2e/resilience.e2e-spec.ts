import { spawn } from 'node:child_process';
import Redis from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { canConnect } from '../../scripts/dev-services';
import { dataOf, gql } from '../support/graphql-client';
import { AppProcess, freePort, startAppProcess } from '../support/processes';
import { Receiver, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';
import { subscribe } from '../support/ws-client';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`;
const PUBLISH_MANY = `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`;
const STATUSES = `query($id: ID!, $after: String) { deliveries(filter: { endpointId: $id }, first: 100, after: $after) { edges { node { id status eventId attemptCount } } pageInfo { hasNextPage endCursor } } }`;
const ORDER = (id: string) => ({ order: { id, status: 'paid', currency: 'USD', total: 10, line_items: [{ sku: 'SKU-1', quantity: 1 }] } });

interface Setup {
  api: AppProcess;
  token: string;
  endpointId: string;
  secret: string;
}

async function setup(api: AppProcess, url: string): Promise<Setup> {
  const tenantId = newTenantId();
  const token = adminToken({ tenantId });
  const created = dataOf(await gql(`${api.url}/graphql`, CREATE, { input: { url } }, token)).createEndpoint;
  return { api, token, endpointId: created.endpoint.id, secret: created.secret };
}

async function publishMany(s: Setup, count: number, prefix: string): Promise<string[]> {
  const inputs = Array.from({ length: count }, (_, i) => ({ eventType: 'order.created', payload: ORDER(`${prefix}-${i}`) }));
  return dataOf(await gql(`${s.api.url}/graphql`, PUBLISH_MANY, { inputs }, s.token)).publishEvents.map((e: { id: string }) => e.id);
}

type Row = { id: string; status: string; eventId: string; attemptCount: number };

/** Every delivery of the endpoint, through all pages. */
async function statuses(s: Setup): Promise<Row[]> {
  const rows: Row[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { edges: { node: Row }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = dataOf(await gql(`${s.api.url}/graphql`, STATUSES, { id: s.endpointId, after }, s.token)).deliveries;
    rows.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
}

/** Every published event reached the receiver at least once, every copy verifies, and no delivery is left unfinished. */
async function expectAllDelivered(s: Setup, receiver: Receiver, eventIds: string[], timeoutMs = 60_000): Promise<void> {
  const final = await waitUntil(async () => {
    const rows = await statuses(s);
    return rows.length === eventIds.length && rows.every((r) => r.status === 'SUCCEEDED') ? rows : null;
  }, timeoutMs, 250);
  expect(final.map((r) => r.eventId).sort()).toEqual([...eventIds].sort());
  const received = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
  for (const id of eventIds) expect(received.has(id)).toBe(true);
  const wh = new Webhook(s.secret);
  for (const req of receiver.requests) {
    const body = wh.verify(req.body, { 'webhook-id': req.headers['webhook-id'], 'webhook-timestamp': req.headers['webhook-timestamp'], 'webhook-signature': req.headers['webhook-signature'] }) as { id: string };
    expect(body.id).toBe(req.headers['webhook-id']); // a duplicate carries the same webhook-id
  }
}

describe('resilience: separate api and worker processes', () => {
  const processes: AppProcess[] = [];
  const receivers: Receiver[] = [];
  const start = async (role: 'api' | 'worker' | 'all', env: Record<string, string> = {}) => {
    const p = await startAppProcess(role, env);
    processes.push(p);
    return p;
  };

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  it('streams deliveryUpdated from a worker process to a subscriber on an api process, and only to its tenant', async () => {
    const prefix = `res${Date.now().toString(36)}a`;
    const api = await start('api', { QUEUE_PREFIX: prefix });
    await start('worker', { QUEUE_PREFIX: prefix });
    const receiver = await Receiver.start();
    receivers.push(receiver);
    const s = await setup(api, receiver.url);
    const live = subscribe(`ws://127.0.0.1:${api.port}/graphql`, s.token, 'subscription($id: ID) { deliveryUpdated(endpointId: $id) { id status } }', { id: s.endpointId });
    const spy = subscribe(`ws://127.0.0.1:${api.port}/graphql`, adminToken({ tenantId: newTenantId() }), 'subscription { deliveryUpdated { id status } }');
    await new Promise((r) => setTimeout(r, 500));
    const [eventId] = await publishMany(s, 1, 'live');
    const done = await live.next((e) => e.deliveryUpdated.status === 'SUCCEEDED', 20_000);
    expect(done.deliveryUpdated.id).toBeTruthy();
    expect(receiver.requests[0].headers['webhook-id']).toBe(eventId);
    await new Promise((r) => setTimeout(r, 500));
    expect(spy.events).toHaveLength(0);
    await live.close();
    await spy.close();
  }, 120_000);

  it('a worker SIGKILLed in the middle of attempts, twice, loses nothing', async () => {
    const prefix = `res${Date.now().toString(36)}b`;
    let holding = true;
    const receiver = await Receiver.start((_req, res) => {
      if (!holding) res.writeHead(200).end('ok');
      // while holding, requests stay open: the worker is killed mid-attempt
    });
    receivers.push(receiver);
    const api = await start('api', { QUEUE_PREFIX: prefix });
    const env = { QUEUE_PREFIX: prefix, DELIVERY_TIMEOUT_MS: '20000' };
    const s = await setup(api, receiver.url);
    let worker = await start('worker', env);
    const eventIds = await publishMany(s, 20, 'kill');
    await receiver.waitFor(5, 30_000);
    await worker.kill('SIGKILL');
    worker = await start('worker', env);
    const seen = receiver.requests.length;
    await receiver.waitFor(seen + 1, 60_000); // the second worker picked the abandoned attempts up again
    await worker.kill('SIGKILL');
    holding = false;
    await start('worker', env);
    await expectAllDelivered(s, receiver, eventIds, 90_000);
  }, 240_000);

  it('a Redis that restarts empty while deliveries are queued or retrying loses nothing', async () => {
    const port = await freePort();
    const redisUrl = `redis://127.0.0.1:${port}`;
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    try {
      await waitUntil(() => canConnect(port), 10_000);
      const receiver = await Receiver.start((_req, res, i) => {
        res.writeHead(i < 200 ? 503 : 200).end();
      });
      receivers.push(receiver);
      const app = await start('all', { REDIS_URL: redisUrl, QUEUE_PREFIX: 'flush' });
      const s = await setup(app, receiver.url);
      const eventIds = [...(await publishMany(s, 100, 'flush-a')), ...(await publishMany(s, 100, 'flush-b'))];
      await receiver.waitFor(50, 30_000);
      const client = new Redis(redisUrl);
      await client.flushall();
      client.disconnect();
      await expectAllDelivered(s, receiver, eventIds, 90_000);
      expect(app.output()).toMatch(/"msg":"reconciled deliveries".*"requeued":[1-9]/);
    } finally {
      redis.kill('SIGKILL');
    }
  }, 200_000);
});
