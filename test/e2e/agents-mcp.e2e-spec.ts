import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Webhook } from 'standardwebhooks';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, errorCode, gql } from '../support/graphql-client';
import { callOk, callTool, mcpClient, textOf } from '../support/mcp-client';
import { ReceivedRequest, Receiver, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';
import { subscribe } from '../support/ws-client';

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`;
const CREATE_INTEGRATION = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id } }`;
const COUNT = `{ endpoints { totalCount } }`;
const READ_TOOLS = [
  'get_delivery',
  'get_inbound_stats',
  'get_webhook',
  'get_webhook_events',
  'get_webhook_logs',
  'get_webhook_sample_payload',
  'get_webhook_stats',
  'list_inbound_events',
  'list_webhooks',
  'validate_filter',
];
const TWELVE = [
  'list_webhooks',
  'get_webhook_events',
  'get_webhook',
  'create_webhook',
  'update_webhook',
  'delete_webhook',
  'test_webhook',
  'get_webhook_sample_payload',
  'get_webhook_logs',
  'get_webhook_secret',
  'get_webhook_stats',
  'toggle_webhook',
];
const EXTRA = [
  'replay_delivery',
  'recover_webhook',
  'get_delivery',
  'validate_filter',
  'list_inbound_events',
  'get_inbound_stats',
];

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = Record<string, any>;

function verify(secret: string, req: ReceivedRequest): unknown {
  return new Webhook(secret).verify(req.body, {
    'webhook-id': req.headers['webhook-id'],
    'webhook-timestamp': req.headers['webhook-timestamp'],
    'webhook-signature': req.headers['webhook-signature'],
  });
}

jest.setTimeout(30_000);

describe('agent tools over MCP (booted app, official SDK client, real receivers)', () => {
  let t: TestApp;
  const tenant = newTenantId();
  const admin = adminToken({ tenantId: tenant });
  const clients: Client[] = [];
  const receivers: Receiver[] = [];
  let manage: Client;
  let revealKey: string;
  /** outputSchema validators from tools/list, and the tools whose structuredContent was checked against them. */
  const validators = new Map<string, ValidateFunction>();
  const validated = new Set<string>();

  async function key(permissions: string[], tenantAdmin = admin): Promise<string> {
    const res = await gql(t.graphqlUrl, CREATE_KEY, { input: { name: 'agent', permissions } }, tenantAdmin);
    return dataOf(res).createApiKey.key as string;
  }

  async function connect(credential: string): Promise<Client> {
    const client = await mcpClient(t.url, credential);
    clients.push(client);
    return client;
  }

  async function receiver(status = 200): Promise<Receiver> {
    const r = await Receiver.start((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
    receivers.push(r);
    return r;
  }

  /** A successful call whose structuredContent validates against the tool's listed outputSchema. */
  async function call<T = Json>(client: Client, name: string, args: Json = {}): Promise<T> {
    const data = await callOk<T>(client, name, args);
    const validate = validators.get(name);
    if (!validate) throw new Error(`no outputSchema listed for ${name}`);
    if (!validate(data)) throw new Error(`${name}: ${JSON.stringify(validate.errors)}`);
    validated.add(name);
    return data;
  }

  async function endpointCount(): Promise<number> {
    return dataOf(await gql(t.graphqlUrl, COUNT, {}, admin)).endpoints.totalCount as number;
  }

  beforeAll(async () => {
    t = await createTestApp();
    manage = await connect(await key(['manage_webhooks']));
    revealKey = await key(['manage_webhooks', 'reveal_webhook_secrets']);
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const tool of (await manage.listTools()).tools) {
      if (tool.outputSchema) validators.set(tool.name, ajv.compile(tool.outputSchema));
    }
  });

  afterAll(async () => {
    for (const c of clients) await c.close();
    for (const r of receivers) await r.close();
    await t?.close();
  }, 30_000);

  it('lists every tool with truthful annotations and an output schema', async () => {
    const { tools } = await manage.listTools();
    const names = tools.map((x) => x.name);
    for (const name of [...TWELVE, ...EXTRA, 'rotate_webhook_secret']) expect(names).toContain(name);
    for (const tool of tools) {
      expect(tool.description).toBeTruthy();
      expect(tool.outputSchema).toMatchObject({ type: 'object' });
      expect(tool.inputSchema).toMatchObject({ type: 'object' });
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint'] as const) {
        expect(typeof tool.annotations?.[hint]).toBe('boolean');
      }
      // A read-only tool is never destructive.
      if (tool.annotations?.readOnlyHint) expect(tool.annotations.destructiveHint).toBe(false);
    }
    const hints = (name: string) => tools.find((x: Tool) => x.name === name)?.annotations;
    expect(hints('delete_webhook')).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(hints('list_webhooks')).toMatchObject({ readOnlyHint: true, destructiveHint: false, idempotentHint: true });
    expect(hints('create_webhook')).toMatchObject({ readOnlyHint: false, idempotentHint: false });
    expect(hints('toggle_webhook')).toMatchObject({ readOnlyHint: false, idempotentHint: false });
    for (const name of READ_TOOLS) expect(hints(name)?.readOnlyHint).toBe(true);
  });

  it('missing or bad credentials get HTTP 401 with WWW-Authenticate: Bearer', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const missing = await fetch(`${t.url}/mcp`, { method: 'POST', headers, body });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const get = await fetch(`${t.url}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(401);
    expect(get.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const bad = await fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: { ...headers, authorization: 'Bearer whk_not-a-key' },
      body,
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    // Positive control: the same request with a key answers.
    const good = await fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${revealKey}` },
      body,
    });
    expect(good.status).toBe(200);
    expect(((await good.json()) as Json).result.tools.length).toBeGreaterThan(0);
  });

  it('runs "set up an order webhook": the test delivery verifies with the secret get_webhook_secret returned', async () => {
    const r = await receiver();
    const agent = await connect(revealKey);
    const { eventTypes } = await call(agent, 'get_webhook_events');
    expect(eventTypes.map((e: Json) => e.name)).toContain('order.created');
    const sample = await call(agent, 'get_webhook_sample_payload', { eventType: 'order.created' });
    expect(sample.samplePayload).toBeTruthy();
    const created = await call(agent, 'create_webhook', { url: r.url, eventTypes: ['order.created'] });
    const id = created.webhook.id as string;
    const revealed = await call(agent, 'get_webhook_secret', { id });
    expect(revealed).toMatchObject({ webhookId: id, secret: created.secret, previousSecret: null });
    const { delivery } = await call(agent, 'test_webhook', { id, eventType: 'order.created' });
    const [request] = await r.waitFor(1);
    expect(verify(revealed.secret as string, request)).toBeTruthy();
    const logs = await waitUntil(async () => {
      const page = await call(agent, 'get_webhook_logs', { id });
      return page.deliveries[0]?.status === 'SUCCEEDED' ? page : null;
    });
    expect(logs.deliveries[0]).toMatchObject({ id: delivery.id, isTest: true, eventType: 'order.created' });
    expect(logs.deliveries[0].attempts[0]).toMatchObject({ responseStatus: 200, outcome: 'success' });
    expect(typeof logs.deliveries[0].attempts[0].responseTimeMs).toBe('number');
    await call(agent, 'get_webhook', { id });
    await call(agent, 'list_webhooks', { first: 100 });
  });

  it('reveals secrets only with reveal_webhook_secrets, audited without the secret; otherwise offers the rotation', async () => {
    const r = await receiver();
    const { webhook, secret } = await call(manage, 'create_webhook', { url: r.url });
    const refused = await callTool(manage, 'get_webhook_secret', { id: webhook.id });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/reveal_webhook_secrets/);
    expect(textOf(refused)).toMatch(/shown once/);
    expect(textOf(refused)).toMatch(/rotate_webhook_secret/);
    // GraphQL says the same, and a manage key's mutation is refused by the same service rule.
    const REVEAL = `mutation($id: ID!) { revealEndpointSecret(id: $id) { endpointId secret previousSecret } }`;
    const gqlRefused = await gql(t.graphqlUrl, REVEAL, { id: webhook.id }, admin);
    expect(errorCode(gqlRefused)).toBe('FORBIDDEN');
    expect(gqlRefused.errors?.[0]?.extensions).toMatchObject({ reasonCode: 'SECRET_REVEAL_NOT_PERMITTED' });
    // The offered path: rotate, then a reveal shows the new secret and the previous one.
    const rotated = await call(manage, 'rotate_webhook_secret', { id: webhook.id });
    expect(rotated.secret).not.toBe(secret);
    const revealer = await connect(revealKey);
    const revealed = await call(revealer, 'get_webhook_secret', { id: webhook.id });
    expect(revealed).toMatchObject({ secret: rotated.secret, previousSecret: secret });
    const gqlRevealed = await gql(t.graphqlUrl, REVEAL, { id: webhook.id }, revealKey);
    expect(dataOf(gqlRevealed).revealEndpointSecret).toMatchObject({ secret: rotated.secret, previousSecret: secret });
    const AUDIT = `query($id: String) { auditLogs(targetId: $id, action: "endpoint.secret_revealed") {
      edges { node { action actorType metadata } } } }`;
    const audit = dataOf(await gql(t.graphqlUrl, AUDIT, { id: webhook.id }, admin)).auditLogs.edges;
    expect(audit).toHaveLength(2);
    const logged = JSON.stringify(audit);
    expect(logged).not.toContain(rotated.secret);
    expect(logged).not.toContain(secret);
  });

  it('runs "debug a failing webhook": failures in stats and logs, then update_webhook and replay_delivery deliver', async () => {
    const failing = await receiver(500);
    const good = await receiver();
    const { webhook } = await call(manage, 'create_webhook', { url: failing.url, eventTypes: ['order.created'] });
    const { delivery } = await call(manage, 'test_webhook', { id: webhook.id });
    const failed = await waitUntil(async () => {
      const { delivery: d } = await call(manage, 'get_delivery', { id: delivery.id });
      return ['FAILED', 'DEAD_LETTER'].includes(d.status as string) ? d : null;
    }, 30_000);
    expect(failed.attempts.length).toBeGreaterThan(0);
    const stats = await call(manage, 'get_webhook_stats', { id: webhook.id });
    expect(stats).toMatchObject({ total: 1, succeeded: 0, failureCount: 1, successRate: 0 });
    const logs = await call(manage, 'get_webhook_logs', { id: webhook.id, status: ['FAILED', 'DEAD_LETTER'] });
    expect(logs.deliveries).toHaveLength(1);
    for (const attempt of logs.deliveries[0].attempts)
      expect(attempt).toMatchObject({ responseStatus: 500, outcome: 'failure' });

    const updated = await call(manage, 'update_webhook', { id: webhook.id, url: good.url, isActive: true });
    expect(updated.webhook).toMatchObject({ url: good.url, isActive: true });
    const preview = await call(manage, 'recover_webhook', { id: webhook.id, since: '2000-01-01T00:00:00Z' });
    expect(preview).toMatchObject({ started: false, deliveries: 1, trackedJobId: null });
    const { delivery: replay } = await call(manage, 'replay_delivery', { id: delivery.id });
    expect(replay.replayOfId).toBe(delivery.id);
    const [request] = await good.waitFor(1);
    expect(JSON.parse(request.body)).toBeTruthy();
    const delivered = await waitUntil(async () => {
      const { delivery: d } = await call(manage, 'get_delivery', { id: replay.id });
      return d.status === 'SUCCEEDED' ? d : null;
    });
    expect(delivered.attempts[0]).toMatchObject({ responseStatus: 200, outcome: 'success' });
    // The original was replayed: a recover started now has nothing left, and starting it is a tracked job.
    const started = await call(manage, 'recover_webhook', {
      id: webhook.id,
      since: '2000-01-01T00:00:00Z',
      confirm: true,
    });
    expect(started).toMatchObject({ started: true, deliveries: 0 });
    expect(started.trackedJobId).toEqual(expect.any(String));
    const again = await callTool(manage, 'replay_delivery', { id: replay.id });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(/FAILED or DEAD_LETTER/);
  });

  it('a read-only key lists only the read tools, reads, and cannot write (MCP and GraphQL)', async () => {
    const readKey = await key(['read_webhooks']);
    const reader = await connect(readKey);
    const names = (await reader.listTools()).tools.map((x) => x.name).sort();
    expect(names).toEqual(READ_TOOLS);
    const before = await endpointCount();
    const listed = await call(reader, 'list_webhooks');
    expect(listed.totalCount).toBe(before);
    const refused = await callTool(reader, 'create_webhook', { url: 'https://example.com/hook' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/missing permission manage_webhooks/);
    const secret = await callTool(reader, 'get_webhook_secret', { id: listed.webhooks[0].id });
    expect(secret.isError).toBe(true);
    expect(textOf(secret)).toMatch(/manage_webhooks/);
    expect(await endpointCount()).toBe(before);
    // GraphQL: queries run, mutations are refused.
    expect(dataOf(await gql(t.graphqlUrl, COUNT, {}, readKey)).endpoints.totalCount).toBe(before);
    const CREATE = `mutation { createEndpoint(input: { url: "https://example.com/h" }) { secret } }`;
    const mutation = await gql(t.graphqlUrl, CREATE, {}, readKey);
    expect(errorCode(mutation)).toBe('FORBIDDEN');
    expect(mutation.errors?.[0]?.extensions).toMatchObject({ reasonCode: 'PERMISSION_MISSING' });
    expect(await endpointCount()).toBe(before);
    // An admin JWT with read_webhooks alone is read-only too.
    const jwt = adminToken({ tenantId: tenant, permissions: ['read_webhooks'] });
    expect(dataOf(await gql(t.graphqlUrl, COUNT, {}, jwt)).endpoints.totalCount).toBe(before);
    expect(errorCode(await gql(t.graphqlUrl, CREATE, {}, jwt))).toBe('FORBIDDEN');
  });

  it('read_webhooks may subscribe (a read); a credential without it may not', async () => {
    const readKey = await key(['read_webhooks']);
    const r = await receiver();
    const { webhook } = await call(manage, 'create_webhook', { url: r.url });
    const q = 'subscription($id: ID) { deliveryUpdated(endpointId: $id) { id status } }';
    const live = subscribe(t.wsUrl, readKey, q, { id: webhook.id });
    const denied = subscribe(t.wsUrl, adminToken({ tenantId: tenant, permissions: [] }), q, { id: webhook.id });
    try {
      await new Promise((res) => setTimeout(res, 300));
      const { delivery } = await call(manage, 'test_webhook', { id: webhook.id });
      const done = await live.next(
        (e) => e.deliveryUpdated.id === delivery.id && e.deliveryUpdated.status === 'SUCCEEDED',
      );
      expect(done.deliveryUpdated.id).toBe(delivery.id);
      expect(live.errors).toHaveLength(0);
      await waitUntil(async () => denied.errors.length > 0);
      expect(JSON.stringify(denied.errors)).toMatch(/manage_webhooks/);
      expect(denied.events).toHaveLength(0);
    } finally {
      await live.close();
      await denied.close();
    }
  });

  it("another tenant's webhook is not found (and is found by its own tenant)", async () => {
    const otherAdmin = adminToken({ tenantId: newTenantId() });
    const other = await connect(await key(['manage_webhooks'], otherAdmin));
    const r = await receiver();
    const { webhook } = await call(other, 'create_webhook', { url: r.url });
    for (const [name, args] of [
      ['get_webhook', { id: webhook.id }],
      ['get_webhook_logs', { id: webhook.id }],
      ['get_webhook_stats', { id: webhook.id }],
      ['update_webhook', { id: webhook.id, description: 'mine now' }],
      ['toggle_webhook', { id: webhook.id }],
      ['delete_webhook', { id: webhook.id, confirm: true }],
    ] as const) {
      const result: CallToolResult = await callTool(manage, name, args);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(`Endpoint ${webhook.id} not found`);
    }
    const own = await call(other, 'get_webhook', { id: webhook.id });
    expect(own.webhook).toMatchObject({ id: webhook.id, description: null, isActive: true });
  });

  it('delete_webhook without confirm only previews; with confirm: true it deletes', async () => {
    const r = await receiver();
    const { webhook } = await call(manage, 'create_webhook', { url: r.url });
    const before = await endpointCount();
    const preview = await call(manage, 'delete_webhook', { id: webhook.id });
    expect(preview).toMatchObject({ deleted: false, deliveries: 0, deletedAt: null, webhook: { id: webhook.id } });
    expect(await call(manage, 'delete_webhook', { id: webhook.id, confirm: false })).toMatchObject({ deleted: false });
    expect(await endpointCount()).toBe(before);
    await call(manage, 'get_webhook', { id: webhook.id });
    const done = await call(manage, 'delete_webhook', { id: webhook.id, confirm: true });
    expect(done).toMatchObject({ deleted: true });
    expect(await endpointCount()).toBe(before - 1);
  });

  it('bad arguments give isError with clear text and change nothing', async () => {
    const r = await receiver();
    const { webhook } = await call(manage, 'create_webhook', { url: r.url, description: 'kept' });
    const before = await endpointCount();
    const cases: [string, Json, RegExp][] = [
      ['create_webhook', { url: 123 }, /url/],
      ['create_webhook', { url: r.url, eventTypes: 'order.created' }, /eventTypes/],
      ['create_webhook', { url: r.url, surprise: true }, /surprise/],
      ['create_webhook', { url: r.url, eventTypes: ['order.nope'] }, /unknown event type.*order\.nope/],
      ['create_webhook', { url: r.url, description: 'x'.repeat(10_000) }, /description.*500 characters/],
      ['create_webhook', { url: 'ftp://example.com/hook' }, /url/],
      ['update_webhook', { id: webhook.id, description: 'y'.repeat(10_000) }, /description/],
      ['update_webhook', { id: webhook.id, eventTypes: ['order.nope'] }, /unknown event type/],
      ['list_webhooks', { first: 1000 }, /first/],
      ['get_webhook_stats', { id: webhook.id, since: 'yesterday' }, /since/],
      ['get_webhook_sample_payload', { eventType: 'order.nope' }, /order\.nope/],
    ];
    for (const [name, args, text] of cases) {
      const result = await callTool(manage, name, args);
      expect({ name, isError: result.isError }).toEqual({ name, isError: true });
      expect(textOf(result)).toMatch(text);
      expect(textOf(result)).not.toMatch(/\n\s+at /); // never a stack
    }
    expect(await endpointCount()).toBe(before);
    expect((await call(manage, 'get_webhook', { id: webhook.id })).webhook.description).toBe('kept');
  });

  it('validates filters and reads inbound events through the tools', async () => {
    const filter = { query: '$.order.total', condition: '(value) => value > 100' };
    const matched = await call(manage, 'validate_filter', { sampleData: { order: { total: 150 } }, filter });
    expect(matched).toMatchObject({ success: true, filterResult: true });
    const missed = await call(manage, 'validate_filter', { sampleData: { order: { total: 50 } }, filter });
    expect(missed).toMatchObject({ success: true, filterResult: false });
    const CREATE = { input: { provider: 'faire', name: 'agent', webhookSecret: 'agent-secret' } };
    const integration = dataOf(await gql(t.graphqlUrl, CREATE_INTEGRATION, CREATE, admin)).createIntegration;
    expect(await call(manage, 'list_inbound_events', { integrationId: integration.id })).toEqual({
      events: [],
      nextCursor: null,
    });
    expect(await call(manage, 'get_inbound_stats', { integrationId: integration.id })).toMatchObject({ total: 0 });
  });

  it('serves the event-type resources and the three workflow prompts', async () => {
    const { resources } = await manage.listResources();
    expect(resources.map((x) => x.uri)).toContain('hookline://event-types');
    const list = await manage.readResource({ uri: 'hookline://event-types' });
    const types = JSON.parse((list.contents[0] as { text: string }).text) as Json[];
    expect(types.map((x) => x.name)).toContain('order.created');
    const one = await manage.readResource({ uri: 'hookline://event-types/order.created' });
    const body = JSON.parse((one.contents[0] as { text: string }).text) as Json;
    expect(body).toMatchObject({ name: 'order.created' });
    expect(body.samplePayload).toBeTruthy();
    const { prompts } = await manage.listPrompts();
    expect(prompts.map((x) => x.name).sort()).toEqual([
      'debug_failing_webhook',
      'pause_webhook',
      'set_up_order_webhook',
    ]);
    const prompt = await manage.getPrompt({
      name: 'set_up_order_webhook',
      arguments: { url: 'https://example.com/h' },
    });
    expect(JSON.stringify(prompt.messages)).toContain('create_webhook');
  });

  it('toggles a webhook (pause and resume)', async () => {
    const r = await receiver();
    const { webhook } = await call(manage, 'create_webhook', { url: r.url });
    expect((await call(manage, 'toggle_webhook', { id: webhook.id })).webhook.isActive).toBe(false);
    expect((await call(manage, 'toggle_webhook', { id: webhook.id })).webhook.isActive).toBe(true);
  });

  it('runs "set up an order webhook" over npm run mcp:stdio', async () => {
    const r = await receiver();
    const transport = new StdioClientTransport({
      command: 'npm',
      args: ['run', '--silent', 'mcp:stdio'],
      cwd: process.cwd(),
      env: { ...(process.env as Record<string, string>), HOOKLINE_URL: t.url, HOOKLINE_API_KEY: revealKey },
      stderr: 'pipe',
    });
    const agent = new SdkClient({ name: 'hookline-e2e-stdio', version: '1.0.0' });
    await agent.connect(transport);
    try {
      const { eventTypes } = await call(agent, 'get_webhook_events');
      expect(eventTypes.map((e: Json) => e.name)).toContain('order.created');
      const created = await call(agent, 'create_webhook', { url: r.url, eventTypes: ['order.created'] });
      const revealed = await call(agent, 'get_webhook_secret', { id: created.webhook.id });
      expect(revealed.secret).toBe(created.secret);
      await call(agent, 'test_webhook', { id: created.webhook.id, eventType: 'order.created' });
      const [request] = await r.waitFor(1);
      expect(verify(revealed.secret as string, request)).toBeTruthy();
      const logs = await waitUntil(async () => {
        const page = await call(agent, 'get_webhook_logs', { id: created.webhook.id });
        return page.deliveries[0]?.status === 'SUCCEEDED' ? page : null;
      });
      expect(logs.deliveries[0].attempts[0]).toMatchObject({ responseStatus: 200 });
    } finally {
      await agent.close();
    }
  }, 90_000);

  it("checked every tool's structuredContent against its outputSchema", () => {
    expect([...validated].sort()).toEqual([...validators.keys()].sort());
  });
});

describe('agent tools with ALLOW_PRIVATE_TARGETS off', () => {
  let t: TestApp;
  let client: Client;
  const admin = adminToken({ tenantId: newTenantId() });

  beforeAll(async () => {
    t = await createTestApp({ ALLOW_PRIVATE_TARGETS: 'false' });
    const res = await gql(
      t.graphqlUrl,
      CREATE_KEY,
      { input: { name: 'agent', permissions: ['manage_webhooks'] } },
      admin,
    );
    client = await mcpClient(t.url, dataOf(res).createApiKey.key as string);
  });

  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  it('refuses a private URL with isError and creates nothing', async () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://10.0.0.1/hook', 'http://localhost:3000/hook']) {
      const result = await callTool(client, 'create_webhook', { url });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/url/i);
    }
    expect(dataOf(await gql(t.graphqlUrl, COUNT, {}, admin)).endpoints.totalCount).toBe(0);
  });
});
