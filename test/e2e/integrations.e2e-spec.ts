import { randomUUID } from 'node:crypto';
import { encryptTemuEventData, temuPushSignature } from '../../src/integrations/providers/temu/temu.adapter';
import { createTestApp, TestApp } from '../support/app';
import { FakeTemu } from '../support/fake-temu';
import { dataOf, errorCode, gql } from '../support/graphql-client';
import { waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';
import { subscribe } from '../support/ws-client';

jest.setTimeout(30_000);

const CREATE_INTEGRATION = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id provider name inboundPath isActive createdAt } }`;
const SUBSCRIPTIONS = `query($id: ID!) { providerSubscriptions(integrationId: $id) { eventCode description subscribed updatedAt } }`;
const ENABLE = `mutation($id: ID!, $code: String!) { enableProviderSubscription(integrationId: $id, eventCode: $code) { eventCode subscribed updatedAt } }`;
const DISABLE = `mutation($id: ID!, $code: String!) { disableProviderSubscription(integrationId: $id, eventCode: $code) { eventCode subscribed updatedAt } }`;
const ENABLE_ALL = `mutation($id: ID!) { enableAllProviderSubscriptions(integrationId: $id) { id type status progress total } }`;
const TRACKED_JOB = `query($id: ID!) { trackedJob(id: $id) { id status progress total result error } }`;

const ORDER_CODE = 'bg_order_status_change_event';
const AFTERSALES_CODE = 'bg_aftersales_status_change';
const TEMU_CODES = [
  ORDER_CODE,
  'bg_cancel_order_status_change',
  AFTERSALES_CODE,
  'bg_trade_logistics_address_changed',
  'bg_open_event_test',
];

interface Subscription {
  eventCode: string;
  subscribed: boolean;
  updatedAt: string | null;
}

describe('integrations and Temu subscriptions', () => {
  let t: TestApp;
  const tenantA = newTenantId();
  const adminA = adminToken({ tenantId: tenantA });
  const adminB = adminToken({ tenantId: newTenantId() });
  const creds = {
    appKey: `app-${randomUUID().slice(0, 8)}`,
    appSecret: `secret-${randomUUID()}`,
    accessToken: `token-${randomUUID()}`,
  };
  let temu: FakeTemu;

  const createTemu = async (appSecret = creds.appSecret): Promise<{ id: string; inboundPath: string }> =>
    dataOf(
      await gql(
        t.graphqlUrl,
        CREATE_INTEGRATION,
        { input: { provider: 'temu', name: 'Temu mall', credentials: { ...creds, appSecret, baseUrl: temu.url } } },
        adminA,
      ),
    ).createIntegration;
  const subscriptions = async (id: string): Promise<Subscription[]> =>
    dataOf(await gql(t.graphqlUrl, SUBSCRIPTIONS, { id }, adminA)).providerSubscriptions;
  const subscribedCodes = async (id: string): Promise<string[]> =>
    (await subscriptions(id))
      .filter((s) => s.subscribed)
      .map((s) => s.eventCode)
      .sort();

  beforeAll(async () => {
    t = await createTestApp();
    temu = await FakeTemu.start({ ...creds, delayMs: 300 });
  });
  afterAll(async () => {
    await temu?.close();
    await t?.close();
  });

  describe('integration lifecycle', () => {
    it('creates, lists, updates, deactivates and deletes with audit entries and never returns a secret', async () => {
      const secret = `faire-secret-${randomUUID()}`;
      const created = dataOf(
        await gql(
          t.graphqlUrl,
          CREATE_INTEGRATION,
          { input: { provider: 'faire', name: 'Faire', webhookSecret: secret } },
          adminA,
        ),
      ).createIntegration;
      expect(created).toMatchObject({
        provider: 'faire',
        name: 'Faire',
        isActive: true,
        inboundPath: `/inbound/faire/${created.id}`,
      });
      const list = dataOf(await gql(t.graphqlUrl, '{ integrations { id name inboundPath } }', {}, adminA))
        .integrations as { id: string }[];
      expect(list.map((i) => i.id)).toContain(created.id);

      const updated = dataOf(
        await gql(
          t.graphqlUrl,
          'mutation($id: ID!) { updateIntegration(id: $id, input: { name: "Faire EU" }) { name isActive } }',
          { id: created.id },
          adminA,
        ),
      ).updateIntegration;
      expect(updated).toEqual({ name: 'Faire EU', isActive: true });
      const deactivated = dataOf(
        await gql(
          t.graphqlUrl,
          'mutation($id: ID!) { deactivateIntegration(id: $id) { isActive } }',
          { id: created.id },
          adminA,
        ),
      ).deactivateIntegration;
      expect(deactivated.isActive).toBe(false);
      dataOf(
        await gql(
          t.graphqlUrl,
          'mutation($id: ID!) { deleteIntegration(id: $id) { id deletedAt } }',
          { id: created.id },
          adminA,
        ),
      );
      const gone = await gql(
        t.graphqlUrl,
        'query($id: ID!) { integration(id: $id) { id } }',
        { id: created.id },
        adminA,
      );
      expect(gone.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        reason: 'INTEGRATION_NOT_FOUND',
        reasonCode: 'INTEGRATION_NOT_FOUND',
      });

      const audit = await gql(
        t.graphqlUrl,
        'query($id: String) { auditLogs(first: 20, targetId: $id) { edges { node { action metadata } } } }',
        { id: created.id },
        adminA,
      );
      const actions = (dataOf(audit).auditLogs.edges as { node: { action: string } }[])
        .map((e) => e.node.action)
        .sort();
      expect(actions).toEqual([
        'integration.created',
        'integration.deactivated',
        'integration.deleted',
        'integration.updated',
      ]);
      expect(JSON.stringify(audit)).not.toContain(secret);
    });

    it('refuses an unknown provider and a Faire integration without a webhook secret (BAD_USER_INPUT)', async () => {
      const unknown = await gql(
        t.graphqlUrl,
        CREATE_INTEGRATION,
        { input: { provider: 'shopify', name: 'x', webhookSecret: 's' } },
        adminA,
      );
      expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
      expect(unknown.errors?.[0].extensions).toMatchObject({
        field: 'provider',
        reason: 'unknown provider "shopify"',
        reasonCode: 'PROVIDER_UNKNOWN',
      });
      const noSecret = await gql(t.graphqlUrl, CREATE_INTEGRATION, { input: { provider: 'faire', name: 'x' } }, adminA);
      expect(noSecret.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'webhookSecret',
        reasonCode: 'PROVIDER_SECRET_MISSING',
      });
    });
  });

  describe('Temu subscriptions against a fake Temu that checks signatures', () => {
    it('lists, enables and disables one code; a refusal is reported with Temu’s message and leaves the mirror unchanged', async () => {
      const integration = await createTemu();
      const initial = await subscriptions(integration.id);
      expect(initial.map((s) => s.eventCode).sort()).toEqual([...TEMU_CODES].sort());
      expect(initial.every((s) => !s.subscribed && s.updatedAt === null)).toBe(true);

      const enabled = dataOf(
        await gql(t.graphqlUrl, ENABLE, { id: integration.id, code: ORDER_CODE }, adminA),
      ).enableProviderSubscription;
      expect(enabled).toMatchObject({ eventCode: ORDER_CODE, subscribed: true });
      expect(enabled.updatedAt).not.toBeNull();
      expect(temu.subscribed.has(ORDER_CODE)).toBe(true);
      expect(temu.calls.at(-1)).toMatchObject({
        signatureValid: true,
        params: { type: 'bg.tmc.message.update', app_key: creds.appKey, permitEventCodeList: [ORDER_CODE] },
      });
      expect(await subscribedCodes(integration.id)).toEqual([ORDER_CODE]);

      temu.refuse.set(AFTERSALES_CODE, 'this app has no permission for after-sales messages');
      const refused = await gql(t.graphqlUrl, ENABLE, { id: integration.id, code: AFTERSALES_CODE }, adminA);
      expect(errorCode(refused)).toBe('UNPROCESSABLE');
      expect(refused.errors?.[0].message).toContain('this app has no permission for after-sales messages');
      expect(refused.errors?.[0].extensions).toMatchObject({
        eventCode: AFTERSALES_CODE,
        reasonCode: 'PROVIDER_REQUEST_FAILED',
      });
      expect(await subscribedCodes(integration.id)).toEqual([ORDER_CODE]);

      const disabled = dataOf(
        await gql(t.graphqlUrl, DISABLE, { id: integration.id, code: ORDER_CODE }, adminA),
      ).disableProviderSubscription;
      expect(disabled).toEqual({ eventCode: ORDER_CODE, subscribed: false, updatedAt: null });
      expect(temu.subscribed.has(ORDER_CODE)).toBe(false);
      expect(temu.calls.at(-1)?.params).toMatchObject({ cancelEventCodeList: [ORDER_CODE] });
      expect(await subscribedCodes(integration.id)).toEqual([]);

      const unknownCode = await gql(t.graphqlUrl, ENABLE, { id: integration.id, code: 'no_such_code' }, adminA);
      expect(unknownCode.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'eventCode',
        reasonCode: 'EVENT_CODE_UNKNOWN',
      });
      expect(errorCode(await gql(t.graphqlUrl, SUBSCRIPTIONS, { id: integration.id }, adminB))).toBe('NOT_FOUND');
      expect(errorCode(await gql(t.graphqlUrl, ENABLE, { id: integration.id, code: ORDER_CODE }, adminB))).toBe(
        'NOT_FOUND',
      );
      temu.refuse.clear();
    });

    it('reports a request Temu refuses for its signature (wrong app secret) and changes nothing', async () => {
      const integration = await createTemu(`wrong-secret-${randomUUID()}`);
      const res = await gql(t.graphqlUrl, ENABLE, { id: integration.id, code: ORDER_CODE }, adminA);
      expect(errorCode(res)).toBe('UNPROCESSABLE');
      expect(res.errors?.[0].message).toContain('sign verification failed');
      expect(temu.calls.at(-1)?.signatureValid).toBe(false);
      expect(await subscribedCodes(integration.id)).toEqual([]);
    });

    it('enables every code as a tracked job whose progress is seen over trackedJobUpdated; one failing code is recorded, the others go ahead', async () => {
      const integration = await createTemu();
      temu.refuse.set(AFTERSALES_CODE, 'after-sales messages are not open to this app');
      const job = dataOf(
        await gql(t.graphqlUrl, ENABLE_ALL, { id: integration.id }, adminA),
      ).enableAllProviderSubscriptions;
      expect(job).toMatchObject({ type: 'provider_subscriptions.enable_all', status: 'QUEUED' });

      type Update = {
        trackedJobUpdated: {
          status: string;
          progress: number;
          total: number | null;
          result: { enabled: string[]; failed: { eventCode: string; error: string }[] } | null;
        };
      };
      const live = subscribe<Update>(
        t.wsUrl,
        adminA,
        'subscription($id: ID!) { trackedJobUpdated(id: $id) { id status progress total result } }',
        { id: job.id },
      );
      const midway = await live.next(
        (e) =>
          e.trackedJobUpdated.status === 'RUNNING' &&
          e.trackedJobUpdated.progress > 0 &&
          e.trackedJobUpdated.progress < TEMU_CODES.length,
        15_000,
      );
      expect(midway.trackedJobUpdated.total).toBe(TEMU_CODES.length);
      const done = await live.next((e) => e.trackedJobUpdated.status === 'COMPLETED', 15_000);
      await live.close();
      expect(done.trackedJobUpdated.progress).toBe(TEMU_CODES.length);
      expect(done.trackedJobUpdated.result?.failed).toEqual([
        { eventCode: AFTERSALES_CODE, error: expect.stringContaining('after-sales messages are not open to this app') },
      ]);
      expect([...(done.trackedJobUpdated.result?.enabled ?? [])].sort()).toEqual(
        TEMU_CODES.filter((c) => c !== AFTERSALES_CODE).sort(),
      );

      expect(await subscribedCodes(integration.id)).toEqual(TEMU_CODES.filter((c) => c !== AFTERSALES_CODE).sort());
      const stored = dataOf(await gql(t.graphqlUrl, TRACKED_JOB, { id: job.id }, adminA)).trackedJob;
      expect(stored).toMatchObject({ status: 'COMPLETED', progress: TEMU_CODES.length, total: TEMU_CODES.length });
      temu.refuse.clear();
    });

    it('accepts a signed, encrypted Temu push and turns it into order.updated', async () => {
      const integration = await createTemu();
      const notice = {
        mallId: 634418212233,
        parentOrderSn: `PO-${randomUUID().slice(0, 8)}`,
        orderSn: '211-01',
        orderStatus: 2,
        updateTime: Date.now(),
      };
      const plain = JSON.stringify(notice);
      const headers: Record<string, string> = {
        'x-tm-app-key': creds.appKey,
        'x-tm-event-code': ORDER_CODE,
        'x-tm-timestamp': String(Date.now()),
        'x-tm-ext-param': '{}',
      };
      headers['x-tm-signature'] = temuPushSignature(headers, plain, creds.appSecret);
      const body = JSON.stringify({ eventData: encryptTemuEventData(plain, creds.appSecret) });
      const post = (): Promise<Response> =>
        fetch(`${t.url}${integration.inboundPath}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body,
        });

      const res = await post();
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      const processed = await waitUntil(async () => {
        const e = dataOf(
          await gql(
            t.graphqlUrl,
            'query($id: ID!) { inboundEvent(id: $id) { status eventCode jsonData headers producedEventId lastError } }',
            { id },
            adminA,
          ),
        ).inboundEvent;
        return e.status === 'PROCESSED' || e.status === 'FAILED' ? e : null;
      });
      expect(processed).toMatchObject({
        status: 'PROCESSED',
        eventCode: ORDER_CODE,
        jsonData: { type: ORDER_CODE, data: notice },
      });
      expect(processed.headers['x-tm-signature']).toBe('[redacted]');
      expect(await (await post()).json()).toEqual({ id, duplicate: true });
    });
  });
});
