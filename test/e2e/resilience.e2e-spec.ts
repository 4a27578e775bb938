/** Live delivery status across processes: a worker process publishes, an api process streams to the right tenant. Fault scenarios 1-3 are in test/faults. */
import { dataOf, gql } from '../support/graphql-client';
import { AppProcess, startAppProcess } from '../support/processes';
import { Receiver } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';
import { subscribe } from '../support/ws-client';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`;
const PUBLISH_MANY = `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`;
const ORDER = (id: string) => ({
  order: { id, status: 'paid', currency: 'USD', total: 10, line_items: [{ sku: 'SKU-1', quantity: 1 }] },
});

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
  const inputs = Array.from({ length: count }, (_, i) => ({
    eventType: 'order.created',
    payload: ORDER(`${prefix}-${i}`),
  }));
  return dataOf(await gql(`${s.api.url}/graphql`, PUBLISH_MANY, { inputs }, s.token)).publishEvents.map(
    (e: { id: string }) => e.id,
  );
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
    const other = await setup(api, receiver.url);
    const wsUrl = `ws://127.0.0.1:${api.port}/graphql`;
    const live = subscribe(wsUrl, s.token, 'subscription($id: ID) { deliveryUpdated(endpointId: $id) { id status } }', {
      id: s.endpointId,
    });
    const spy = subscribe(wsUrl, other.token, 'subscription { deliveryUpdated { id status endpointId } }');
    await new Promise((r) => setTimeout(r, 500));
    const [eventId] = await publishMany(s, 1, 'live');
    const done = await live.next((e) => e.deliveryUpdated.status === 'SUCCEEDED', 20_000);
    expect(done.deliveryUpdated.id).toBeTruthy();
    expect(receiver.requests[0].headers['webhook-id']).toBe(eventId);
    // Positive control, after the first tenant's updates: the same spy client does receive its own tenant's
    // delivery from the worker, so seeing none of the first tenant's means isolation, not a dead subscription.
    const [otherEventId] = await publishMany(other, 1, 'spy');
    const own = await spy.next((e) => e.deliveryUpdated.status === 'SUCCEEDED', 20_000);
    expect(own.deliveryUpdated.endpointId).toBe(other.endpointId);
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([eventId, otherEventId]);
    expect(spy.events.map((e) => e.deliveryUpdated.endpointId)).toEqual(spy.events.map(() => other.endpointId));
    expect(spy.events.map((e) => e.deliveryUpdated.id)).not.toContain(done.deliveryUpdated.id);
    expect({ live: live.errors, spy: spy.errors }).toEqual({ live: [], spy: [] });
    await live.close();
    await spy.close();
  }, 120_000);
});
