/**
 * Fault scenario 8 (issue 7): SIGTERM to a worker process during a burst of 100 deliveries to a receiver that
 * answers after 300 ms. The worker finishes (or releases) its attempts and exits 0; a new worker then
 * delivers the rest; every delivery ends SUCCEEDED and nothing is left PENDING or IN_FLIGHT.
 *
 * And (issue 11, "Worker shutdown") the same under a burst of 2,000 deliveries to a receiver that answers at once,
 * so the batched result writer is busy when SIGTERM arrives: the shutdown stops claiming, lets the attempts in
 * flight finish, flushes the writer and only then lets the pool close. No result is lost to a closed pool, so the
 * receiver gets no duplicate at all (a duplicate is an attempt made but not recorded, made again).
 */
import { Client } from 'pg';
import { expectReceived, expectSettled, allDeliveries, startPrivateRedis } from '../support/fault-checks';
import { dataOf, gql } from '../support/graphql-client';
import { AppProcess, startAppProcess } from '../support/processes';
import { Receiver } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const ORDER = (id: string) => ({ order: { id, status: 'paid', currency: 'USD', total: 10, line_items: [{ sku: 'SKU-1', quantity: 1 }] } });

describe('fault 8: SIGTERM to a worker during a burst', () => {
  const processes: AppProcess[] = [];
  let redis: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;
  let receiver: Receiver | undefined;

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await receiver?.close();
    redis?.stop();
  });

  it('the worker exits 0 with no attempt left in flight, and a new worker delivers everything', async () => {
    redis = await startPrivateRedis();
    receiver = await Receiver.start((_req, res) => {
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(200).end('ok');
      }, 300);
    });
    const env = { REDIS_URL: redis.url, QUEUE_PREFIX: `f8${Date.now().toString(36)}`, DELIVERY_TIMEOUT_MS: '3000' };
    const api = await startAppProcess('api', env);
    processes.push(api);
    const worker = await startAppProcess('worker', env);
    processes.push(worker);
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => worker.child.once('exit', (code, signal) => resolve({ code, signal })));

    const graphqlUrl = `${api.url}/graphql`;
    const token = adminToken({ tenantId: newTenantId() });
    const created = dataOf(await gql(graphqlUrl, `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`, { input: { url: receiver.url } }, token)).createEndpoint;
    const inputs = Array.from({ length: 100 }, (_, i) => ({ eventType: 'order.created', payload: ORDER(`sigterm-${i}`) }));
    const eventIds: string[] = dataOf(await gql(graphqlUrl, `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`, { inputs }, token)).publishEvents.map((e: { id: string }) => e.id);

    await receiver.waitFor(10, 30_000);
    const signalled = Date.now();
    worker.child.kill('SIGTERM');
    const { code, signal } = await exit;
    const tookMs = Date.now() - signalled;
    expect(tookMs).toBeLessThan(3000 + 2000 + 5000); // one attempt's deadline, the shutdown grace, and boot-time slack
    expect(worker.output()).not.toMatch(/"level":"error"/);

    // Finished or released: nothing the stopped worker held is still IN_FLIGHT.
    const inFlight = await allDeliveries(graphqlUrl, token, { endpointId: created.endpoint.id, status: ['IN_FLIGHT'] });
    expect(inFlight.map((d) => d.id)).toEqual([]);
    const beforeRestart = receiver.requests.length;
    expect(beforeRestart).toBeLessThan(100); // the burst really was cut short

    processes.push(await startAppProcess('worker', env));
    await expectSettled(graphqlUrl, token, created.endpoint.id, Object.fromEntries(eventIds.map((id) => [id, 'SUCCEEDED'])), 60_000);
    expectReceived(receiver.requests, created.secret, eventIds);
    const none = await allDeliveries(graphqlUrl, token, { endpointId: created.endpoint.id, status: ['PENDING', 'IN_FLIGHT', 'RETRYING'] });
    expect(none).toEqual([]);

    // Checked last so that the delivery checks above report on their own: a clean stop is exit code 0, not a
    // death by the re-raised signal (which a supervisor reports as 143).
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  }, 150_000);

  it('under a burst that keeps the result writer busy, SIGTERM records every attempt made: no closed-pool error, no duplicate', async () => {
    redis ??= await startPrivateRedis();
    const fast = await Receiver.start();
    // A lease longer than the 8 s lock below: otherwise the api's reconciler rightly re-queues IN_FLIGHT attempts whose
    // lease ran out while their results waited, and the copies it sends are lease recovery, not the shutdown under test.
    const env = { REDIS_URL: redis.url, QUEUE_PREFIX: `f8b${Date.now().toString(36)}`, DELIVERY_TIMEOUT_MS: '3000', DELIVERY_LEASE_GRACE_MS: '60000', TENANT_CONCURRENCY: '200', ENDPOINT_CONCURRENCY: '200' };
    try {
      const api = await startAppProcess('api', env);
      processes.push(api);
      const graphqlUrl = `${api.url}/graphql`;
      const token = adminToken({ tenantId: newTenantId() });
      const created = dataOf(await gql(graphqlUrl, `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`, { input: { url: fast.url } }, token)).createEndpoint;
      const eventIds: string[] = [];
      for (let batch = 0; batch < 20; batch += 1) {
        const inputs = Array.from({ length: 100 }, (_, i) => ({ eventType: 'order.created', payload: ORDER(`burst-${batch}-${i}`) }));
        const published = dataOf(await gql(graphqlUrl, `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`, { inputs }, token)).publishEvents;
        eventIds.push(...published.map((e: { id: string }) => e.id));
      }

      const worker = await startAppProcess('worker', env);
      processes.push(worker);
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => worker.child.once('exit', (code, signal) => resolve({ code, signal })));
      await fast.waitFor(300, 60_000);
      // Postgres lagging, as on a loaded machine: results cannot be written for longer than one attempt's deadline
      // and the old shutdown grace together, so SIGTERM finds the writer busy with a backlog.
      const lagging = new Client({ connectionString: process.env.DATABASE_URL });
      await lagging.connect();
      await lagging.query('BEGIN');
      await lagging.query('LOCK TABLE delivery_attempts IN EXCLUSIVE MODE');
      worker.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 8000));
      await lagging.query('COMMIT');
      await lagging.end();
      const stopped = await exit;
      const output = worker.output();
      expect(output).not.toMatch(/recording a delivery attempt failed/);
      expect(output).not.toMatch(/Connection terminated/);
      expect(output).not.toMatch(/"level":"error"/);
      // Every attempt made was recorded before the pool closed (a fixed shutdown grace left hundreds to the lease).
      expect(output).toMatch(/"msg":"dispatch stopped","unfinishedAttempts":0,"unrecorded":0/);
      expect(fast.requests.length).toBeLessThan(eventIds.length); // the burst really was cut short

      processes.push(await startAppProcess('worker', env));
      await expectSettled(graphqlUrl, token, created.endpoint.id, Object.fromEntries(eventIds.map((id) => [id, 'SUCCEEDED'])), 120_000);
      expectReceived(fast.requests, created.secret, eventIds);
      const copies = new Map<string, number>();
      for (const r of fast.requests) copies.set(r.headers['webhook-id'], (copies.get(r.headers['webhook-id']) ?? 0) + 1);
      expect([...copies].filter(([, n]) => n > 1)).toEqual([]);
      expect(fast.requests).toHaveLength(eventIds.length);
      expect(stopped).toEqual({ code: 0, signal: null });
    } finally {
      await fast.close();
    }
  }, 240_000);
});
