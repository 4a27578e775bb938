/**
 * Tenant isolation in the recovery path: a dead endpoint's backlog is overdue in Postgres (its deliveries wait,
 * parked behind the endpoint's concurrency cap, or their jobs were lost). One reconcile tick must still re-queue
 * another tenant's lost delivery, and take only a bounded share of the backlog.
 * And the HELD retention: a delivery held 7 days for a disabled endpoint becomes DEAD_LETTER with that reason.
 */
import { spawn } from 'node:child_process';
import { DataSource } from 'typeorm';
import { canConnect } from '../../scripts/dev-services';
import { queryReturning } from '../../src/database/returning';
import {
  HELD_RETENTION_DAYS,
  RECONCILE_PER_ENDPOINT,
  ReconcilerService,
} from '../../src/deliveries/reconciler.service';
import { createTestApp, TestApp } from '../support/app';
import { recordEnqueues } from '../support/enqueue-spy';
import { dataOf, gql } from '../support/graphql-client';
import { freePort } from '../support/processes';
import { Receiver, ReceiverPool, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } } }`;
const TOGGLE = `mutation($id: ID!) { toggleEndpoint(id: $id) { isActive } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
const DELIVERIES = `query($filter: DeliveryFilter) { deliveries(filter: $filter, first: 10) { edges { node { id eventId status lastError nextAttemptAt } } } }`;
const BACKLOG = 1_500;

describe('reconciler fairness', () => {
  let t: TestApp;
  let dataSource: DataSource;
  const receivers = new ReceiverPool();

  beforeAll(async () => {
    // No timer ticks during the test: it calls reconcile() itself.
    t = await createTestApp({ RECONCILE_INTERVAL_MS: '600000' });
    dataSource = t.app.get(DataSource);
  });

  afterAll(async () => {
    await receivers.closeAll();
    await t.close();
  });

  async function endpointFor(tenantId: string, receiver: Receiver): Promise<string> {
    return dataOf(await gql(t.graphqlUrl, CREATE, { input: { url: receiver.url } }, adminToken({ tenantId })))
      .createEndpoint.endpoint.id;
  }

  /** Deliveries whose job is gone: PENDING in Postgres, due `ageSeconds` ago, nothing in Redis. */
  async function overdueDeliveries(
    tenantId: string,
    endpointId: string,
    count: number,
    ageSeconds: number,
  ): Promise<string[]> {
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
    const dead = await receivers.start(() => undefined); // accepts, never answers
    const healthy = await receivers.start();
    const z = newTenantId();
    const a = newTenantId();
    const deadEndpoint = await endpointFor(z, dead);
    const healthyEndpoint = await endpointFor(a, healthy);
    // Specs run one at a time (runInBand); deliveries earlier specs left unfinished (their apps are closed) would
    // share this tick, so they are settled first and the tick sees only this test's rows.
    await dataSource.query(
      `UPDATE deliveries SET status = 'FAILED', next_attempt_at = NULL WHERE status IN ('PENDING','RETRYING','IN_FLIGHT')`,
    );
    // Both well past the overdue grace (two ticks: 20 minutes here); the backlog is older than A's delivery.
    const backlog = new Set(await overdueDeliveries(z, deadEndpoint, BACKLOG, 86_400));
    const [lost] = await overdueDeliveries(a, healthyEndpoint, 1, 7_200);

    // Observes what the tick queues; the jobs still go to the real Redis queue.
    const { result: report, enqueued } = await recordEnqueues(t.app, () => t.app.get(ReconcilerService).reconcile());
    expect(report).not.toBeNull();

    const ids = enqueued.map((d) => d.id);
    expect(ids).toContain(lost);
    const fromBacklog = ids.filter((id) => backlog.has(id));
    expect(fromBacklog).toHaveLength(RECONCILE_PER_ENDPOINT);
    // And the re-queued job really is delivered.
    const [request] = await healthy.waitFor(1, 15_000);
    const body = JSON.parse(request.body) as { id: string };
    const [row]: { event_id: string }[] = await dataSource.query('SELECT event_id FROM deliveries WHERE id = $1', [
      lost,
    ]);
    expect(body.id).toBe(row.event_id);
    await waitUntil(
      async () => {
        const [status]: { status: string }[] = await dataSource.query('SELECT status FROM deliveries WHERE id = $1', [
          lost,
        ]);
        return status.status === 'SUCCEEDED';
      },
      15_000,
      100,
    );
  }, 60_000);

  it(`a delivery HELD for ${HELD_RETENTION_DAYS} days becomes DEAD_LETTER with that reason; a fresh HELD one is kept and released`, async () => {
    const receiver = await receivers.start();
    const a = newTenantId();
    const token = adminToken({ tenantId: a });
    const endpointId = await endpointFor(a, receiver);
    expect(dataOf(await gql(t.graphqlUrl, TOGGLE, { id: endpointId }, token)).toggleEndpoint.isActive).toBe(false);
    const publish = async (id: string): Promise<string> =>
      dataOf(
        await gql(
          t.graphqlUrl,
          PUBLISH,
          {
            input: {
              eventType: 'order.created',
              payload: {
                order: { id, status: 'paid', currency: 'USD', total: 10, line_items: [{ sku: 'SKU-1', quantity: 1 }] },
              },
            },
          },
          token,
        ),
      ).publishEvent.id;
    const oldEvent = await publish('held-old');
    const freshEvent = await publish('held-fresh');
    type Row = { id: string; eventId: string; status: string; lastError: string | null; nextAttemptAt: string | null };
    const rows = async (): Promise<Map<string, Row>> => {
      const edges: { node: Row }[] = dataOf(await gql(t.graphqlUrl, DELIVERIES, { filter: { endpointId } }, token))
        .deliveries.edges;
      return new Map(edges.map((e) => [e.node.eventId, e.node]));
    };
    const held = await waitUntil(
      async () => {
        const found = await rows();
        return found.size === 2 && [...found.values()].every((d) => d.status === 'HELD') ? found : null;
      },
      15_000,
      100,
    );

    // Held since a little more than the retention: the tick's rule reads created_at (the row has no held_at).
    const old = held.get(oldEvent) as Row;
    const backdated = await queryReturning(
      dataSource,
      `UPDATE deliveries SET created_at = now() - make_interval(days => $3, hours => 1) WHERE tenant_id = $1 AND id = $2 AND status = 'HELD' RETURNING id`,
      [a, old.id, HELD_RETENTION_DAYS],
    );
    expect(backdated).toHaveLength(1);
    const report = await t.app.get(ReconcilerService).reconcile();
    expect(report?.expiredHeld).toBeGreaterThanOrEqual(1); // null would mean the tick did not run (lock held)

    const after = await rows();
    expect(after.get(oldEvent)).toEqual({
      ...old,
      status: 'DEAD_LETTER',
      lastError: `held for ${HELD_RETENTION_DAYS} days while the endpoint was disabled`,
      nextAttemptAt: null,
    });
    expect(after.get(freshEvent)).toEqual(held.get(freshEvent)); // positive control: the fresh HELD row is untouched
    expect(receiver.requests).toHaveLength(0);

    // Enabling the endpoint releases what is still HELD, and only that: the expired one stays final.
    expect(dataOf(await gql(t.graphqlUrl, TOGGLE, { id: endpointId }, token)).toggleEndpoint.isActive).toBe(true);
    await receiver.waitFor(1, 15_000);
    await waitUntil(async () => (await rows()).get(freshEvent)?.status === 'SUCCEEDED', 15_000, 100);
    expect((await rows()).get(oldEvent)?.status).toBe('DEAD_LETTER');
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([freshEvent]);
  }, 60_000);

  it('a tick with Redis down finishes within its deadline, leaves the rows due, and the app still shuts down', async () => {
    const port = await freePort();
    const redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    try {
      await waitUntil(() => canConnect(port), 10_000);
      const own = await createTestApp({ REDIS_URL: `redis://127.0.0.1:${port}`, RECONCILE_INTERVAL_MS: '600000' });
      try {
        const receiver = await receivers.start();
        const a = newTenantId();
        const endpointId = dataOf(
          await gql(own.graphqlUrl, CREATE, { input: { url: receiver.url } }, adminToken({ tenantId: a })),
        ).createEndpoint.endpoint.id;
        await dataSource.query(
          `UPDATE deliveries SET status = 'FAILED', next_attempt_at = NULL WHERE status IN ('PENDING','RETRYING','IN_FLIGHT')`,
        );
        const [due] = await overdueDeliveries(a, endpointId, 1, 7_200);
        redis.kill('SIGKILL');
        await waitUntil(async () => !(await canConnect(port)), 10_000);

        // Were the tick to wait for Redis, this would hang past the test's timeout (no wall-clock is asserted).
        const report = await own.app.get(ReconcilerService).reconcile();
        expect(report?.requeued).toBe(1);
        const [row]: { status: string }[] = await dataSource.query('SELECT status FROM deliveries WHERE id = $1', [
          due,
        ]);
        expect(row.status).toBe('PENDING'); // still due in Postgres: the next tick queues it
      } finally {
        await own.close(); // likewise: a shutdown wedged by the dead Redis fails the test by its timeout
      }
    } finally {
      redis.kill('SIGKILL');
    }
  }, 60_000);
});
