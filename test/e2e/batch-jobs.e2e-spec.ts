/**
 * One queue job per endpoint's batch of deliveries (deliveries.queue.ts): a publish call makes one job per endpoint,
 * and a batch job still decides each of its deliveries on its own in Postgres, so a job run twice attempts nothing
 * twice, and a final, a HELD or a since-disabled endpoint's delivery is not sent.
 */
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { PubSubService, Topic } from '../../src/common/graphql/pubsub';
import { QueueName } from '../../src/common/queue/queue.constants';
import { DeliveryQueue, QueuedDelivery } from '../../src/deliveries/deliveries.queue';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, gql } from '../support/graphql-client';
import { Receiver, ReceiverPool, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';
import { subscribe } from '../support/ws-client';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } } }`;
const TOGGLE = `mutation($id: ID!) { toggleEndpoint(id: $id) { isActive } }`;
const PUBLISH_MANY = `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`;

describe('batch delivery jobs', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let bull: Queue;
  const receivers = new ReceiverPool();

  beforeAll(async () => {
    t = await createTestApp({ RECONCILE_INTERVAL_MS: '600000', DELIVERY_JOB_BATCH_SIZE: '3' });
    dataSource = t.app.get(DataSource);
    bull = t.app.get<Queue>(getQueueToken(QueueName.Deliveries));
  });

  afterAll(async () => {
    await receivers.closeAll();
    await t.close();
  });

  async function endpointFor(tenantId: string, receiver: Receiver): Promise<string> {
    return dataOf(await gql(t.graphqlUrl, CREATE, { input: { url: receiver.url } }, adminToken({ tenantId })))
      .createEndpoint.endpoint.id;
  }

  /** A delivery row as publishing leaves it, in the given status, with no job in Redis. */
  async function deliveryRow(tenantId: string, endpointId: string, status: string): Promise<QueuedDelivery> {
    const [row]: { id: string }[] = await dataSource.query(
      `WITH ev AS (
         INSERT INTO events (id, tenant_id, event_type, payload, channels, created_at)
         VALUES (gen_random_uuid(), $1, 'order.created', '{"order":{"id":"o"}}', '{}', now()) RETURNING id, created_at)
       INSERT INTO deliveries (id, tenant_id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, payload, created_at, updated_at)
       SELECT gen_random_uuid(), $1, $2, ev.id, 'order.created', $3, 0, CASE WHEN $3 IN ('PENDING') THEN now() END,
              jsonb_build_object('id', ev.id, 'type', 'order.created', 'timestamp', ev.created_at, 'data', '{"order":{"id":"o"}}'::jsonb),
              ev.created_at, ev.created_at
         FROM ev RETURNING id`,
      [tenantId, endpointId, status],
    );
    return { id: row.id, tenantId, endpointId, attemptCount: 0 };
  }

  const statusOf = async (id: string): Promise<{ status: string; attempts: number }> => {
    const [row]: { status: string; attempts: string }[] = await dataSource.query(
      `SELECT d.status, (SELECT count(*) FROM delivery_attempts a WHERE a.delivery_id = d.id) AS attempts
         FROM deliveries d WHERE d.id = $1`,
      [id],
    );
    return { status: row.status, attempts: Number(row.attempts) };
  };

  const queueIdle = async (): Promise<boolean> => {
    const counts = await bull.getJobCounts();
    return counts.waiting + counts.active + counts.delayed === 0;
  };

  it('a publish call makes one job per endpoint (and per batch size), not one per delivery', async () => {
    const tenantId = newTenantId();
    const [r1, r2] = [await receivers.start(), await receivers.start()];
    await endpointFor(tenantId, r1);
    await endpointFor(tenantId, r2);
    const added: number[] = [];
    const addBulk = bull.addBulk.bind(bull);
    const spy = jest.spyOn(bull, 'addBulk').mockImplementation(async (jobs) => {
      added.push(...jobs.map((j) => (j.data as { deliveryIds: string[] }).deliveryIds.length));
      return addBulk(jobs);
    });
    try {
      const inputs = Array.from({ length: 5 }, (_, i) => ({
        eventType: 'order.created',
        payload: { order: { id: `o${i}`, status: 'paid', currency: 'USD', total: i, line_items: [] } },
      }));
      const published = dataOf(await gql(t.graphqlUrl, PUBLISH_MANY, { inputs }, adminToken({ tenantId })));
      expect(published.publishEvents).toHaveLength(5);
      await r1.waitFor(5, 15_000);
      await r2.waitFor(5, 15_000);
    } finally {
      spy.mockRestore();
    }
    // 5 deliveries for each of 2 endpoints, 3 to a job: 2 jobs per endpoint, where one per delivery would be 10.
    expect(added.sort()).toEqual([2, 2, 3, 3]);
  });

  it('a batch holding a final, a HELD and a due delivery sends only the due one, and running it twice sends it once', async () => {
    const tenantId = newTenantId();
    const receiver = await receivers.start();
    const endpointId = await endpointFor(tenantId, receiver);
    const due = await deliveryRow(tenantId, endpointId, 'PENDING');
    const final = await deliveryRow(tenantId, endpointId, 'SUCCEEDED');
    const held = await deliveryRow(tenantId, endpointId, 'HELD');
    const queue = t.app.get(DeliveryQueue);

    // Two jobs for the same batch (requeue gives the second its own job id), as a job run twice would be.
    await queue.enqueue([due, final, held], 0, true);
    await queue.enqueue([due, final, held], 0, true);

    await waitUntil(async () => (await statusOf(due.id)).status === 'SUCCEEDED', 15_000, 50);
    await waitUntil(queueIdle, 15_000, 50);
    expect(await statusOf(due.id)).toEqual({ status: 'SUCCEEDED', attempts: 1 });
    expect(await statusOf(final.id)).toEqual({ status: 'SUCCEEDED', attempts: 0 });
    expect(await statusOf(held.id)).toEqual({ status: 'HELD', attempts: 0 });
    const [eventId]: { event_id: string }[] = await dataSource.query('SELECT event_id FROM deliveries WHERE id = $1', [
      due.id,
    ]);
    expect(receiver.requests.map((r) => (JSON.parse(r.body) as { id: string }).id)).toEqual([eventId.event_id]);
  });

  it('a batch queued before its endpoint was disabled holds its deliveries instead of sending them', async () => {
    const tenantId = newTenantId();
    const [enabled, disabled] = [await receivers.start(), await receivers.start()];
    const liveEndpoint = await endpointFor(tenantId, enabled);
    const offEndpoint = await endpointFor(tenantId, disabled);
    const off = [
      await deliveryRow(tenantId, offEndpoint, 'PENDING'),
      await deliveryRow(tenantId, offEndpoint, 'PENDING'),
    ];
    const live = await deliveryRow(tenantId, liveEndpoint, 'PENDING');
    // Disabled while the rows are due: the endpoint's own hold may take them first, or the claim does.
    const toggled = dataOf(await gql(t.graphqlUrl, TOGGLE, { id: offEndpoint }, adminToken({ tenantId })));
    expect(toggled.toggleEndpoint.isActive).toBe(false);
    await t.app.get(DeliveryQueue).enqueue([...off, live]);

    // Positive control: the active endpoint's delivery in the same enqueue is sent.
    await waitUntil(async () => (await statusOf(live.id)).status === 'SUCCEEDED', 15_000, 50);
    await waitUntil(queueIdle, 15_000, 50);
    for (const d of off) expect(await statusOf(d.id)).toEqual({ status: 'HELD', attempts: 0 });
    expect(disabled.requests).toHaveLength(0);
    expect(enabled.requests).toHaveLength(1);
  });

  it('pushes status changes as one message per tenant per micro-batch, and a subscriber still gets each change with its body', async () => {
    const tenantId = newTenantId();
    const token = adminToken({ tenantId });
    const [r1, r2] = [await receivers.start(), await receivers.start()];
    await endpointFor(tenantId, r1);
    await endpointFor(tenantId, r2);
    const live = subscribe<{
      deliveryUpdated: { id: string; status: string; payload: { id: string; data: { order: { id: string } } } };
    }>(t.wsUrl, token, 'subscription { deliveryUpdated { id status payload } }');
    const inputs = Array.from({ length: 20 }, (_, i) => ({
      eventType: 'order.created',
      payload: { order: { id: `live${i}`, status: 'paid', currency: 'USD', total: i, line_items: [] } },
    }));
    const pubsub = t.app.get(PubSubService);
    const channel = pubsub.channel(Topic.DeliveryUpdated, tenantId);
    const messages: unknown[][] = [];
    const publish = pubsub.pubsub.publish.bind(pubsub.pubsub);
    const spy = jest.spyOn(pubsub.pubsub, 'publish').mockImplementation(async (trigger, payload) => {
      if (trigger === channel) messages.push((payload as Record<string, unknown[]>)[Topic.DeliveryUpdated]);
      return publish(trigger, payload);
    });
    try {
      await new Promise((r) => setTimeout(r, 300)); // the subscription is registered on the server
      dataOf(await gql(t.graphqlUrl, PUBLISH_MANY, { inputs }, token));
      await r1.waitFor(20, 15_000);
      await r2.waitFor(20, 15_000);
      // 40 deliveries, each PENDING, IN_FLIGHT and SUCCEEDED: every change reaches the subscriber on its own.
      await waitUntil(
        async () => live.events.filter((e) => e.deliveryUpdated.status === 'SUCCEEDED').length === 40,
        15_000,
        50,
      );
    } finally {
      spy.mockRestore();
      await live.close();
    }
    const changes = messages.flat();
    expect(changes.length).toBeGreaterThanOrEqual(120);
    expect(live.events.filter((e) => e.deliveryUpdated.status === 'PENDING')).toHaveLength(40);
    // The publish call's 40 PENDING changes alone are one message; all 120+ changes took far fewer than one each.
    expect(messages.some((m) => m.length === 40)).toBe(true);
    expect(messages.length).toBeLessThan(changes.length / 2);
    // A claim's and a result's change carries the body as the stored JSON text, which the worker never parsed...
    const pushed = changes as { status: string; payload?: unknown; payloadJson?: unknown }[];
    const claimsAndResults = pushed.filter((c) => c.status === 'IN_FLIGHT' || c.status === 'SUCCEEDED');
    expect(claimsAndResults.length).toBeGreaterThanOrEqual(80);
    for (const c of claimsAndResults) {
      expect(typeof c.payloadJson).toBe('string');
      expect(c.payload).toBeUndefined();
    }
    // ...and the subscriber gets it as JSON, the published body in its member order, for every status.
    const orderIds = new Set(inputs.map((i) => i.payload.order.id));
    for (const status of ['PENDING', 'IN_FLIGHT', 'SUCCEEDED']) {
      const got = live.events.filter((e) => e.deliveryUpdated.status === status).map((e) => e.deliveryUpdated.payload);
      expect(got).toHaveLength(40);
      for (const body of got) {
        expect(Object.keys(body)).toEqual(['id', 'type', 'timestamp', 'data']);
        expect(orderIds.has(body.data.order.id)).toBe(true);
      }
    }
  });
});
