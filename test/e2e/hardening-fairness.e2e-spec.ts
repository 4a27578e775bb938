/**
 * Issue 17, item 3: one tenant cannot starve the others.
 * - Endpoints per tenant are capped (MAX_ENDPOINTS_PER_TENANT), exactly, under concurrent creates.
 * - A tenant whose many endpoints are a black hole (a TCP server that accepts and never answers) holds at most
 *   TENANT_CONCURRENCY attempts of the worker; its backlog waits parked, and another tenant's delivery succeeds
 *   while that backlog is still pending. Nothing is lost: the bad tenant's deliveries end DEAD_LETTER in the end.
 * - The reconciler's overdue batch goes round-robin across tenants: tenants with many endpoints of overdue backlog
 *   cannot crowd another tenant's lost delivery out of a tick.
 * Ordering-based: no assertion depends on how fast the machine is.
 */
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { QueueName } from '../../src/common/queue/queue.constants';
import { ReconcilerService } from '../../src/deliveries/reconciler.service';
import { createTestApp, TestApp } from '../support/app';
import { recordEnqueues } from '../support/enqueue-spy';
import { dataOf, gql, GqlResponse } from '../support/graphql-client';
import { Receiver, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const MAX_ENDPOINTS = 64;
const TENANT_CONCURRENCY = 5;
/** Without the tenant cap the bad tenant would take every one of these (each endpoint's own cap is 20). */
const WORKER_CONCURRENCY = 12;
const DEAD_ENDPOINTS = 60;
const BAD_EVENTS = 2;
const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } } }`;
const DELETE = `mutation($id: ID!) { deleteEndpoint(id: $id) { id } }`;
const PUBLISH_MANY = `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`;
const ORDER = (id: string): Record<string, unknown> => ({
  order: { id, status: 'paid', currency: 'USD', total: 10, line_items: [{ sku: 'SKU-1', quantity: 1 }] },
});

/** Accepts TCP connections and never answers, until `reset()`: from then on it resets every connection. */
class BlackHole {
  readonly open = new Set<Socket>();
  accepted = 0;
  private resetting = false;
  private server: Server;
  url = '';

  static async start(): Promise<BlackHole> {
    const hole = new BlackHole();
    hole.server = createServer((socket) => {
      hole.accepted += 1;
      if (hole.resetting) {
        socket.resetAndDestroy();
        return;
      }
      socket.on('error', () => undefined);
      socket.on('data', () => undefined); // reads the request, answers nothing
      hole.open.add(socket);
      socket.on('close', () => hole.open.delete(socket));
    });
    await new Promise<void>((resolve) => hole.server.listen(0, '127.0.0.1', resolve));
    hole.url = `http://127.0.0.1:${(hole.server.address() as AddressInfo).port}`;
    return hole;
  }

  reset(): void {
    this.resetting = true;
    for (const socket of this.open) socket.resetAndDestroy();
  }

  async close(): Promise<void> {
    this.reset();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('tenant fairness (issue 17)', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let hole: BlackHole;
  let healthy: Receiver;

  beforeAll(async () => {
    // DELIVERY_TIMEOUT_MS long enough that no black-hole attempt ends by itself during the test: slots are only
    // freed when the test says so (reset), which makes the assertions below independent of the machine's speed.
    t = await createTestApp({
      MAX_ENDPOINTS_PER_TENANT: String(MAX_ENDPOINTS),
      TENANT_CONCURRENCY: String(TENANT_CONCURRENCY),
      WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      DELIVERY_TIMEOUT_MS: '60000',
      DELIVERY_RETRY_SCHEDULE: '1s',
      // No timer ticks: the reconciler test calls reconcile() itself (and no overdue grace passes meanwhile).
      RECONCILE_INTERVAL_MS: '600000',
    });
    dataSource = t.app.get(DataSource);
    hole = await BlackHole.start();
    healthy = await Receiver.start();
  });

  afterAll(async () => {
    await hole?.close();
    await t?.close();
    await healthy?.close();
  });

  type Created = { createEndpoint: { endpoint: { id: string } } };
  const create = (token: string, url: string): Promise<GqlResponse<Created>> =>
    gql<Created>(t.graphqlUrl, CREATE, { input: { url } }, token);
  const endpointCount = async (tenantId: string): Promise<number> =>
    Number((await dataSource.query('SELECT count(*)::int AS n FROM endpoints WHERE tenant_id = $1', [tenantId]))[0].n);
  const statusCounts = async (tenantId: string): Promise<Record<string, number>> => {
    const rows: { status: string; n: number }[] = await dataSource.query(
      'SELECT status, count(*)::int AS n FROM deliveries WHERE tenant_id = $1 GROUP BY status',
      [tenantId],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  };

  describe('endpoints per tenant', () => {
    it(`lets exactly ${MAX_ENDPOINTS} of ${MAX_ENDPOINTS + 20} concurrent creates through, and refuses the rest with LIMIT_EXCEEDED`, async () => {
      const tenantId = newTenantId();
      const token = adminToken({ tenantId });
      const results = await Promise.all(
        Array.from({ length: MAX_ENDPOINTS + 20 }, (_, i) => create(token, `${healthy.url}/${i}`)),
      );
      const created = results.filter((r) => !r.errors && r.data?.createEndpoint);
      const refused = results.filter((r) => r.errors);
      expect(created).toHaveLength(MAX_ENDPOINTS);
      expect(refused).toHaveLength(20);
      for (const r of refused) {
        expect(r.errors?.[0].extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          reasonCode: 'LIMIT_EXCEEDED',
          limit: MAX_ENDPOINTS,
        });
        expect(r.errors?.[0].message).toContain(`at most ${MAX_ENDPOINTS} endpoints`);
      }
      expect(await endpointCount(tenantId)).toBe(MAX_ENDPOINTS);

      // Another tenant is not affected by this one's quota (positive control: creating is possible at all).
      const other = newTenantId();
      dataOf(await create(adminToken({ tenantId: other }), healthy.url));
      expect(await endpointCount(other)).toBe(1);

      // Deleting one frees exactly one place, also when two creates race for it.
      const id = dataOf(created[0]).createEndpoint.endpoint.id;
      dataOf(await gql(t.graphqlUrl, DELETE, { id }, token));
      const race = await Promise.all([
        create(token, healthy.url),
        create(token, healthy.url),
        create(token, healthy.url),
      ]);
      expect(race.filter((r) => !r.errors)).toHaveLength(1);
      expect(race.filter((r) => r.errors?.[0].extensions?.reasonCode === 'LIMIT_EXCEEDED')).toHaveLength(2);
      expect(await endpointCount(tenantId)).toBe(MAX_ENDPOINTS);
    });

    it('refuses a sequential create past the cap the same way, and changes nothing', async () => {
      const tenantId = newTenantId();
      const token = adminToken({ tenantId });
      for (let i = 0; i < MAX_ENDPOINTS; i++) dataOf(await create(token, `${healthy.url}/s${i}`));
      const res = await gql(
        t.graphqlUrl,
        `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } } }`,
        { input: { url: healthy.url, idempotencyKey: 'one-more' } },
        token,
      );
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reasonCode: 'LIMIT_EXCEEDED' });
      expect(await endpointCount(tenantId)).toBe(MAX_ENDPOINTS);
    });
  });

  describe('in-flight attempts per tenant', () => {
    it(`a tenant with ${DEAD_ENDPOINTS} black-hole endpoints holds ${TENANT_CONCURRENCY} attempts; another tenant's delivery succeeds while that backlog waits; nothing is lost`, async () => {
      const bad = newTenantId();
      const badToken = adminToken({ tenantId: bad });
      for (let i = 0; i < DEAD_ENDPOINTS; i++) dataOf(await create(badToken, `${hole.url}/dead/${i}`));
      const good = newTenantId();
      const goodToken = adminToken({ tenantId: good });
      dataOf(await create(goodToken, healthy.url));

      // One publishEvents fans out to every dead endpoint: BAD_EVENTS × DEAD_ENDPOINTS deliveries queued at once.
      const inputs = Array.from({ length: BAD_EVENTS }, (_, i) => ({
        eventType: 'order.created',
        payload: ORDER(`bad-${i}`),
      }));
      dataOf(await gql(t.graphqlUrl, PUBLISH_MANY, { inputs }, badToken));
      const badTotal = BAD_EVENTS * DEAD_ENDPOINTS;
      // The bad tenant's cap is full (and nothing frees it: no attempt can time out during the test) ...
      await waitUntil(async () => hole.open.size >= TENANT_CONCURRENCY, 30_000);
      // ... and the worker has looked at its whole backlog: every job was taken from the queue and parked.
      await waitUntil(
        async () => (await t.app.get<Queue>(getQueueToken(QueueName.Deliveries)).getWaitingCount()) === 0,
        30_000,
      );

      const received = healthy.requests.length;
      dataOf(
        await gql(
          t.graphqlUrl,
          PUBLISH_MANY,
          { inputs: [{ eventType: 'order.created', payload: ORDER('good-1') }] },
          goodToken,
        ),
      );
      const goodDone = await waitUntil(
        async () => ((await statusCounts(good)).SUCCEEDED === 1 ? statusCounts(good) : null),
        30_000,
      );
      expect(goodDone).toEqual({ SUCCEEDED: 1 });
      expect(healthy.requests.length).toBe(received + 1);

      // Ordering, not timing: when the healthy delivery had succeeded, the bad tenant still held exactly its cap
      // at the black hole and the rest of its backlog had not been attempted.
      expect(hole.accepted).toBe(TENANT_CONCURRENCY);
      expect(hole.open.size).toBe(TENANT_CONCURRENCY);
      const badNow = await statusCounts(bad);
      expect(badNow).toEqual({ IN_FLIGHT: TENANT_CONCURRENCY, PENDING: badTotal - TENANT_CONCURRENCY });

      // The parked backlog is overdue in Postgres (an hour, here) but not lost: this worker holds it, so the
      // reconciler leaves it instead of turning each row into a queue job again. Positive control in the same
      // tick: the good tenant's delivery whose job was lost (a row written without one) is queued.
      const parked: string[] = (
        await dataSource.query(
          `UPDATE deliveries SET next_attempt_at = now() - interval '1 hour'
            WHERE tenant_id = $1 AND status = 'PENDING' RETURNING id`,
          [bad],
        )
      )[0].map((r: { id: string }) => r.id);
      expect(parked).toHaveLength(badTotal - TENANT_CONCURRENCY);
      const [{ id: lost }]: { id: string }[] = await dataSource.query(
        `WITH ev AS (
           INSERT INTO events (id, tenant_id, event_type, payload, channels, created_at)
           VALUES (gen_random_uuid(), $1, 'order.created', '{"order":{"id":"lost"}}', '{}', now()) RETURNING id, created_at)
         INSERT INTO deliveries (id, tenant_id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, payload, created_at, updated_at)
         SELECT gen_random_uuid(), $1, e.id, ev.id, 'order.created', 'PENDING', 0, now() - interval '1 hour',
                jsonb_build_object('id', ev.id, 'type', 'order.created', 'timestamp', ev.created_at, 'data', '{"order":{"id":"lost"}}'::jsonb), ev.created_at, ev.created_at
           FROM ev, endpoints e WHERE e.tenant_id = $1
         RETURNING id`,
        [good],
      );
      const tick = await recordEnqueues(t.app, () => t.app.get(ReconcilerService).reconcile());
      expect(tick.enqueued.map((d) => d.id)).toContain(lost);
      const requeuedParked = tick.enqueued.filter((d) => parked.includes(d.id));
      expect(requeuedParked).toEqual([]);
      expect(tick.result?.heldHere).toBe(parked.length);
      await waitUntil(async () => ((await statusCounts(good)).SUCCEEDED === 2 ? true : null), 30_000, 100);

      // Positive control: the black hole did hold the bad tenant's attempts; once it resets connections, every bad
      // delivery runs out of attempts (network error, one retry) and ends DEAD_LETTER. None is lost or left behind.
      hole.reset();
      const final = await waitUntil(
        async () => {
          const counts = await statusCounts(bad);
          return counts.DEAD_LETTER === badTotal ? counts : null;
        },
        120_000,
        250,
      );
      expect(final).toEqual({ DEAD_LETTER: badTotal });
      const attempts: { n: number }[] = await dataSource.query(
        'SELECT count(*)::int AS n FROM delivery_attempts WHERE tenant_id = $1',
        [bad],
      );
      expect(attempts[0].n).toBe(badTotal * 2);
    }, 180_000);
  });
  describe('reconciler', () => {
    /** One overdue PENDING delivery per endpoint of the tenant (its job lost), due `ageSeconds` ago. */
    const overdueForEach = async (tenantId: string, ageSeconds: number): Promise<string[]> => {
      const rows: { id: string }[] = await dataSource.query(
        `WITH ev AS (
           INSERT INTO events (id, tenant_id, event_type, payload, channels, created_at)
           VALUES (gen_random_uuid(), $1, 'order.created', '{"order":{"id":"o"}}', '{}', now()) RETURNING id, created_at)
         INSERT INTO deliveries (id, tenant_id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, payload, created_at, updated_at)
         SELECT gen_random_uuid(), $1, e.id, ev.id, 'order.created', 'PENDING', 0, now() - make_interval(secs => $2),
                jsonb_build_object('id', ev.id, 'type', 'order.created', 'timestamp', ev.created_at, 'data', '{"order":{"id":"o"}}'::jsonb), ev.created_at, ev.created_at
           FROM ev, endpoints e WHERE e.tenant_id = $1
         RETURNING id`,
        [tenantId, ageSeconds],
      );
      return rows.map((r) => r.id);
    };

    it("re-queues another tenant's lost delivery in a tick that two tenants with 500 endpoints of older backlog would fill", async () => {
      // Two tenants at the default endpoint cap (500): one endpoint each through the API, the rest copied in SQL
      // (this app's own cap is lower), each endpoint with one overdue delivery older than A's.
      const bad = [newTenantId(), newTenantId()];
      for (const tenantId of bad) {
        const id = dataOf(await create(adminToken({ tenantId }), hole.url)).createEndpoint.endpoint.id;
        await dataSource.query(
          `INSERT INTO endpoints (tenant_id, url, event_types, secret_encrypted)
           SELECT tenant_id, url || '/copy/' || g, event_types, secret_encrypted FROM endpoints, generate_series(1, 499) g WHERE id = $1`,
          [id],
        );
      }
      const a = newTenantId();
      dataOf(await create(adminToken({ tenantId: a }), healthy.url));
      // Earlier tests' unfinished rows would share the tick: settle them so it sees only this test's rows.
      await dataSource.query(
        `UPDATE deliveries SET status = 'FAILED', next_attempt_at = NULL WHERE status IN ('PENDING','RETRYING','IN_FLIGHT')`,
      );
      const backlog = new Map<string, string>();
      for (const tenantId of bad) for (const id of await overdueForEach(tenantId, 86_400)) backlog.set(id, tenantId);
      const [lost] = await overdueForEach(a, 7_200);

      const { result: report, enqueued } = await recordEnqueues(t.app, () => t.app.get(ReconcilerService).reconcile());
      expect(report).not.toBeNull();

      // Positive control: the tick was full (1,000), so ordering by age alone would have left A's delivery out.
      expect(backlog.size).toBe(1000);
      expect(enqueued).toHaveLength(1000);
      expect(enqueued.find((d) => d.id === lost)).toMatchObject({ tenantId: a });
      const perTenant = bad.map((tenantId) => enqueued.filter((d) => backlog.get(d.id) === tenantId).length);
      expect(perTenant[0] + perTenant[1]).toBe(999);
      for (const n of perTenant) expect(Math.abs(n - 999 / 2)).toBeLessThanOrEqual(1);
      // And the re-queued job really is delivered.
      await waitUntil(async () => ((await statusCounts(a)).SUCCEEDED === 1 ? true : null), 30_000, 100);

      // The 999 overdue deliveries point at the black hole: left unfinished in the shared test database, the next
      // suite's reconciler would pick them up and its worker would spend its first half minute on them. The worker is
      // claiming them meanwhile (batched claims lock rows in no set order), so a deadlock is retried.
      for (let attempt = 1; ; attempt++) {
        try {
          await dataSource.query(
            `UPDATE deliveries SET status = 'FAILED', next_attempt_at = NULL
              WHERE tenant_id = ANY($1) AND status IN ('PENDING','RETRYING','IN_FLIGHT')`,
            [bad],
          );
          break;
        } catch (error) {
          if (attempt >= 10 || !String(error).includes('deadlock detected')) throw error;
        }
      }
      const left: { n: number }[] = await dataSource.query(
        `SELECT count(*)::int AS n FROM deliveries WHERE tenant_id = ANY($1) AND status IN ('PENDING','RETRYING','IN_FLIGHT')`,
        [bad],
      );
      expect(left[0].n).toBe(0);
    }, 120_000);
  });
});
