import { createHmac, randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../support/app';
import { faireOrder } from '../support/faire';
import { dataOf, gql, GqlResponse } from '../support/graphql-client';
import { mcpClient } from '../support/mcp-client';
import { AppProcess, freePort, startAppProcess } from '../support/processes';
import { waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';
import { subscribe } from '../support/ws-client';

jest.setTimeout(180_000);

/**
 * Low limits: 6 a minute is one point per 10 s steady window (README "Rate limits"), plus a burst of 5 for the
 * minute, so a fresh credential has exactly 6 points in its first 10 s, and one more when the steady window resets.
 */
const LIMITS = {
  API_RATE_LIMIT_PER_MINUTE: '6',
  API_RATE_LIMIT_BURST: '5',
  INBOUND_RATE_LIMIT_PER_MINUTE: '6',
  INBOUND_RATE_LIMIT_BURST: '1',
};
const BUDGET = 6;
const ENDPOINTS = '{ endpoints(first: 1) { edges { node { id } } } }';
const PUBLISH = 'mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }';
const EVENTS = '{ events(first: 100) { edges { node { id } } } }';
const CREATE_INTEGRATION = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id inboundPath } }`;
const INBOUND_STATS = `query($id: ID!) { inboundEventStats(integrationId: $id) { total } }`;

/** A plain GraphQL POST that also returns the response headers. */
async function post(url: string, query: string, token: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GqlResponse, 'status'>;
  return { status: res.status, retryAfter: res.headers.get('retry-after'), ...body };
}

type Answer = Awaited<ReturnType<typeof post>>;

/** RATE_LIMITED with a retryAfterMs of at most `withinMs` (the steady window's 10 s unless only the burst helps). */
function expectRateLimited(res: Answer, withinMs = 10_000): number {
  expect(res.status).toBe(429);
  expect(res.data ?? null).toBeNull();
  const extensions = res.errors?.[0]?.extensions ?? {};
  expect(extensions).toMatchObject({ code: 'RATE_LIMITED', reasonCode: 'CREDENTIAL_RATE_LIMITED' });
  const retryAfterMs = extensions.retryAfterMs as number;
  expect(retryAfterMs).toBeGreaterThan(0);
  expect(retryAfterMs).toBeLessThanOrEqual(withinMs);
  expect(res.retryAfter).toBe(String(Math.ceil(retryAfterMs / 1000)));
  return retryAfterMs;
}

function expectAnswered(res: Answer): void {
  expect([res.status, res.errors ?? []]).toEqual([200, []]);
}

const order = (id: string) => ({
  order: { id, status: 'paid', currency: 'USD', total: 50, line_items: [{ sku: 'SKU-1', quantity: 1, price: 50 }] },
});
const events = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({ eventType: 'order.created', payload: order(`${tag}-${i}`) }));

describe('API rate limits (issue 15)', () => {
  describe('shared by two api processes', () => {
    const api: AppProcess[] = [];
    beforeAll(async () => {
      // One after the other: two ts-node boots at once can pass startAppProcess's minute on a loaded machine.
      api.push(await startAppProcess('api', LIMITS));
      api.push(await startAppProcess('api', LIMITS));
    });
    afterAll(async () => {
      await Promise.all(api.map((p) => p.kill()));
    });

    it('refuses a credential past its limit counted across both processes, leaves another credential alone, and lets it in again after retryAfterMs', async () => {
      const tenantId = newTenantId();
      const limited = adminToken({ tenantId, sub: 'busy@example.com' });
      const other = adminToken({ tenantId, sub: 'quiet@example.com' });
      // Exactly the budget, alternating between the processes: three each.
      for (let i = 0; i < BUDGET; i++) expectAnswered(await post(api[i % 2].url, ENDPOINTS, limited));
      // One more is refused by either process: the two spent one shared budget.
      const retryAfterMs = expectRateLimited(await post(api[0].url, ENDPOINTS, limited));
      expectRateLimited(await post(api[1].url, ENDPOINTS, limited));
      // Positive control: another credential (another subject of the same tenant) is untouched, on both.
      expectAnswered(await post(api[0].url, ENDPOINTS, other));
      expectAnswered(await post(api[1].url, ENDPOINTS, other));
      // A fresh token of the limited subject is the same credential.
      expectRateLimited(await post(api[1].url, ENDPOINTS, adminToken({ tenantId, sub: 'busy@example.com' })));
      // /health and /metrics are exempt, even sent with the limited credential.
      for (let i = 0; i < 10; i++) {
        const headers = { authorization: `Bearer ${limited}` };
        expect((await fetch(`${api[i % 2].url}/health`, { headers })).status).toBe(200);
        expect((await fetch(`${api[i % 2].url}/metrics`, { headers })).status).toBe(200);
      }
      // After retryAfterMs the steady window has reset: one more point, on either process.
      await new Promise((r) => setTimeout(r, retryAfterMs + 50));
      expectAnswered(await post(api[1].url, ENDPOINTS, limited));
      expectRateLimited(await post(api[0].url, ENDPOINTS, limited));
    });
  });

  describe('in one process', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(LIMITS);
    });
    afterAll(async () => t?.close());

    it('charges publishEvents one point per event, refuses a batch larger than what is left whole, and stores nothing of it', async () => {
      const tenantId = newTenantId();
      const publisher = adminToken({ tenantId, sub: 'publisher' });
      const reader = adminToken({ tenantId, sub: 'reader' });
      const stored = async () => dataOf(await gql(t.graphqlUrl, EVENTS, {}, reader)).events.edges.length;
      // 4 events: 4 of the 6 points (the steady window holds 1, so they come from the burst of 5).
      const four = await post(t.url, PUBLISH, publisher, { inputs: events(4, 'a') });
      expectAnswered(four);
      expect(four.data?.publishEvents).toHaveLength(4);
      // 3 events do not fit in the 2 points left (1 steady, 1 burst): refused whole, nothing stored, nothing spent.
      // Only the burst can ever hold 3 points, so the wait is for its reset (within the minute), not the steady one.
      expect(
        expectRateLimited(await post(t.url, PUBLISH, publisher, { inputs: events(3, 'b') }), 60_000),
      ).toBeGreaterThan(10_000);
      expect(await stored()).toBe(4);
      // A batch no window can ever hold (7 > the burst of 5) says so, instead of a wait that would never help.
      const never = await post(t.url, PUBLISH, publisher, { inputs: events(7, 'c') });
      expect(never.status).toBe(400);
      expect(never.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reasonCode: 'LIMIT_EXCEEDED',
        field: 'inputs',
        limit: 5,
      });
      // The refusals spent nothing: the 2 points left take two single events, and then the budget is gone.
      expectAnswered(await post(t.url, PUBLISH, publisher, { inputs: events(1, 'd') }));
      expectAnswered(await post(t.url, PUBLISH, publisher, { inputs: events(1, 'e') }));
      expectRateLimited(await post(t.url, PUBLISH, publisher, { inputs: events(1, 'f') }));
      expect(await stored()).toBe(6);
    });

    it('refuses graphql-ws operations past the limit, each with its own RATE_LIMITED error', async () => {
      const token = adminToken({ tenantId: newTenantId(), sub: 'socket' });
      const results: { data: unknown[]; errors: unknown[] }[] = [];
      for (let i = 0; i < BUDGET + 2; i++) {
        const live = subscribe(t.wsUrl, token, ENDPOINTS);
        await waitUntil(async () => live.events.length + live.errors.length > 0 || null, 10_000, 20);
        results.push({ data: [...live.events], errors: [...live.errors] });
        await live.close();
      }
      expect(results.slice(0, BUDGET).map((r) => [r.data.length, r.errors])).toEqual(
        Array.from({ length: BUDGET }, () => [1, []]),
      );
      for (const refused of results.slice(BUDGET)) {
        expect(refused.data).toEqual([]);
        expect(JSON.stringify(refused.errors)).toMatch(
          /"code":"RATE_LIMITED".*"retryAfterMs":\d+|"retryAfterMs":\d+.*"code":"RATE_LIMITED"/,
        );
      }
    });

    it('answers MCP requests past the limit with HTTP 429 and Retry-After', async () => {
      const token = adminToken({ tenantId: newTenantId(), sub: 'agent' });
      const listTools = (id: number) =>
        fetch(`${t.url}/mcp`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
          body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' }),
        });
      for (let i = 0; i < BUDGET; i++) {
        const ok = await listTools(i);
        expect(ok.status).toBe(200);
        expect(((await ok.json()) as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(5);
      }
      const refused = await listTools(BUDGET);
      expect(refused.status).toBe(429);
      const body = (await refused.json()) as { code: string; error: string; retryAfterMs: number };
      expect(body).toMatchObject({ code: 'RATE_LIMITED', error: 'CREDENTIAL_RATE_LIMITED' });
      expect(refused.headers.get('retry-after')).toBe(String(Math.ceil(body.retryAfterMs / 1000)));
      // The SDK client sees the refusal as an HTTP error, not as a protocol error it would have to decode.
      await expect(mcpClient(t.url, token)).rejects.toThrow(/CREDENTIAL_RATE_LIMITED/);
    });

    it('answers inbound callbacks past their per-integration limit with 429 and Retry-After, and stores nothing', async () => {
      const admin = adminToken({ tenantId: newTenantId(), sub: 'ops' });
      const secret = `s-${randomUUID()}`;
      const create = async (name: string) =>
        dataOf(
          await gql(
            t.graphqlUrl,
            CREATE_INTEGRATION,
            { input: { provider: 'faire', name, webhookSecret: secret } },
            admin,
          ),
        ).createIntegration as { id: string; inboundPath: string };
      const [busy, calm] = [await create('busy'), await create('calm')];
      const callback = (path: string, orderId: string, signed = true) => {
        const raw = Buffer.from(JSON.stringify(faireOrder(orderId, 'b_rate')));
        const signature = createHmac('sha256', signed ? secret : 'wrong')
          .update(raw)
          .digest('base64');
        return fetch(`${t.url}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-faire-webhook-topic': 'ORDER_CREATED',
            'x-faire-hmac-sha256': signature,
          },
          body: raw,
        });
      };
      const total = async (id: string) =>
        dataOf(await gql(t.graphqlUrl, INBOUND_STATS, { id }, admin)).inboundEventStats.total;
      // Unsigned callbacks are refused (401) and spend nothing of the integration's budget.
      for (let i = 0; i < 3; i++) expect((await callback(busy.inboundPath, `x${i}`, false)).status).toBe(401);
      // 1 steady + 1 burst point: two signed callbacks are stored, the third is 429.
      expect((await callback(busy.inboundPath, 'o1')).status).toBe(202);
      expect((await callback(busy.inboundPath, 'o2')).status).toBe(202);
      const refused = await callback(busy.inboundPath, 'o3');
      expect(refused.status).toBe(429);
      const body = (await refused.json()) as { error: { code: string; reasonCode: string; retryAfterMs: number } };
      expect(body.error).toMatchObject({ code: 'RATE_LIMITED', reasonCode: 'INTEGRATION_RATE_LIMITED' });
      expect(refused.headers.get('retry-after')).toBe(String(Math.ceil(body.error.retryAfterMs / 1000)));
      expect(await total(busy.id)).toBe(2);
      // Positive control: another integration of the same tenant has its own budget.
      expect((await callback(calm.inboundPath, 'o1')).status).toBe(202);
      expect(await total(calm.id)).toBe(1);
    });
  });

  describe('when the rate-limit Redis is unreachable', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ ...LIMITS, RATE_LIMIT_REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    });
    afterAll(async () => t?.close());

    it('fails open to the in-memory insurance limiter: requests are answered, and still limited per process', async () => {
      const token = adminToken({ tenantId: newTenantId(), sub: 'no-redis' });
      for (let i = 0; i < BUDGET; i++) expectAnswered(await post(t.url, ENDPOINTS, token));
      expectRateLimited(await post(t.url, ENDPOINTS, token));
      expectAnswered(await post(t.url, ENDPOINTS, adminToken({ tenantId: newTenantId(), sub: 'no-redis' })));
    });
  });
});
