import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, errorCode, gql, GqlResponse } from '../support/graphql-client';
import { callOk, callTool, mcpClient, textOf } from '../support/mcp-client';
import { Receiver, waitUntil } from '../support/receiver';
import { operationFor, rootFields } from '../support/schema-walk';
import { adminToken, newTenantId } from '../support/tokens';
import { subscribe } from '../support/ws-client';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = Record<string, any>;

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }`;
const REVOKE_KEY = `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`;
const CREATE_SESSION = `mutation($input: CreatePortalSessionInput) {
  createPortalSession(input: $input) { url token expiresAt channel permissions } }`;
const CREATE_ENDPOINT = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id channels } } }`;
const UPDATE_ENDPOINT = `mutation($id: ID!, $input: UpdateEndpointInput!) { updateEndpoint(id: $id, input: $input) { id channels description } }`;
const ENDPOINTS = `{ endpoints(first: 100) { totalCount edges { node { id channels } } } }`;
const ENDPOINT = `query($id: ID!) { endpoint(id: $id) { id url description isActive channels } }`;
const SEND_TEST = `mutation($id: ID!) { sendTestDelivery(endpointId: $id) { id endpointId status } }`;
const DELIVERIES = `query($filter: DeliveryFilter) { deliveries(filter: $filter, first: 100) { edges { node { id endpointId status } } } }`;
const DELIVERY = `query($id: ID!) { delivery(id: $id) { id endpointId } }`;
const LIVE = `subscription($endpointId: ID) { deliveryUpdated(endpointId: $endpointId) { id endpointId status } }`;
const SHOP = 'shop:42';

/**
 * The root fields a portal session limited to a channel may call (@ChannelScoped); every other one is FORBIDDEN
 * (OUTSIDE_CHANNEL_SCOPE). Adding an operation to this list is a decision: the README lists the same set.
 */
const CHANNEL_SCOPED = [
  'query.endpoints',
  'query.endpoint',
  'query.deliveries',
  'query.delivery',
  'query.deliveryStats',
  'query.responseTimeSeries',
  'query.eventTypes',
  'query.eventType',
  'query.validateFilter',
  'query.validateReducer',
  'mutation.createEndpoint',
  'mutation.updateEndpoint',
  'mutation.deleteEndpoint',
  'mutation.toggleEndpoint',
  'mutation.rotateEndpointSecret',
  'mutation.revealEndpointSecret',
  'mutation.verifyEndpoint',
  'mutation.sendTestDelivery',
  'mutation.replayDelivery',
  'mutation.purgeDeliveries',
  'mutation.saveFilterReducer',
  'mutation.deleteFilterReducer',
  'subscription.deliveryUpdated',
].sort();

function reasonCode(res: GqlResponse<unknown>): unknown {
  return res.errors?.[0]?.extensions?.reasonCode;
}

jest.setTimeout(60_000);

