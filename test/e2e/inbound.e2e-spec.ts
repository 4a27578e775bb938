import { DataSource } from 'typeorm';
import { createHmac, randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, errorCode, gql } from '../support/graphql-client';
import { Receiver, waitUntil } from '../support/receiver';
import { faireOrder } from '../support/faire';
import { adminToken, newTenantId } from '../support/tokens';
import { subscribe } from '../support/ws-client';

const CREATE_INTEGRATION = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id provider name inboundPath isActive createdAt } }`;
const CREATE_ENDPOINT = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } secret } }`;
const EVENT_FIELDS =
  'id integrationId provider eventCode externalId status attempts lastError jsonData headers receivedAt processedAt producedEventId';
const INBOUND_EVENT = `query($id: ID!) { inboundEvent(id: $id) { ${EVENT_FIELDS} } }`;
const INBOUND_EVENTS = `query($filter: InboundEventFilter!, $orderBy: InboundEventOrder, $first: Int, $after: String) {
  inboundEvents(filter: $filter, orderBy: $orderBy, first: $first, after: $after) { totalCount edges { cursor node { id status attempts eventCode } } pageInfo { hasNextPage endCursor } } }`;
const STATS = `query($id: ID!) { inboundEventStats(integrationId: $id) { total pending processing processed failed skipped } }`;
const RETRY_FAILED = `mutation($id: ID!) { retryFailedInboundEvents(integrationId: $id) { processed failed skipped } }`;
const BULK_REPROCESS = `mutation($input: BulkReprocessInboundInput!) { bulkReprocessInboundEvents(input: $input) { affected trackedJob { id } } }`;
const BULK_DELETE = `mutation($input: BulkDeleteInboundInput!) { bulkDeleteInboundEvents(input: $input) { deleted } }`;

interface InboundEventView {
  id: string;
  status: string;
  attempts: number;
  lastError: string | null;
  producedEventId: string | null;
  processedAt: string | null;
  headers: Record<string, string>;
  jsonData: Record<string, unknown>;
  externalId: string | null;
  eventCode: string;
}

jest.setTimeout(30_000);

