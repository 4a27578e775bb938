/**
 * Fault scenario 8 (issue 7): SIGTERM to a worker process during a burst of 100 deliveries to a receiver that
 * answers after 300 ms. The worker finishes (or releases) its attempts and exits 0; a new worker then
 * delivers the rest; every delivery ends SUCCEEDED and nothing is left PENDING or IN_FLIGHT.
 *
 * And (issue 11, "Worker shutdown") the same while the batched result writer is busy: Postgres made to lag
 * across the SIGTERM, longer than an attempt's lease, so results wait in the writer as the shutdown begins.
 */
import { Client } from 'pg';
import { expectReceived, expectSettled, allDeliveries, startPrivateRedis } from '../support/fault-checks';
import { dataOf, gql } from '../support/graphql-client';
import { AppProcess, startAppProcess } from '../support/processes';
import { Receiver } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const PUBLISH_MANY = `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`;
const CREATE_ENDPOINT = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`;
const ORDER = (id: string) => ({
  order: { id, status: 'paid', currency: 'USD', total: 10, line_items: [{ sku: 'SKU-1', quantity: 1 }] },
});

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
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      worker.child.once('exit', (code, signal) => resolve({ code, signal })),
    );

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
    const inputs = Array.from({ length: 100 }, (_, i) => ({
      eventType: 'order.created',
      payload: ORDER(`sigterm-${i}`),
    }));
    const eventIds: string[] = dataOf(
      await gql(
        graphqlUrl,
        `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`,
        { inputs },
        token,
      ),
    ).publishEvents.map((e: { id: string }) => e.id);

    await receiver.waitFor(10, 30_000);
    worker.child.kill('SIGTERM');
    const { code, signal } = await exit;
    expect(worker.output()).not.toMatch(/"level":"error"/);
    // Every attempt it had started ended and its result was written before the pool closed.
    expect(worker.output()).toMatch(/"msg":"dispatch stopped","unfinishedAttempts":0,"unrecorded":0,"superseded":0/);

    // Finished or released: nothing the stopped worker held is still IN_FLIGHT.
    const inFlight = await allDeliveries(graphqlUrl, token, { endpointId: created.endpoint.id, status: ['IN_FLIGHT'] });
    expect(inFlight.map((d) => d.id)).toEqual([]);
    const beforeRestart = receiver.requests.length;
    expect(beforeRestart).toBeLessThan(100); // the burst really was cut short

    processes.push(await startAppProcess('worker', env));
    await expectSettled(
      graphqlUrl,
      token,
      created.endpoint.id,
      Object.fromEntries(eventIds.map((id) => [id, 'SUCCEEDED'])),
      60_000,
    );
    expectReceived(receiver.requests, created.secret, eventIds);
    const none = await allDeliveries(graphqlUrl, token, {
      endpointId: created.endpoint.id,
      status: ['PENDING', 'IN_FLIGHT', 'RETRYING'],
    });
    expect(none).toEqual([]);

    // Checked last so that the delivery checks above report on their own: a clean stop is exit code 0, not a
    // death by the re-raised signal (which a supervisor reports as 143).
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // Stopped here: a worker left running would take the next test's overdue deliveries through its reconciler,
    // and its copies would be counted there.
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  }, 150_000);

  /*
   * A burst of 400 deliveries to a receiver that answers after 100 ms. Right before SIGTERM, delivery_attempts is
   * locked for 7 s: every result waits in the writer, for longer than an attempt's lease (3 s deadline + 2 s grace).
   * Before the fix the stopping worker's own reconciler ticked on through the drain, handed those deliveries back
   * as abandoned, the late results were refused, and the next worker sent each one again (hundreds of copies).
   *
   * The bound: only an attempt in flight at SIGTERM (sent, or its result not yet written) can be sent twice, and
   * only if its lease is recovered before its result lands, which no process here can do (the stopping worker's
   * reconciler stops first; the api runs none; the next worker starts after the exit). A claim that returns after
   * SIGTERM is given back unsent. So: copies <= attempts in flight at SIGTERM, and none for a recorded attempt:
   * every copy the receiver got is an attempt recorded in delivery_attempts, and no delivery succeeded twice.
   * (A copy after a recorded failure, e.g. a timeout on a loaded machine, is an ordinary retry and allowed.)
   */
  it('with the result writer held busy across SIGTERM: exit 0, no pool error, every result recorded, no repeat of a recorded attempt', async () => {
    redis ??= await startPrivateRedis();
    const slow = await Receiver.start((_req, res) => {
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(200).end('ok');
      }, 100);
    });
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    const env = {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `f8b${Date.now().toString(36)}`,
      DELIVERY_TIMEOUT_MS: '3000',
      TENANT_CONCURRENCY: '50',
      ENDPOINT_CONCURRENCY: '50',
    };
    try {
      const api = await startAppProcess('api', env);
      processes.push(api);
      const graphqlUrl = `${api.url}/graphql`;
      const tenantId = newTenantId();
      const token = adminToken({ tenantId });
      const created = dataOf(
        await gql(graphqlUrl, CREATE_ENDPOINT, { input: { url: slow.url } }, token),
      ).createEndpoint;
      const endpointId: string = created.endpoint.id;
      const eventIds: string[] = [];
      for (let batch = 0; batch < 4; batch += 1) {
        const inputs = Array.from({ length: 100 }, (_, i) => ({
          eventType: 'order.created',
          payload: ORDER(`busy-${batch}-${i}`),
        }));
        eventIds.push(
          ...dataOf(await gql(graphqlUrl, PUBLISH_MANY, { inputs }, token)).publishEvents.map(
            (e: { id: string }) => e.id,
          ),
        );
      }
      await db.connect();
      const countInFlight = async (): Promise<number> =>
        Number(
          (
            await db.query(
              `SELECT count(*) AS n FROM deliveries WHERE tenant_id = $1 AND endpoint_id = $2 AND status = 'IN_FLIGHT'`,
              [tenantId, endpointId],
            )
          ).rows[0].n,
        );

      const worker = await startAppProcess('worker', env);
      processes.push(worker);
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        worker.child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      await slow.waitFor(60, 60_000);
      await db.query('BEGIN');
      await db.query('LOCK TABLE delivery_attempts IN EXCLUSIVE MODE');
      worker.child.kill('SIGTERM');
      // While the lock holds every result back, what is IN_FLIGHT is what the stopping worker has sent or is
      // sending and not recorded: the attempts in flight at SIGTERM (it starts no new one).
      await new Promise((r) => setTimeout(r, 1000));
      const inFlightAtSigterm = await countInFlight();
      await new Promise((r) => setTimeout(r, 6000));
      await db.query('COMMIT');
      const stopped = await exit;
      const output = worker.output();
      const sentByFirst = slow.requests.length;

      expect(output).not.toMatch(/recording a delivery attempt failed/);
      expect(output).not.toMatch(/Connection terminated/);
      expect(output).not.toMatch(/"level":"error"/);
      expect(output).toMatch(/"msg":"dispatch stopped","unfinishedAttempts":0,"unrecorded":0,"superseded":0/);
      expect(await countInFlight()).toBe(0); // finished and recorded, or given back
      expect(inFlightAtSigterm).toBeGreaterThan(0); // the writer really was holding results at SIGTERM
      expect(sentByFirst).toBeLessThan(eventIds.length); // and the burst really was cut short

      processes.push(await startAppProcess('worker', env));
      await expectSettled(
        graphqlUrl,
        token,
        endpointId,
        Object.fromEntries(eventIds.map((id) => [id, 'SUCCEEDED'])),
        120_000,
      );
      expectReceived(slow.requests, created.secret, eventIds);

      const copies = new Map<string, number>();
      for (const r of slow.requests)
        copies.set(r.headers['webhook-id'], (copies.get(r.headers['webhook-id']) ?? 0) + 1);
      const attempts = await db.query(
        `SELECT d.event_id, count(*)::int AS made, count(*) FILTER (WHERE a.success)::int AS succeeded
           FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
          WHERE a.tenant_id = $1 AND d.tenant_id = $1 AND a.endpoint_id = $2 GROUP BY d.event_id`,
        [tenantId, endpointId],
      );
      const recorded = new Map<string, { made: number; succeeded: number }>(attempts.rows.map((r) => [r.event_id, r]));
      const unexplained = [...copies].filter(
        ([id, n]) => n > (recorded.get(id)?.made ?? 0) || recorded.get(id)?.succeeded !== 1,
      );
      expect(unexplained).toEqual([]);
      const duplicates = [...copies.values()].reduce((sum, n) => sum + n - 1, 0);
      expect(duplicates).toBeLessThanOrEqual(inFlightAtSigterm);
      process.stdout.write(
        `worker-sigterm busy writer: ${inFlightAtSigterm} in flight at SIGTERM, ${sentByFirst} sent before the exit, ${duplicates} copies\n`,
      );
      expect(stopped).toEqual({ code: 0, signal: null });
    } finally {
      await db.end().catch(() => undefined);
      await slow.close();
    }
  }, 240_000);
});