describe('portal sessions (booted app, real Postgres + Redis, graphql-ws and MCP clients)', () => {
  let t: TestApp;
  let ds: DataSource;
  let receiver: Receiver;
  const tenantId = newTenantId();
  const admin = adminToken({ tenantId });
  let apiKey: string;
  let shopEndpoint: string;
  let otherEndpoint: string;
  let platformEndpoint: string;
  let shopDelivery: string;
  let otherDelivery: string;
  const clients: Client[] = [];

  const api = (query: string, variables: Json = {}, token = apiKey) => gql(t.graphqlUrl, query, variables, token);

  async function newKey(permissions = ['manage_webhooks']): Promise<{ key: string; id: string }> {
    const res = dataOf(await gql(t.graphqlUrl, CREATE_KEY, { input: { name: 'platform', permissions } }, admin));
    return { key: res.createApiKey.key, id: res.createApiKey.apiKey.id };
  }

  async function session(input: Json | null = { channel: SHOP }, token = apiKey): Promise<Json> {
    return dataOf(await api(CREATE_SESSION, { input }, token)).createPortalSession;
  }

  async function sessionCount(): Promise<number> {
    const [row] = await ds.query(`SELECT count(*)::int AS n FROM portal_sessions WHERE tenant_id = $1`, [tenantId]);
    return row.n;
  }

  async function createEndpoint(channels: string[] | undefined, token = apiKey): Promise<GqlResponse<Json>> {
    return api(CREATE_ENDPOINT, { input: { url: receiver.url, ...(channels ? { channels } : {}) } }, token);
  }

  async function succeeded(deliveryId: string): Promise<void> {
    const status = `query($id: ID!) { delivery(id: $id) { status } }`;
    await waitUntil(async () => dataOf(await api(status, { id: deliveryId })).delivery.status === 'SUCCEEDED');
  }

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    receiver = await Receiver.start();
    apiKey = (await newKey()).key;
    shopEndpoint = dataOf(await createEndpoint([SHOP, 'shop:7'])).createEndpoint.endpoint.id;
    otherEndpoint = dataOf(await createEndpoint(['shop:7'])).createEndpoint.endpoint.id;
    platformEndpoint = dataOf(await createEndpoint([])).createEndpoint.endpoint.id;
    shopDelivery = dataOf(await api(SEND_TEST, { id: shopEndpoint })).sendTestDelivery.id;
    otherDelivery = dataOf(await api(SEND_TEST, { id: otherEndpoint })).sendTestDelivery.id;
    await succeeded(shopDelivery);
    await succeeded(otherDelivery);
  });

  afterAll(async () => {
    for (const c of clients) await c.close();
    await receiver?.close();
    await t?.close();
  });

  describe('createPortalSession', () => {
    it('defaults to an hour, manage_webhooks and every channel; stores only the hash; audits the creation', async () => {
      const before = Date.now();
      const s = await session(null);
      const after = Date.now();
      expect(s.permissions).toEqual(['manage_webhooks']);
      expect(s.channel).toBeNull();
      expect(s.token).toMatch(/^whp_[A-Za-z0-9_-]{43}$/);
      expect(s.url).toBe(`${t.config.publicBaseUrl}/console#session=${s.token}`);
      const expiresAt = new Date(s.expiresAt).getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
      expect(expiresAt).toBeLessThanOrEqual(after + 3600_000 + 1000);

      const hash = createHash('sha256').update(s.token).digest('hex');
      const rows = await ds.query(`SELECT * FROM portal_sessions WHERE token_hash = $1`, [hash]);
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows[0])).not.toContain(s.token);
      expect(rows[0].created_by_api_key_id).toEqual(expect.any(String));

      const audit = await ds.query(
        `SELECT actor_type, metadata FROM audit_logs WHERE tenant_id = $1 AND action = 'portal_session.created' AND target_id = $2`,
        [tenantId, rows[0].id],
      );
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor_type: 'api_key',
        metadata: { permissions: ['manage_webhooks'], ttlSeconds: 3600 },
      });
      expect(JSON.stringify(audit[0])).not.toContain(s.token);
    });

    it('accepts 60 and 86400 seconds and refuses 59 and 86401, storing nothing', async () => {
      expect((await session({ ttlSeconds: 60, channel: SHOP })).channel).toBe(SHOP);
      await session({ ttlSeconds: 86_400 });
      const count = await sessionCount();
      for (const ttlSeconds of [59, 86_401, 0, -1]) {
        const res = await api(CREATE_SESSION, { input: { ttlSeconds } });
        expect(errorCode(res)).toBe('BAD_USER_INPUT');
        expect(res.errors?.[0]?.extensions).toMatchObject({
          field: 'ttlSeconds',
          reasonCode: 'PORTAL_SESSION_TTL_INVALID',
        });
      }
      expect(await sessionCount()).toBe(count);
    });

    it('carries only permissions the caller holds: unknown is BAD_USER_INPUT, not held is FORBIDDEN', async () => {
      const count = await sessionCount();
      for (const permissions of [['nope'], [], ['manage_webhooks', 'admin']]) {
        const res = await api(CREATE_SESSION, { input: { permissions } });
        expect(errorCode(res)).toBe('BAD_USER_INPUT');
        expect(reasonCode(res)).toBe('PORTAL_PERMISSIONS_INVALID');
      }
      const reveal = await api(CREATE_SESSION, { input: { permissions: ['reveal_webhook_secrets'] } });
      expect(errorCode(reveal)).toBe('FORBIDDEN');
      expect(reveal.errors?.[0]?.extensions).toMatchObject({
        reasonCode: 'PORTAL_PERMISSION_NOT_HELD',
        permission: 'reveal_webhook_secrets',
      });
      const readOnly = (await newKey(['read_webhooks'])).key;
      expect(errorCode(await api(CREATE_SESSION, { input: {} }, readOnly))).toBe('FORBIDDEN');
      expect(await sessionCount()).toBe(count);

      // manage_webhooks gives read_webhooks too, so it may hand on a read-only session; and a duplicate is dropped.
      const read = await session({ permissions: ['read_webhooks', 'read_webhooks'] });
      expect(read.permissions).toEqual(['read_webhooks']);
      const reads = await api(ENDPOINTS, {}, read.token);
      expect(dataOf(reads).endpoints.totalCount).toBe(3);
      expect(errorCode(await createEndpoint(undefined, read.token))).toBe('FORBIDDEN');
    });

    it('refuses a bad channel as endpoint channels are refused, storing nothing', async () => {
      const count = await sessionCount();
      for (const channel of ['', 'x'.repeat(201), 'shop\n42', 'shop\u007f']) {
        const res = await api(CREATE_SESSION, { input: { channel } });
        expect(errorCode(res)).toBe('BAD_USER_INPUT');
        expect(res.errors?.[0]?.extensions).toMatchObject({ field: 'channel', reasonCode: 'PORTAL_CHANNEL_INVALID' });
      }
      // NUL is refused for every text input before any rule (TEXT_NOT_STORABLE).
      expect(errorCode(await api(CREATE_SESSION, { input: { channel: 'shop\u0000' } }))).toBe('BAD_USER_INPUT');
      expect(await sessionCount()).toBe(count);
    });

    it('a portal session cannot create portal sessions', async () => {
      const unlimited = await session(null);
      const count = await sessionCount();
      const res = await api(CREATE_SESSION, { input: {} }, unlimited.token);
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(reasonCode(res)).toBe('PORTAL_SESSION_CREATION_NOT_ALLOWED');
      expect(await sessionCount()).toBe(count);
    });

    it('an admin JWT may create one; it has no creator key', async () => {
      const s = await session({ channel: SHOP }, admin);
      const hash = createHash('sha256').update(s.token).digest('hex');
      const [row] = await ds.query(
        `SELECT created_by_api_key_id, created_by FROM portal_sessions WHERE token_hash = $1`,
        [hash],
      );
      expect(row).toEqual({ created_by_api_key_id: null, created_by: 'user:admin@example.com' });
      expect(dataOf(await api(ENDPOINTS, {}, s.token)).endpoints.totalCount).toBe(1);
    });
  });

  describe('a session limited to shop:42', () => {
    let shop: string;
    beforeAll(async () => {
      shop = (await session({ channel: SHOP })).token;
    });

    it('lists only the endpoints of its channel (the API key sees them all)', async () => {
      const all = dataOf(await api(ENDPOINTS)).endpoints;
      expect(all.totalCount).toBe(3);
      const mine = dataOf(await api(ENDPOINTS, {}, shop)).endpoints;
      expect(mine.totalCount).toBe(1);
      expect(mine.edges.map((e: Json) => e.node.id)).toEqual([shopEndpoint]);
    });

    it("gets NOT_FOUND for another channel's endpoint, a platform endpoint, and their deliveries", async () => {
      expect(dataOf(await api(ENDPOINT, { id: shopEndpoint }, shop)).endpoint.id).toBe(shopEndpoint);
      expect(dataOf(await api(DELIVERY, { id: shopDelivery }, shop)).delivery.id).toBe(shopDelivery);
      for (const id of [otherEndpoint, platformEndpoint]) {
        expect(dataOf(await api(ENDPOINT, { id })).endpoint.id).toBe(id);
        expect(errorCode(await api(ENDPOINT, { id }, shop))).toBe('NOT_FOUND');
        expect(errorCode(await api(DELIVERIES, { filter: { endpointId: id } }, shop))).toBe('NOT_FOUND');
        for (const query of [
          `query($id: ID!) { deliveryStats(endpointId: $id) { total } }`,
          `query($id: ID!) { responseTimeSeries(endpointId: $id, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z") { attempts } }`,
        ]) {
          expect(dataOf(await api(query, { id }))).toBeTruthy();
          expect(errorCode(await api(query, { id }, shop))).toBe('NOT_FOUND');
        }
      }
      expect(errorCode(await api(DELIVERY, { id: otherDelivery }, shop))).toBe('NOT_FOUND');
      const replay = `mutation($id: ID!) { replayDelivery(id: $id) { id } }`;
      expect(reasonCode(await api(replay, { id: otherDelivery }, shop))).toBe('DELIVERY_NOT_FOUND');

      const listed = dataOf(await api(DELIVERIES, {}, shop)).deliveries.edges.map((e: Json) => e.node.endpointId);
      expect(listed.length).toBeGreaterThan(0);
      expect(new Set(listed)).toEqual(new Set([shopEndpoint]));
      const stats = `{ deliveryStats { total } }`;
      expect(dataOf(await api(stats, {}, shop)).deliveryStats.total).toBeLessThan(
        dataOf(await api(stats)).deliveryStats.total,
      );
    });

    it("never reaches another tenant's endpoint of the same channel", async () => {
      const otherTenant = adminToken({ tenantId: newTenantId() });
      const foreign = dataOf(await createEndpoint([SHOP], otherTenant)).createEndpoint.endpoint.id;
      expect(dataOf(await api(ENDPOINT, { id: foreign }, otherTenant)).endpoint.id).toBe(foreign);
      expect(errorCode(await api(ENDPOINT, { id: foreign }, shop))).toBe('NOT_FOUND');
      const ids = dataOf(await api(ENDPOINTS, {}, shop)).endpoints.edges.map((e: Json) => e.node.id);
      expect(ids).not.toContain(foreign);
    });

    it("changes nothing of another channel's endpoint: every write by id is NOT_FOUND", async () => {
      const before = dataOf(await api(ENDPOINT, { id: otherEndpoint })).endpoint;
      const writes = [
        `mutation($id: ID!) { updateEndpoint(id: $id, input: { description: "mine" }) { id } }`,
        `mutation($id: ID!) { toggleEndpoint(id: $id) { id } }`,
        `mutation($id: ID!) { rotateEndpointSecret(id: $id) { secret } }`,
        `mutation($id: ID!) { verifyEndpoint(id: $id) { verified } }`,
        `mutation($id: ID!) { sendTestDelivery(endpointId: $id) { id } }`,
        `mutation($id: ID!) { purgeDeliveries(endpointId: $id) { count } }`,
        `mutation($id: ID!) { deleteEndpoint(id: $id) { id } }`,
      ];
      for (const write of writes) {
        const res = await api(write, { id: otherEndpoint }, shop);
        expect([write, errorCode(res), reasonCode(res)]).toEqual([write, 'NOT_FOUND', 'ENDPOINT_NOT_FOUND']);
      }
      expect(dataOf(await api(ENDPOINT, { id: otherEndpoint })).endpoint).toEqual(before);
      const ofOther = dataOf(await api(DELIVERIES, { filter: { endpointId: otherEndpoint } })).deliveries.edges;
      expect(ofOther.map((e: Json) => e.node.id)).toEqual([otherDelivery]);
    });

    it('creates endpoints only in its channel, and cannot move one out of it', async () => {
      const created = dataOf(await createEndpoint(undefined, shop)).createEndpoint.endpoint;
      expect(created.channels).toEqual([SHOP]);
      expect(dataOf(await createEndpoint([SHOP], shop)).createEndpoint.endpoint.channels).toEqual([SHOP]);
      const total = dataOf(await api(ENDPOINTS)).endpoints.totalCount;
      for (const channels of [['shop:7'], [], [SHOP, 'shop:7']]) {
        const res = await createEndpoint(channels, shop);
        expect(errorCode(res)).toBe('BAD_USER_INPUT');
        expect(res.errors?.[0]?.extensions).toMatchObject({ field: 'channels', reasonCode: 'CHANNEL_OUTSIDE_SESSION' });
      }
      expect(dataOf(await api(ENDPOINTS)).endpoints.totalCount).toBe(total);

      for (const channels of [['shop:7'], null, [SHOP, 'shop:7']]) {
        const res = await api(UPDATE_ENDPOINT, { id: created.id, input: { channels } }, shop);
        expect(reasonCode(res)).toBe('CHANNEL_OUTSIDE_SESSION');
      }
      const updated = dataOf(await api(UPDATE_ENDPOINT, { id: created.id, input: { description: 'd' } }, shop));
      expect(updated.updateEndpoint).toEqual({ id: created.id, channels: [SHOP], description: 'd' });
      // The platform still may move it (positive control), after which the session no longer sees it.
      await api(UPDATE_ENDPOINT, { id: created.id, input: { channels: ['shop:7'] } });
      expect(errorCode(await api(ENDPOINT, { id: created.id }, shop))).toBe('NOT_FOUND');
    });

    it('is FORBIDDEN on every tenant-wide operation, and allowed exactly the channel-scoped ones', async () => {
      const schema = t.app.get(GraphQLSchemaHost).schema;
      const fields = rootFields(schema);
      const scoped: string[] = [];
      for (const field of fields.filter((f) => f.root !== 'subscription')) {
        const { query, variables } = operationFor(field, schema);
        const res = await api(query, variables, shop);
        const refused = reasonCode(res) === 'OUTSIDE_CHANNEL_SCOPE';
        if (refused) expect(errorCode(res)).toBe('FORBIDDEN');
        if (!refused) scoped.push(`${field.root}.${field.name}`);
        // The same operation with the creator's key is not refused so (positive control).
        expect(reasonCode(await api(query, variables))).not.toBe('OUTSIDE_CHANNEL_SCOPE');
      }
      for (const field of fields.filter((f) => f.root === 'subscription')) {
        const { query, variables } = operationFor(field, schema);
        const live = subscribe(t.wsUrl, shop, query, variables);
        await waitUntil(async () => live.events.length > 0 || live.errors.length > 0 || false, 1500).catch(() => null);
        if (!JSON.stringify(live.errors).includes('OUTSIDE_CHANNEL_SCOPE')) scoped.push(`subscription.${field.name}`);
        await live.close();
      }
      expect(scoped.sort()).toEqual(CHANNEL_SCOPED);
      for (const q of ['{ integrations { id } }', '{ auditLogs { edges { cursor } } }', '{ apiKeys { id } }']) {
        expect(errorCode(await api(q, {}, shop))).toBe('FORBIDDEN');
      }
      const inbound = `{ inboundEvents(filter: { integrationId: "00000000-0000-4000-8000-000000000000" }) { totalCount } }`;
      expect(reasonCode(await api(inbound, {}, shop))).toBe('OUTSIDE_CHANNEL_SCOPE');
      expect(dataOf(await api(`{ eventTypes { name } }`, {}, shop)).eventTypes.length).toBeGreaterThan(0);
    });

    it("over graphql-ws receives only its channel's deliveryUpdated events", async () => {
      const mine = subscribe<Json>(t.wsUrl, shop, LIVE);
      const everything = subscribe<Json>(t.wsUrl, apiKey, LIVE);
      const narrowed = subscribe<Json>(t.wsUrl, shop, LIVE, { endpointId: otherEndpoint });
      await waitUntil(async () => narrowed.errors.length > 0);
      expect(JSON.stringify(narrowed.errors)).toContain('ENDPOINT_NOT_FOUND');
      await new Promise((r) => setTimeout(r, 300)); // let both sockets finish connection_init before publishing

      const other = dataOf(await api(SEND_TEST, { id: otherEndpoint })).sendTestDelivery.id;
      const own = dataOf(await api(SEND_TEST, { id: shopEndpoint })).sendTestDelivery.id;
      const final = (id: string) => (e: Json) =>
        e.deliveryUpdated.id === id && e.deliveryUpdated.status === 'SUCCEEDED';
      await everything.next(final(other), 15_000);
      await everything.next(final(own), 15_000);
      // Pushes reach a subscriber in publish order, and other's were published before own's.
      await mine.next(final(own), 15_000);
      expect(mine.events.length).toBeGreaterThan(0);
      expect(new Set(mine.events.map((e) => e.deliveryUpdated.endpointId))).toEqual(new Set([shopEndpoint]));
      expect(everything.events.some((e) => e.deliveryUpdated.endpointId === otherEndpoint)).toBe(true);
      for (const s of [mine, everything, narrowed]) await s.close();
    });

    it('over MCP sees only its channel and no tenant-wide tool', async () => {
      const mcp = await mcpClient(t.url, shop);
      clients.push(mcp);
      const listed = await callOk(mcp, 'list_webhooks', {});
      const viaGraphql = dataOf(await api(ENDPOINTS, {}, shop)).endpoints.edges.map((e: Json) => e.node.id);
      expect(listed.webhooks.map((w: Json) => w.id).sort()).toEqual(viaGraphql.sort());
      expect(viaGraphql).toContain(shopEndpoint);
      expect(viaGraphql).not.toContain(otherEndpoint);
      const other = await callTool(mcp, 'get_webhook', { id: otherEndpoint });
      expect(other.isError).toBe(true);
      expect(textOf(other)).toContain('ENDPOINT_NOT_FOUND');
      const logs = await callTool(mcp, 'get_webhook_logs', { id: otherEndpoint });
      expect(textOf(logs)).toContain('ENDPOINT_NOT_FOUND');
      expect(textOf(await callTool(mcp, 'get_delivery', { id: otherDelivery }))).toContain('DELIVERY_NOT_FOUND');
      const inbound = await callTool(mcp, 'list_inbound_events', {
        integrationId: '00000000-0000-4000-8000-000000000000',
      });
      expect(inbound.isError).toBe(true);
      expect(textOf(inbound)).toContain('OUTSIDE_CHANNEL_SCOPE');
      const names = (await mcp.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain('list_webhooks');
      expect(names).not.toContain('list_inbound_events');
      expect(names).not.toContain('recover_webhook');
      // The creator's key, on the same server, sees all three (positive control).
      const full = await mcpClient(t.url, apiKey);
      clients.push(full);
      const all = dataOf(await api(ENDPOINTS)).endpoints.totalCount;
      expect((await callOk(full, 'list_webhooks', {})).totalCount).toBe(all);
      expect(all).toBeGreaterThan(viaGraphql.length);
    });
  });

  describe('the end of a session', () => {
    it('is refused once past expiresAt, over HTTP and at connection_init', async () => {
      const s = await session({ ttlSeconds: 60 });
      expect(dataOf(await api(ENDPOINTS, {}, s.token)).endpoints.totalCount).toBeGreaterThan(0);
      const hash = createHash('sha256').update(s.token).digest('hex');
      await ds.query(`UPDATE portal_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [
        hash,
      ]);
      const res = await api(ENDPOINTS, {}, s.token);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
      expect(reasonCode(res)).toBe('PORTAL_SESSION_EXPIRED');
      const live = subscribe(t.wsUrl, s.token, LIVE);
      expect(await live.closeCode()).toBe(4403);
      const mcp = await fetch(`${t.url}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(mcp.status).toBe(401);
    });

    it('an unknown whp_ token is UNAUTHENTICATED', async () => {
      const res = await api(ENDPOINTS, {}, `whp_${'A'.repeat(43)}`);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
      expect(reasonCode(res)).toBe('PORTAL_SESSION_INVALID');
    });

    it("ends when its creator's API key is revoked, closing its open sockets", async () => {
      const creator = await newKey();
      const s = await session({ channel: SHOP }, creator.key);
      const untouched = await session({ channel: SHOP });
      expect(dataOf(await api(ENDPOINTS, {}, s.token)).endpoints.totalCount).toBeGreaterThan(0);
      const live = subscribe(t.wsUrl, s.token, LIVE);
      await new Promise((r) => setTimeout(r, 300)); // connection_init answered
      dataOf(await gql(t.graphqlUrl, REVOKE_KEY, { id: creator.id }, admin));
      expect(await live.closeCode()).toBe(4403);
      const res = await api(ENDPOINTS, {}, s.token);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
      expect(reasonCode(res)).toBe('PORTAL_SESSION_ENDED');
      // A session of another key lives on (positive control).
      expect(dataOf(await api(ENDPOINTS, {}, untouched.token)).endpoints.totalCount).toBeGreaterThan(0);
    });
  });
});
