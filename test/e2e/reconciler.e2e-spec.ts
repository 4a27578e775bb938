/**
 * Tenant isolation in the recovery path: a dead endpoint's backlog is overdue in Postgres (its deliveries wait,
 * parked behind the endpoint's concurrency cap, or their jobs were lost). One reconcile tick must still re-queue
 * another tenant's lost delivery, and take only a bounded share of the backlog.
 */
import { spawn } from 'node:child_process';
import { DataSource } from 'typeorm';
import { canConnect } from '../../scripts/dev-services';
import { DeliveryQueue, QueuedDelivery } from '../../src/deliveries/deliveries.queue';
import { HELD_RETENTION_DAYS, RECONCILE_PER_ENDPOINT, ReconcilerService } from '../../src/deliveries/reconciler.service';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, gql } from '../support/graphql-client';
import { freePort } from '../support/processes';
import { Receiver, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } } }`;
const BACKLOG = 1_500;

describe('reconciler fairness', () => {
  let t: TestApp;
  let dataSource: DataSource;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    // No timer ticks during the test: it calls reconcile() itself.
    t = await createTestApp({ RECONCILE_INTERVAL_MS: '600000' });
    dataSource = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function endpointFor(tenantId: string, receiver: Receiver): Promise<string> {
    receivers.push(receiver);
    return dataOf(await gql(t.graphqlUrl, CREATE, { input: { url: receiver.url } }, adminToken({ tenantId }))).createEndpoint.endpoint.id;
  }

  /** Deliveries whose job is gone: PENDING in Postgres, due `ageSeconds` ago, nothing in Redis. */
  async function overdueDeliveries(tenantId: string, endpointId: string, count: number, ageSeconds: number): Promise<string[]> {
    const rows: { id: string }[] = await dataSource.query(
      `WITH ev AS (
         INSERT INTO events (id, tenant_id, event_type, payload, channels, created_at)
         SELECT gen_random_uuid(), $1, 'order.created', '{"order":{"id":"o"}}', '{}', now() FROM generate_series(1, $3)
         RETURNING id, created_at)
       INSERT INTO deliveries (id, tenant_id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, payload, created_at, updated_at)
       SELECT gen_random_uuid(), $1, $2, ev.id, 'order.created', 'PENDING', 0, now() - make_interval(secs => $4),
              jsonb_build_object('id', ev.id, 'type', 'order.created', 'timestamp', ev.created_at, 'data', '{"order":{"id":"o"}}'::jsonb), ev.created_at, ev.created_at
         FROM ev
       RETURNING id`,
      [tenantId, endpointId, count, ageSeconds],
    );
    return rows.map((r) => r.id);
  }

  it(`re-queues another tenant's lost delivery in the same tick as a ${BACKLOG}-delivery backlog, and at most ${RECONCILE_PER_ENDPOINT} of that backlog`, async () => {
    const dead = await Receiver.start(() => undefined); // accepts, never answers
    const healthy = await Receiver.start();
    const z = newTenantId();
    const a = newTenantId();
    const deadEndpoint = await endpointFor(z, dead);
    const healthyEndpoint = await endpointFor(a, healthy);
    // Specs run one at a time (runInBand); deliveries earlier specs left unfinished (their apps are closed) would
    // share this tick, so they are settled first and the tick sees only this test's rows.
    await dataSource.query(`UPDATE deliveries SET status = 'FAILED', next_attempt_at = NULL WHERE status IN ('PENDING','RETRYING','IN_FLIGHT')`);
    // Both well past the overdue grace (two ticks: 20 minutes here); the backlog is older than A's delivery.
    const backlog = new Set(await overdueDeliveries(z, deadEndpoint, BACKLOG, 86_400));
    const [lost] = await overdueDeliveries(a, healthyEndpoint, 1, 7_200);

    const queue = t.app.get(DeliveryQueue);
    const enqueued: QueuedDelivery[] = [];
    // Observes what the tick queues; the jobs still go to the real Redis queue.
    const enqueue = queue.enqueue.bind(queue);
    const spy = jest.spyOn(queue, 'enqueue').mockImplementation(async (items, delayMs, requeue) => {
      enqueued.push(...items);
      return enqueue(items, delayMs, requeue);
    });
    try {
      const report = await t.app.get(ReconcilerService).reconcile();
      expect(report).not.toBeNull();
    } finally {
      spy.mockRestore();
    }

    const ids = enqueued.map((d) => d.id);
    expect(ids).toContain(lost);
    const fromBacklog = ids.filter((id) => backlog.has(id));
    expect(fromBacklog).toHaveLength(RECONCILE_PER_ENDPOINT);
    // And the re-queued job really is delivered.
    const [request] = await healthy.waitFor(1, 15_000);
    const body = JSON.parse(request.body) as { id: string };
    const [row]: { event_id: string }[] = await dataSource.query('SELECT event_id FROM deliveries WHERE id = $1', [lost]);
    expect(body.id).toBe(row.event_id);
    await waitUntil(async () => {
      const [status]: { status: string }[] = await dataSource.query('SELECT status FROM deliveries WHERE id = $1', [lost]);
      return status.status === 'SUCCEEDED';
    }, 15_000, 100);
  }, 60_000);

  it(`dead-letters a HELD delivery older than ${HELD_RETENTION_DAYS} days, with that reason, and keeps a younger one HELD`, async () => {
    const receiver = await Receiver.start();
    const a = newTenantId();
    const endpointId = await endpointFor(a, receiver);
    /** A HELD delivery created `ageDays` ago (its endpoint disabled since): backdated rather than waited for. */
    const held = async (ageDays: number): Promise<string> => {
      const [row]: { id: string }[] = await dataSource.query(
        `WITH ev AS (
           INSERT INTO events (id, tenant_id, event_type, payload, channels, created_at)
           VALUES (gen_random_uuid(), $1, 'order.created', '{"order":{"id":"o"}}', '{}', now() - make_interval(days => $3))
           RETURNING id, created_at)
         INSERT INTO deliveries (id, tenant_id, endpoint_id, event_id, event_type, status, attempt_count, payload, created_at, updated_at)
         SELECT gen_random_uuid(), $1, $2, ev.id, 'order.created', 'HELD', 0, '{}'::jsonb, ev.created_at, ev.created_at FROM ev
         RETURNING id`,
        [a, endpointId, ageDays],
      );
      return row.id;
    };
    const expired = await held(HELD_RETENTION_DAYS + 1);
    const kept = await held(HELD_RETENTION_DAYS - 1);

    const report = await t.app.get(ReconcilerService).reconcile();
    expect(report?.expiredHeld).toBeGreaterThanOrEqual(1);
    const rows: { id: string; status: string; last_error: string | null; next_attempt_at: Date | null }[] = await dataSource.query(
      'SELECT id, status, last_error, next_attempt_at FROM deliveries WHERE id = ANY($1::uuid[])',
      [[expired, kept]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(expired)).toMatchObject({
      status: 'DEAD_LETTER',
      last_error: `held for ${HELD_RETENTION_DAYS} days while the endpoint was disabled`,
      next_attempt_at: null,
    });
    expect(byId.get(kept)).toMatchObject({ status: 'HELD', last_error: null });
    expect(receiver.requests).toHaveLength(0);
  });

  it('a tick with Redis down finishes within its deadline, leaves the rows due, and the app still shuts down', async () => {
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    try {
      await waitUntil(() => canConnect(port), 10_000);
      const own = await createTestApp({ REDIS_URL: `redis://127.0.0.1:${port}`, RECONCILE_INTERVAL_MS: '600000' });
      try {
        const receiver = await Receiver.start();
        const a = newTenantId();
        const endpointId = dataOf(await gql(own.graphqlUrl, CREATE, { input: { url: receiver.url } }, adminToken({ tenantId: a }))).createEndpoint.endpoint.id;
        receivers.push(receiver);
        await dataSource.query(`UPDATE deliveries SET status = 'FAILED', next_attempt_at = NULL WHERE status IN ('PENDING','RETRYING','IN_FLIGHT')`);
        const [due] = await overdueDeliveries(a, endpointId, 1, 7_200);
        redis.kill('SIGKILL');
        await waitUntil(async () => !(await canConnect(port)), 10_000);

        const started = Date.now();
        const report = await own.app.get(ReconcilerService).reconcile();
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(report?.requeued).toBe(1);
        const [row]: { status: string }[] = await dataSource.query('SELECT status FROM deliveries WHERE id = $1', [due]);
        expect(row.status).toBe('PENDING'); // still due in Postgres: the next tick queues it
      } finally {
        const closing = Date.now();
        await own.close();
        expect(Date.now() - closing).toBeLessThan(20_000);
      }
    } finally {
      redis.kill('SIGKILL');
    }
  }, 60_000);
});