describe('inbound webhooks (real signed requests to the running app)', () => {
  let t: TestApp;
  const tenantA = newTenantId();
  const tenantB = newTenantId();
  const adminA = adminToken({ tenantId: tenantA });
  const adminB = adminToken({ tenantId: tenantB });
  const secret = `faire-secret-${randomUUID()}`;
  const brandId = `b_${randomUUID().slice(0, 8)}`;
  let receiverA: Receiver;
  let receiverB: Receiver;
  let faire: { id: string; inboundPath: string };

  const post = (path: string, body: Buffer | string, headers: Record<string, string>): Promise<Response> =>
    fetch(`${t.url}${path}`, { method: 'POST', headers, body });
  const sign = (raw: Buffer | string, key = secret): string => createHmac('sha256', key).update(raw).digest('base64');
  const postFaire = (
    path: string,
    body: unknown,
    topic = 'ORDER_CREATED',
    extra: Record<string, string> = {},
  ): Promise<Response> => {
    const raw = Buffer.from(JSON.stringify(body));
    return post(path, raw, {
      'content-type': 'application/json',
      'x-faire-webhook-topic': topic,
      'x-faire-hmac-sha256': sign(raw),
      ...extra,
    });
  };
  const createFaire = async (token = adminA, name = 'Faire shop'): Promise<{ id: string; inboundPath: string }> =>
    dataOf(
      await gql(t.graphqlUrl, CREATE_INTEGRATION, { input: { provider: 'faire', name, webhookSecret: secret } }, token),
    ).createIntegration;
  const event = async (id: string, token = adminA): Promise<InboundEventView> =>
    dataOf(await gql(t.graphqlUrl, INBOUND_EVENT, { id }, token)).inboundEvent;
  const eventWith = (id: string, predicate: (e: InboundEventView) => boolean): Promise<InboundEventView> =>
    waitUntil(async () => {
      const e = await event(id);
      return predicate(e) ? e : null;
    });
  const stats = async (integrationId: string): Promise<Record<string, number>> =>
    dataOf(await gql(t.graphqlUrl, STATS, { id: integrationId }, adminA)).inboundEventStats;
  const settle = (ms = 600): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    t = await createTestApp();
    receiverA = await Receiver.start();
    receiverB = await Receiver.start();
    faire = await createFaire();
    const endpointA = await gql(
      t.graphqlUrl,
      CREATE_ENDPOINT,
      { input: { url: receiverA.url, eventTypes: ['order.created'], channels: [`shop:${brandId}`] } },
      adminA,
    );
    const endpointB = await gql(
      t.graphqlUrl,
      CREATE_ENDPOINT,
      { input: { url: receiverB.url, eventTypes: ['order.created'] } },
      adminB,
    );
    dataOf(endpointA);
    dataOf(endpointB);
  });
  afterAll(async () => {
    await receiverA?.close();
    await receiverB?.close();
    await t?.close();
  });

  describe('Faire callbacks', () => {
    const orderId = `bo_${randomUUID().slice(0, 10)}`;
    let firstId: string;

    it('stores a good ORDER_CREATED (202), processes it in the background and delivers order.created to the tenant only', async () => {
      const live = subscribe<{ inboundEventUpdated: { id: string; status: string } }>(
        t.wsUrl,
        adminA,
        `subscription($id: ID!) { inboundEventUpdated(integrationId: $id) { id status producedEventId } }`,
        { id: faire.id },
      );
      await settle(300);
      const res = await postFaire(faire.inboundPath, faireOrder(orderId, brandId));
      expect(res.status).toBe(202);
      const body = (await res.json()) as { id: string };
      firstId = body.id;
      expect(Object.keys(body)).toEqual(['id']);

      const processed = await eventWith(firstId, (e) => e.status === 'PROCESSED');
      expect(processed).toMatchObject({ eventCode: 'ORDER_CREATED', attempts: 1, lastError: null });
      expect(processed.producedEventId).toEqual(expect.any(String));
      expect(processed.processedAt).not.toBeNull();
      expect(processed.jsonData).toMatchObject({ id: orderId });
      expect(processed.headers['x-faire-hmac-sha256']).toBe('[redacted]');
      expect(JSON.stringify(processed.headers)).not.toContain(sign(JSON.stringify(faireOrder(orderId, brandId))));
      await live.next((e) => e.inboundEventUpdated.id === firstId && e.inboundEventUpdated.status === 'PROCESSED');
      await live.close();

      const [delivered] = await receiverA.waitFor(1);
      const payload = JSON.parse(delivered.body) as {
        id: string;
        type: string;
        data: { order: { id: string }; shop_id: string };
      };
      expect(payload.type).toBe('order.created');
      expect(payload.id).toBe(processed.producedEventId);
      expect(payload.data.order.id).toBe(orderId);
      expect(payload.data.shop_id).toBe(brandId);
      await settle();
      expect(receiverB.requests).toHaveLength(0);
    });

    it('answers 200 duplicate for the same event again and stores or publishes nothing new', async () => {
      const before = await stats(faire.id);
      const res = await postFaire(faire.inboundPath, faireOrder(orderId, brandId));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: firstId, duplicate: true });
      await settle();
      expect(await stats(faire.id)).toEqual(before);
      expect(receiverA.requests).toHaveLength(1);
    });

    it('keeps one row for 50 concurrent copies', async () => {
      const integration = await createFaire(adminA, 'concurrency');
      const order = faireOrder(`bo_${randomUUID().slice(0, 10)}`, 'b_other_shop');
      const responses = await Promise.all(Array.from({ length: 50 }, () => postFaire(integration.inboundPath, order)));
      const bodies = (await Promise.all(responses.map((r) => r.json()))) as { id: string }[];
      expect(responses.filter((r) => r.status === 202)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 200)).toHaveLength(49);
      expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
      expect((await stats(integration.id)).total).toBe(1);
    });

    it('reprocessing a PROCESSED event publishes nothing new; processInboundEvent leaves it alone', async () => {
      const before = await event(firstId);
      const noop = dataOf(
        await gql(
          t.graphqlUrl,
          `mutation($id: ID!) { processInboundEvent(id: $id) { status attempts } }`,
          { id: firstId },
          adminA,
        ),
      ).processInboundEvent;
      expect(noop).toEqual({ status: 'PROCESSED', attempts: before.attempts });
      const again = dataOf(
        await gql(
          t.graphqlUrl,
          `mutation($id: ID!) { reprocessInboundEvent(id: $id) { status attempts producedEventId } }`,
          { id: firstId },
          adminA,
        ),
      ).reprocessInboundEvent;
      expect(again).toEqual({
        status: 'PROCESSED',
        attempts: before.attempts + 1,
        producedEventId: before.producedEventId,
      });
      await settle(1000);
      expect(receiverA.requests).toHaveLength(1);
    });
  });

  describe('nothing lost', () => {
    it('queues again a PENDING event whose job was lost and a PROCESSING one whose worker died', async () => {
      const integration = await createFaire(adminA, 'sweeper');
      const ids: string[] = [];
      for (const n of [1, 2]) {
        const res = await postFaire(
          integration.inboundPath,
          faireOrder(`bo_sweep_${n}_${randomUUID().slice(0, 6)}`, 'b_sweep'),
        );
        ids.push(((await res.json()) as { id: string }).id);
      }
      for (const id of ids) await eventWith(id, (e) => e.status === 'PROCESSED');
      const ds = t.app.get(DataSource);
      // As if the queue had lost the first one's job, and a worker had died holding the second for 6 minutes.
      await ds.query(
        `UPDATE inbound_events SET status = 'PENDING', processed_at = NULL, updated_at = now() - interval '1 minute' WHERE id = $1`,
        [ids[0]],
      );
      await ds.query(
        `UPDATE inbound_events SET status = 'PROCESSING', processed_at = NULL, updated_at = now() - interval '6 minutes' WHERE id = $1`,
        [ids[1]],
      );
      for (const id of ids) {
        const done = await eventWith(id, (e) => e.status === 'PROCESSED');
        expect(done.attempts).toBe(2);
      }
    });
  });

  describe('refusals store nothing', () => {
    let integration: { id: string; inboundPath: string };
    const body = Buffer.from(JSON.stringify(faireOrder('bo_refused', 'b_refused')));
    const good = (): Record<string, string> => ({
      'content-type': 'application/json',
      'x-faire-webhook-topic': 'ORDER_CREATED',
      'x-faire-hmac-sha256': sign(body),
    });

    beforeAll(async () => {
      integration = await createFaire(adminA, 'refusals');
    });

    it('401 on a bad or a missing signature, with reasonCode SIGNATURE_INVALID', async () => {
      const bad = await post(integration.inboundPath, body, {
        ...good(),
        'x-faire-hmac-sha256': sign(body, 'another-secret'),
      });
      expect(bad.status).toBe(401);
      expect(await bad.json()).toEqual({
        error: {
          code: 'UNAUTHENTICATED',
          reasonCode: 'SIGNATURE_INVALID',
          message: 'invalid signature: signature does not match the body',
        },
      });
      const { 'x-faire-hmac-sha256': _dropped, ...unsigned } = good();
      const missing = await post(integration.inboundPath, body, unsigned);
      expect(missing.status).toBe(401);
      expect(await missing.json()).toMatchObject({
        error: { code: 'UNAUTHENTICATED', reasonCode: 'SIGNATURE_INVALID', message: expect.stringMatching(/missing/) },
      });
    });

    it('404 for an unknown integration, another provider, an unknown provider and an inactive integration', async () => {
      const unknown = await post(`/inbound/faire/${randomUUID()}`, body, good());
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({
        error: { code: 'NOT_FOUND', reasonCode: 'INTEGRATION_NOT_FOUND', message: 'unknown or inactive integration' },
      });
      expect((await post('/inbound/faire/not-a-uuid', body, good())).status).toBe(404);
      expect((await post(`/inbound/generic/${integration.id}`, body, good())).status).toBe(404);
      expect((await post(`/inbound/shopify/${integration.id}`, body, good())).status).toBe(404);
      const inactive = await createFaire(adminA, 'inactive');
      dataOf(
        await gql(
          t.graphqlUrl,
          `mutation($id: ID!) { deactivateIntegration(id: $id) { isActive } }`,
          { id: inactive.id },
          adminA,
        ),
      );
      expect((await post(inactive.inboundPath, body, good())).status).toBe(404);
      expect((await stats(inactive.id)).total).toBe(0);
    });

    it('413 with a JSON error for a 2 MiB body', async () => {
      const huge = Buffer.alloc(2 * 1024 * 1024, 'a');
      const res = await post(integration.inboundPath, huge, { ...good(), 'x-faire-hmac-sha256': sign(huge) });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
    });

    it('400 for a signed body that is not JSON, 415 for another content type', async () => {
      const text = Buffer.from('order=1&state=NEW');
      const notJson = await post(integration.inboundPath, text, { ...good(), 'x-faire-hmac-sha256': sign(text) });
      expect(notJson.status).toBe(400);
      expect(await notJson.json()).toMatchObject({ error: { code: 'BAD_REQUEST', reasonCode: 'BODY_NOT_JSON' } });
      const res = await post(integration.inboundPath, body, { ...good(), 'content-type': 'text/plain' });
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({
        error: { code: 'UNSUPPORTED_MEDIA_TYPE', reasonCode: 'CONTENT_TYPE_NOT_JSON' },
      });
    });

    it('stored none of them', async () => {
      expect((await stats(integration.id)).total).toBe(0);
    });
  });

  describe('processing outcomes and operator tools', () => {
    let integration: { id: string; inboundPath: string };
    let skippedId: string;
    let failedId: string;

    beforeAll(async () => {
      integration = await createFaire(adminA, 'operator tools');
    });

    it('skips an unknown topic with the reason', async () => {
      const res = await postFaire(integration.inboundPath, { id: 'x_1', brand_id: brandId }, 'BRAND_PAYOUT_SENT');
      expect(res.status).toBe(202);
      skippedId = ((await res.json()) as { id: string }).id;
      const skipped = await eventWith(skippedId, (e) => e.status === 'SKIPPED');
      expect(skipped.lastError).toMatch(/unknown Faire topic "BRAND_PAYOUT_SENT"/);
      expect(skipped.producedEventId).toBeNull();
    });

    it('marks a handler failure FAILED; retryFailedInboundEvents retries it until 3 attempts and then leaves it alone', async () => {
      const broken = {
        ...faireOrder(`bo_${randomUUID().slice(0, 10)}`, brandId),
        items: [{ id: 'oi_1', sku: 'X', quantity: 'twelve' }],
      };
      const res = await postFaire(integration.inboundPath, broken);
      failedId = ((await res.json()) as { id: string }).id;
      const failed = await eventWith(failedId, (e) => e.status === 'FAILED');
      expect(failed.attempts).toBe(1);
      expect(failed.lastError).toMatch(/items\[0\]\.quantity/);

      expect(
        dataOf(await gql(t.graphqlUrl, RETRY_FAILED, { id: integration.id }, adminA)).retryFailedInboundEvents,
      ).toEqual({ processed: 0, failed: 1, skipped: 0 });
      expect((await event(failedId)).attempts).toBe(2);
      expect(
        dataOf(await gql(t.graphqlUrl, RETRY_FAILED, { id: integration.id }, adminA)).retryFailedInboundEvents,
      ).toEqual({ processed: 0, failed: 1, skipped: 0 });
      expect((await event(failedId)).attempts).toBe(3);
      expect(
        dataOf(await gql(t.graphqlUrl, RETRY_FAILED, { id: integration.id }, adminA)).retryFailedInboundEvents,
      ).toEqual({ processed: 0, failed: 0, skipped: 0 });
      expect(await event(failedId)).toMatchObject({ status: 'FAILED', attempts: 3 });
    });

    it('lists with filter, order and cursor, and counts by status', async () => {
      expect(await stats(integration.id)).toEqual({
        total: 2,
        pending: 0,
        processing: 0,
        processed: 0,
        failed: 1,
        skipped: 1,
      });
      const filter = { integrationId: integration.id };
      const first = dataOf(
        await gql(
          t.graphqlUrl,
          INBOUND_EVENTS,
          { filter, orderBy: { field: 'ATTEMPTS', direction: 'DESC' }, first: 1 },
          adminA,
        ),
      ).inboundEvents;
      expect(first.totalCount).toBe(2);
      expect(first.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([failedId]);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = dataOf(
        await gql(
          t.graphqlUrl,
          INBOUND_EVENTS,
          { filter, orderBy: { field: 'ATTEMPTS', direction: 'DESC' }, first: 1, after: first.pageInfo.endCursor },
          adminA,
        ),
      ).inboundEvents;
      expect(second.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([skippedId]);
      expect(second.pageInfo.hasNextPage).toBe(false);
      const asc = dataOf(
        await gql(
          t.graphqlUrl,
          INBOUND_EVENTS,
          { filter: { ...filter, status: ['SKIPPED'] }, orderBy: { field: 'PROCESSED_AT', direction: 'ASC' } },
          adminA,
        ),
      ).inboundEvents;
      expect(asc.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([skippedId]);
      const wrongOrder = await gql(
        t.graphqlUrl,
        INBOUND_EVENTS,
        { filter, orderBy: { field: 'STATUS', direction: 'ASC' }, after: first.pageInfo.endCursor },
        adminA,
      );
      expect(errorCode(wrongOrder)).toBe('BAD_USER_INPUT');
      expect(errorCode(await gql(t.graphqlUrl, INBOUND_EVENTS, { filter, after: 'not-a-cursor' }, adminA))).toBe(
        'BAD_USER_INPUT',
      );
      const byDefault = dataOf(await gql(t.graphqlUrl, INBOUND_EVENTS, { filter }, adminA)).inboundEvents;
      expect(byDefault.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([failedId, skippedId]);
    });

    it('bulk reprocesses by ids and by filter; dry runs change nothing; neither or both selections are BAD_USER_INPUT', async () => {
      const dry = dataOf(
        await gql(t.graphqlUrl, BULK_REPROCESS, { input: { eventIds: [skippedId], dryRun: true } }, adminA),
      ).bulkReprocessInboundEvents;
      expect(dry).toEqual({ affected: 1, trackedJob: null });
      expect((await event(skippedId)).attempts).toBe(1);

      const byIds = dataOf(
        await gql(t.graphqlUrl, BULK_REPROCESS, { input: { eventIds: [skippedId] } }, adminA),
      ).bulkReprocessInboundEvents;
      expect(byIds.affected).toBe(1);
      expect(await event(skippedId)).toMatchObject({ status: 'SKIPPED', attempts: 2 });

      const filter = { integrationId: integration.id, status: ['FAILED'] };
      const dryFilter = dataOf(
        await gql(
          t.graphqlUrl,
          BULK_REPROCESS,
          { input: { applyToAll: true, integrationId: integration.id, filter, dryRun: true } },
          adminA,
        ),
      ).bulkReprocessInboundEvents;
      expect(dryFilter.affected).toBe(1);
      expect((await event(failedId)).attempts).toBe(3);
      const byFilter = dataOf(
        await gql(
          t.graphqlUrl,
          BULK_REPROCESS,
          { input: { applyToAll: true, integrationId: integration.id, filter } },
          adminA,
        ),
      ).bulkReprocessInboundEvents;
      expect(byFilter.affected).toBe(1);
      expect(await event(failedId)).toMatchObject({ status: 'FAILED', attempts: 4 });
      expect((await event(skippedId)).attempts).toBe(2);

      const refusals: [Record<string, unknown>, string][] = [
        [{}, 'SELECTION_INCOMPLETE'],
        [{ applyToAll: false }, 'SELECTION_INCOMPLETE'],
        [{ eventIds: [skippedId], applyToAll: true, integrationId: integration.id, filter }, 'SELECTION_AMBIGUOUS'],
        [{ applyToAll: true, integrationId: integration.id }, 'SELECTION_INCOMPLETE'],
        [{ eventIds: [] }, 'EVENT_IDS_EMPTY'],
      ];
      for (const [input, reasonCode] of refusals) {
        const res = await gql(t.graphqlUrl, BULK_REPROCESS, { input }, adminA);
        expect({ input, extensions: res.errors?.[0]?.extensions }).toMatchObject({
          input,
          extensions: { code: 'BAD_USER_INPUT', reasonCode },
        });
      }
    });

    it('bulk delete without YES deletes nothing; dry runs count only; YES deletes and is audited with the count', async () => {
      const before = await stats(integration.id);
      const input = { applyToAll: true, integrationId: integration.id, filter: { integrationId: integration.id } };
      const refused = await gql(t.graphqlUrl, BULK_DELETE, { input: { ...input, confirmation: 'yes' } }, adminA);
      expect(errorCode(refused)).toBe('UNPROCESSABLE');
      expect(refused.errors?.[0]).toMatchObject({
        message: 'confirmation must be exactly YES; nothing was deleted',
        extensions: {
          code: 'UNPROCESSABLE',
          field: 'confirmation',
          reason: 'DELETE_NOT_CONFIRMED',
          reasonCode: 'DELETE_NOT_CONFIRMED',
        },
      });
      expect(
        errorCode(
          await gql(
            t.graphqlUrl,
            `mutation($id: ID!) { deleteAllInboundEvents(integrationId: $id, confirmation: "Y") { deleted } }`,
            { id: integration.id },
            adminA,
          ),
        ),
      ).toBe('UNPROCESSABLE');
      expect(
        dataOf(await gql(t.graphqlUrl, BULK_DELETE, { input: { ...input, confirmation: '', dryRun: true } }, adminA))
          .bulkDeleteInboundEvents,
      ).toEqual({ deleted: 2 });
      expect(await stats(integration.id)).toEqual(before);

      expect(
        dataOf(await gql(t.graphqlUrl, BULK_DELETE, { input: { eventIds: [skippedId], confirmation: 'YES' } }, adminA))
          .bulkDeleteInboundEvents,
      ).toEqual({ deleted: 1 });
      const gone = await gql(t.graphqlUrl, INBOUND_EVENT, { id: skippedId }, adminA);
      expect(gone.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', reasonCode: 'INBOUND_EVENT_NOT_FOUND' });
      const all = await gql(
        t.graphqlUrl,
        `mutation($id: ID!) { deleteAllInboundEvents(integrationId: $id, confirmation: "YES") { deleted } }`,
        { id: integration.id },
        adminA,
      );
      expect(dataOf(all).deleteAllInboundEvents).toEqual({ deleted: 1 });
      expect((await stats(integration.id)).total).toBe(0);

      const audit = dataOf(
        await gql(t.graphqlUrl, `{ auditLogs(first: 20) { edges { node { action targetId metadata } } } }`, {}, adminA),
      ).auditLogs.edges as { node: { action: string; metadata: { count?: number } } }[];
      expect(audit.find((e) => e.node.action === 'inbound_event.bulk_deleted')?.node.metadata.count).toBe(1);
      expect(audit.find((e) => e.node.action === 'inbound_event.all_deleted')?.node.metadata.count).toBe(1);
    });
  });

  describe('tenant isolation', () => {
    it("answers NOT_FOUND for another tenant's integrations and inbound events", async () => {
      const integration = await createFaire(adminA, 'isolation');
      const res = await postFaire(integration.inboundPath, faireOrder(`bo_${randomUUID().slice(0, 10)}`, brandId));
      const { id } = (await res.json()) as { id: string };

      const listB = dataOf(await gql(t.graphqlUrl, '{ integrations { id } }', {}, adminB)).integrations as {
        id: string;
      }[];
      expect(listB.map((i) => i.id)).not.toContain(integration.id);
      const asB: [string, Record<string, unknown>][] = [
        ['query($id: ID!) { integration(id: $id) { id } }', { id: integration.id }],
        ['mutation($id: ID!) { updateIntegration(id: $id, input: { name: "x" }) { id } }', { id: integration.id }],
        ['mutation($id: ID!) { deactivateIntegration(id: $id) { id } }', { id: integration.id }],
        ['mutation($id: ID!) { deleteIntegration(id: $id) { id } }', { id: integration.id }],
        ['query($id: ID!) { providerSubscriptions(integrationId: $id) { eventCode } }', { id: integration.id }],
        [INBOUND_EVENT, { id }],
        [INBOUND_EVENTS, { filter: { integrationId: integration.id } }],
        [STATS, { id: integration.id }],
        ['mutation($id: ID!) { reprocessInboundEvent(id: $id) { id } }', { id }],
        ['mutation($id: ID!) { processInboundEvent(id: $id) { id } }', { id }],
        [
          'mutation($id: ID!) { processPendingInboundEvents(integrationId: $id) { processed } }',
          { id: integration.id },
        ],
        [RETRY_FAILED, { id: integration.id }],
        [
          'mutation($id: ID!) { deleteAllInboundEvents(integrationId: $id, confirmation: "YES") { deleted } }',
          { id: integration.id },
        ],
        [
          BULK_REPROCESS,
          { input: { applyToAll: true, integrationId: integration.id, filter: { integrationId: integration.id } } },
        ],
      ];
      for (const [query, variables] of asB)
        expect([query, errorCode(await gql(t.graphqlUrl, query, variables, adminB))]).toEqual([query, 'NOT_FOUND']);
      const bulk = dataOf(
        await gql(t.graphqlUrl, BULK_DELETE, { input: { eventIds: [id], confirmation: 'YES' } }, adminB),
      ).bulkDeleteInboundEvents;
      expect(bulk).toEqual({ deleted: 0 });

      const live = subscribe(
        t.wsUrl,
        adminB,
        'subscription($id: ID!) { inboundEventUpdated(integrationId: $id) { id } }',
        { id: integration.id },
      );
      await waitUntil(async () => live.errors.length > 0);
      expect(JSON.stringify(live.errors)).toContain('NOT_FOUND');
      await live.close();

      expect((await event(id)).id).toBe(id);
      expect(
        dataOf(
          await gql(
            t.graphqlUrl,
            'query($id: ID!) { integration(id: $id) { isActive } }',
            { id: integration.id },
            adminA,
          ),
        ).integration.isActive,
      ).toBe(true);
    });
  });
});
