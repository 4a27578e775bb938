/**
 * Fault scenario 3 (issue 7): the Redis server is killed (SIGKILL, by pid) and a new, empty one started on the same
 * port while 1,000 deliveries are queued or retrying. Every Bull job is gone; Postgres still holds every delivery,
 * and the reconciler queues the due ones again once Redis is back. The api and the worker are separate processes
 * that must reconnect on their own.
 */
import { spawn } from 'node:child_process';
import Redis from 'ioredis';
import { canConnect } from '../../scripts/dev-services';
import { expectReceived, expectSettled } from '../support/fault-checks';
import { dataOf, gql } from '../support/graphql-client';
import { AppProcess, freePort, startAppProcess } from '../support/processes';
import { Receiver, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const EVENTS = 1_000;
/** The first attempt of this many events is answered 503, so they are RETRYING (delayed jobs) when Redis dies. */
const FIRST_TRY_FAILS = 300;
const ORDER = (id: string) => ({
  order: { id, status: 'paid', currency: 'USD', total: 10, line_items: [{ sku: 'SKU-1', quantity: 1 }] },
});

function redisServer(port: number) {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
}

describe('fault 3: Redis killed and restarted empty under load', () => {
  const processes: AppProcess[] = [];
  const redisServers: ReturnType<typeof redisServer>[] = [];
  let receiver: Receiver | undefined;

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await receiver?.close();
    for (const r of redisServers) r.kill('SIGKILL');
  });

  it(`loses none of ${EVENTS} deliveries queued or retrying`, async () => {
    const port = await freePort();
    const redisUrl = `redis://127.0.0.1:${port}`;
    redisServers.push(redisServer(port));
    await waitUntil(() => canConnect(port), 10_000);

    const attemptsSeen = new Map<string, number>();
    let failedFirstTries = 0;
    receiver = await Receiver.start((req, res) => {
      const id = req.headers['webhook-id'];
      const seen = attemptsSeen.get(id) ?? 0;
      attemptsSeen.set(id, seen + 1);
      if (seen === 0 && failedFirstTries < FIRST_TRY_FAILS) {
        failedFirstTries += 1;
        res.writeHead(503).end();
        return;
      }
      // A little slower than instant, so most of the burst is still queued when Redis dies.
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(200).end('ok');
      }, 20);
    });

    // Retries wait 5 s, so the failed first tries sit in Redis as delayed jobs when it dies (the worker parks
    // queued jobs over the endpoint's cap in its own memory, which a Redis restart does not touch).
    const env = {
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: `f3${Date.now().toString(36)}`,
      ENDPOINT_CONCURRENCY: '5',
      DELIVERY_RETRY_SCHEDULE: '5s,5s,5s',
    };
    const api = await startAppProcess('api', env);
    processes.push(api);
    const worker = await startAppProcess('worker', env);
    processes.push(worker);
    const graphqlUrl = `${api.url}/graphql`;
    const token = adminToken({ tenantId: newTenantId() });
    const created = dataOf(
      await gql(
        graphqlUrl,
        `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`,
        { input: { url: receiver.url } },
        token,
      ),
    ).createEndpoint;

    const eventIds: string[] = [];
    for (let batch = 0; batch < EVENTS / 100; batch++) {
      const inputs = Array.from({ length: 100 }, (_, i) => ({
        eventType: 'order.created',
        payload: ORDER(`redis-${batch}-${i}`),
      }));
      const published = dataOf(
        await gql(
          graphqlUrl,
          `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`,
          { inputs },
          token,
        ),
      ).publishEvents;
      eventIds.push(...published.map((e: { id: string }) => e.id));
    }
    expect(eventIds).toHaveLength(EVENTS);

    // Kill Redis once retries are scheduled and most of the burst is still waiting in the queue.
    await waitUntil(async () => failedFirstTries >= FIRST_TRY_FAILS, 30_000, 25);
    const probe = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    await probe.connect();
    const prefix = env.QUEUE_PREFIX;
    // A job names a batch of one endpoint's deliveries: count the deliveries the waiting and delayed jobs name.
    const deliveriesIn = async (jobIds: string[]): Promise<number> => {
      const data = await Promise.all(jobIds.map((id) => probe.hget(`${prefix}:deliveries:${id}`, 'data')));
      return data.reduce(
        (n, d) => n + ((JSON.parse(d ?? '{}') as { deliveryIds?: string[] }).deliveryIds ?? []).length,
        0,
      );
    };
    const inRedis = async (): Promise<number> => {
      const [waiting, delayed] = await Promise.all([
        probe.lrange(`${prefix}:deliveries:wait`, 0, -1).then(deliveriesIn),
        probe.zrange(`${prefix}:deliveries:delayed`, 0, -1).then(deliveriesIn),
      ]);
      return waiting + delayed;
    };
    // Jobs carry batches, so the burst leaves the wait list at once (parked in the worker's memory); the retries of
    // the failed first tries reach Redis a few milliseconds after their results are written. Wait for them, well
    // within their 5 s delay, before the kill.
    let queuedAtKill = 0;
    await waitUntil(async () => (queuedAtKill = await inRedis()) >= FIRST_TRY_FAILS / 2, 3_000, 25).catch(
      () => undefined,
    );
    probe.disconnect();
    const deliveredBeforeKill = new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size;
    expect(queuedAtKill).toBeGreaterThanOrEqual(FIRST_TRY_FAILS / 2); // the kill really does catch work in Redis
    expect(deliveredBeforeKill).toBeLessThan(EVENTS);

    redisServers[0].kill('SIGKILL');
    await waitUntil(async () => !(await canConnect(port)), 10_000, 50);
    await new Promise((r) => setTimeout(r, 1_000)); // both processes notice: their commands fail meanwhile
    redisServers.push(redisServer(port));
    await waitUntil(() => canConnect(port), 10_000);
    const fresh = new Redis(redisUrl);
    expect(await fresh.dbsize()).toBeLessThan(5); // empty: whatever is there now the app wrote since
    fresh.disconnect();

    await expectSettled(
      graphqlUrl,
      token,
      created.endpoint.id,
      Object.fromEntries(eventIds.map((id) => [id, 'SUCCEEDED'])),
      150_000,
    );
    expectReceived(receiver.requests, created.secret, eventIds);
    expect(worker.output()).toMatch(/"msg":"reconciled deliveries".*"requeued":[1-9]/);
    expect(api.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();
  }, 240_000);
});
