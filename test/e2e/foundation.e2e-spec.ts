import { GraphQLSchemaHost } from '@nestjs/graphql';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { sign } from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { AuditLogEntity } from '../../src/auth/audit-log.entity';
import { AuditService } from '../../src/auth/audit.service';
import { systemPrincipal } from '../../src/auth/principal';
import { IdempotencyService } from '../../src/common/idempotency/idempotency.service';
import { TrackedJobsService } from '../../src/tracked-jobs/tracked-jobs.service';
import { canConnect } from '../../scripts/dev-services';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, errorCode, gql } from '../support/graphql-client';
import { waitUntil } from '../support/receiver';
import { operationFor, rootFields } from '../support/schema-walk';
import { adminToken, newTenantId } from '../support/tokens';
import { rawSocket, subscribe } from '../support/ws-client';

const execFileAsync = promisify(execFile);

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id name prefix permissions revokedAt } } }`;
const AUDIT = `query($action: String) { auditLogs(first: 50, action: $action) { edges { node { id action actorType actorId targetType targetId metadata } cursor } pageInfo { hasNextPage endCursor } } }`;

describe('foundation (real Postgres + Redis)', () => {
  let t: TestApp;
  const tenantA = newTenantId();
  const tenantB = newTenantId();
  const adminA = adminToken({ tenantId: tenantA });
  const adminB = adminToken({ tenantId: tenantB });

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('authentication and permissions', () => {
    it('answers UNAUTHENTICATED without a credential', async () => {
      const res = await gql(t.graphqlUrl, '{ apiKeys { id } }');
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
      expect(res.errors?.[0]?.extensions).toMatchObject({
        reason: 'CREDENTIALS_MISSING',
        reasonCode: 'CREDENTIALS_MISSING',
      });
      expect(res.data).toBeNull();
    });

    it('answers FORBIDDEN to a valid JWT without manage_webhooks', async () => {
      const res = await gql(
        t.graphqlUrl,
        '{ auditLogs { edges { cursor } } }',
        {},
        adminToken({ tenantId: tenantA, permissions: ['read_only'] }),
      );
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0]).toMatchObject({
        message: 'missing permission manage_webhooks',
        extensions: {
          code: 'FORBIDDEN',
          permission: 'manage_webhooks',
          reason: 'PERMISSION_MISSING',
          reasonCode: 'PERMISSION_MISSING',
        },
      });
    });

    it('refuses an expired JWT, an alg:none JWT, a JWT signed with another key, and a malformed header', async () => {
      const expired = adminToken({ tenantId: tenantA, expiresInSec: -120 });
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const claims = Buffer.from(
        JSON.stringify({
          sub: 'x',
          tenant_id: tenantA,
          permissions: ['manage_webhooks'],
          exp: Math.floor(Date.now() / 1000) + 600,
        }),
      ).toString('base64url');
      const none = `${header}.${claims}.`;
      const otherKey = sign(
        { sub: 'x', tenant_id: tenantA, permissions: ['manage_webhooks'] },
        'another-secret-another-secret-another-secret',
        { algorithm: 'HS256', expiresIn: 600 },
      );
      for (const [token, reasonCode] of [
        [expired, 'TOKEN_EXPIRED'],
        [none, 'TOKEN_INVALID'],
        [otherKey, 'TOKEN_INVALID'],
      ]) {
        const res = await gql(t.graphqlUrl, '{ auditLogs { edges { cursor } } }', {}, token);
        expect(errorCode(res)).toBe('UNAUTHENTICATED');
        expect(res.errors?.[0]?.extensions).toMatchObject({ reason: reasonCode, reasonCode });
      }
      const res = await gql(t.graphqlUrl, '{ auditLogs { edges { cursor } } }', {}, undefined, {
        authorization: 'Basic abc',
      });
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
      expect(res.errors?.[0]?.extensions).toMatchObject({ reasonCode: 'AUTHORIZATION_MALFORMED' });
    });

    it('issues API keys that work until revoked; only admin JWTs manage keys', async () => {
      const created = dataOf(
        await gql(t.graphqlUrl, CREATE_KEY, { input: { name: 'ci', permissions: ['manage_webhooks'] } }, adminA),
      ).createApiKey;
      expect(created.key).toMatch(/^whk_[A-Za-z0-9_-]{43}$/);
      expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);
      const key = created.key as string;

      const viaKey = await gql(t.graphqlUrl, '{ auditLogs(first: 5) { edges { node { action } } } }', {}, key);
      expect(viaKey.errors).toBeUndefined();
      const adminOnly = await gql(t.graphqlUrl, '{ apiKeys { id } }', {}, key);
      expect(adminOnly.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reasonCode: 'ADMIN_ONLY' });

      const revoked = dataOf(
        await gql(
          t.graphqlUrl,
          'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }',
          { id: created.apiKey.id },
          adminA,
        ),
      ).revokeApiKey;
      expect(revoked.revokedAt).not.toBeNull();
      const afterRevoke = await gql(t.graphqlUrl, '{ auditLogs { edges { cursor } } }', {}, key);
      expect(afterRevoke.errors?.[0]).toMatchObject({
        message: 'invalid or revoked API key',
        extensions: { code: 'UNAUTHENTICATED', reasonCode: 'API_KEY_REVOKED' },
      });
      const neverIssued = await gql(t.graphqlUrl, '{ auditLogs { edges { cursor } } }', {}, `whk_${'x'.repeat(43)}`);
      expect(neverIssued.errors?.[0]).toMatchObject({
        message: 'invalid or revoked API key',
        extensions: { code: 'UNAUTHENTICATED', reasonCode: 'API_KEY_INVALID' },
      });

      const list = dataOf(await gql(t.graphqlUrl, '{ apiKeys { id name revokedAt } }', {}, adminA)).apiKeys;
      expect(list.find((k: { id: string }) => k.id === created.apiKey.id).revokedAt).not.toBeNull();
      expect(JSON.stringify(list)).not.toContain(key);
    });

    it('rejects unknown permissions with BAD_USER_INPUT naming the field', async () => {
      const res = await gql(t.graphqlUrl, CREATE_KEY, { input: { name: 'bad', permissions: ['root'] } }, adminA);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions?.field).toBe('permissions');
    });
  });

  describe('operator CLI', () => {
    it('creates a tenant and an API key that can query the audit log', async () => {
      // Asynchronous on purpose: a blocked event loop would also stall the app this process hosts.
      const run = async (args: string[]): Promise<string> =>
        (
          await execFileAsync(
            process.execPath,
            ['node_modules/ts-node/dist/bin.js', '--transpile-only', 'src/cli.ts', ...args],
            { encoding: 'utf8', env: process.env },
          )
        ).stdout;
      const tenantId = /tenant (\S+)/.exec(await run(['tenants:create', '--name', 'Acme CLI']))?.[1];
      expect(tenantId).toMatch(/^[0-9a-f-]{36}$/);
      const key = (
        await run(['api-keys:create', '--tenant', String(tenantId), '--name', 'ci', '--permissions', 'manage_webhooks'])
      )
        .trim()
        .split('\n')
        .pop();
      expect(key).toMatch(/^whk_/);
      const res = dataOf(
        await gql(t.graphqlUrl, '{ auditLogs(first: 5) { edges { node { action actorType } } } }', {}, key),
      );
      expect(res.auditLogs.edges[0].node).toEqual({ action: 'api_key.created', actorType: 'system' });
      await expect(run(['api-keys:create', '--tenant', 'no-such-tenant', '--name', 'x'])).rejects.toThrow(
        /tenant no-such-tenant not found/,
      );
    }, 60_000);
  });

  describe('tenant isolation', () => {
    it("never shows one tenant the API keys or audit entries of another, and revoking another tenant's key is NOT_FOUND", async () => {
      const a = dataOf(
        await gql(t.graphqlUrl, CREATE_KEY, { input: { name: 'only-a', permissions: ['manage_webhooks'] } }, adminA),
      ).createApiKey;
      const keysB = dataOf(await gql(t.graphqlUrl, '{ apiKeys { id } }', {}, adminB)).apiKeys as { id: string }[];
      expect(keysB.map((k) => k.id)).not.toContain(a.apiKey.id);
      const auditB = dataOf(await gql(t.graphqlUrl, AUDIT, {}, adminB)).auditLogs.edges as {
        node: { targetId: string };
      }[];
      expect(auditB.map((e) => e.node.targetId)).not.toContain(a.apiKey.id);
      const auditA = dataOf(await gql(t.graphqlUrl, AUDIT, { action: 'api_key.created' }, adminA)).auditLogs.edges as {
        node: { targetId: string };
      }[];
      expect(auditA.map((e) => e.node.targetId)).toContain(a.apiKey.id);

      const res = await gql(
        t.graphqlUrl,
        'mutation($id: ID!) { revokeApiKey(id: $id) { id } }',
        { id: a.apiKey.id },
        adminB,
      );
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect(res.errors?.[0]?.extensions).toMatchObject({ reasonCode: 'API_KEY_NOT_FOUND' });
      const still = dataOf(await gql(t.graphqlUrl, '{ apiKeys { id revokedAt } }', {}, adminA)).apiKeys as {
        id: string;
        revokedAt: string | null;
      }[];
      expect(still.find((k) => k.id === a.apiKey.id)?.revokedAt).toBeNull();
    });
  });

  describe('audit log', () => {
    it('strips secrets from metadata and paginates with opaque cursors', async () => {
      const audit = t.app.get(AuditService);
      const tenant = newTenantId();
      for (let i = 0; i < 3; i++) {
        await audit.record(
          systemPrincipal(tenant),
          'test.secret',
          { type: 'thing', id: `t${i}` },
          { secret: 'whsec_abc', nested: { apiKey: 'whk_x', note: 'Bearer abc', ok: 'visible' } },
        );
      }
      const token = adminToken({ tenantId: tenant });
      const first = dataOf(
        await gql(
          t.graphqlUrl,
          `query { auditLogs(first: 2) { edges { node { targetId metadata } cursor } pageInfo { hasNextPage endCursor } } }`,
          {},
          token,
        ),
      ).auditLogs;
      expect(first.edges).toHaveLength(2);
      expect(first.pageInfo.hasNextPage).toBe(true);
      expect(JSON.stringify(first)).not.toMatch(/whsec_abc|whk_x|Bearer abc/);
      expect(first.edges[0].node.metadata.nested.ok).toBe('visible');
      const second = dataOf(
        await gql(
          t.graphqlUrl,
          `query($after: String) { auditLogs(first: 2, after: $after) { edges { node { targetId } } pageInfo { hasNextPage } } }`,
          { after: first.pageInfo.endCursor },
          token,
        ),
      ).auditLogs;
      expect(second.edges).toHaveLength(1);
      expect(second.pageInfo.hasNextPage).toBe(false);
      const seen = [...first.edges, ...second.edges].map((e: { node: { targetId: string } }) => e.node.targetId).sort();
      expect(seen).toEqual(['t0', 't1', 't2']);

      expect(
        errorCode(await gql(t.graphqlUrl, `{ auditLogs(after: "garbage") { edges { cursor } } }`, {}, token)),
      ).toBe('BAD_USER_INPUT');
      expect(errorCode(await gql(t.graphqlUrl, `{ auditLogs(first: 100000) { edges { cursor } } }`, {}, token))).toBe(
        'BAD_USER_INPUT',
      );
    });
  });

  describe('guard coverage', () => {
    it('rejects every Query and Mutation field of the schema without a credential', async () => {
      const schema = t.app.get(GraphQLSchemaHost).schema;
      const fields = rootFields(schema).filter((f) => f.root !== 'subscription');
      expect(fields.length).toBeGreaterThan(3);
      const unguarded: string[] = [];
      for (const field of fields) {
        const { query, variables } = operationFor(field, schema);
        const res = await gql(t.graphqlUrl, query, variables);
        if (errorCode(res) !== 'UNAUTHENTICATED')
          unguarded.push(`${field.root}.${field.name}: ${JSON.stringify(res.errors ?? res.data)}`);
      }
      expect(unguarded).toEqual([]);
    });

    it('rejects every Subscription field for a connected client without the permission', async () => {
      const schema = t.app.get(GraphQLSchemaHost).schema;
      const subs = rootFields(schema).filter((f) => f.root === 'subscription');
      expect(subs.length).toBeGreaterThan(0);
      const token = adminToken({ tenantId: tenantA, permissions: ['read_only'] });
      for (const field of subs) {
        const { query, variables } = operationFor(field, schema);
        const live = subscribe(t.wsUrl, token, query, variables);
        await waitUntil(async () => live.errors.length > 0, 5000);
        expect(JSON.stringify(live.errors)).toContain('FORBIDDEN');
        await live.close();
      }
    });
  });

  describe('idempotency', () => {
    it('returns the first result for the same input, CONFLICT for other input or while in flight, and refuses long keys', async () => {
      const idem = t.app.get(IdempotencyService);
      const ds = t.app.get(DataSource);
      const tenant = newTenantId();
      let runs = 0;
      const call = (input: unknown, key: string, delayMs = 0) =>
        idem.run({
          tenantId: tenant,
          operation: 'test.op',
          key,
          input,
          work: async (m) => {
            runs += 1;
            if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
            await m.getRepository(AuditLogEntity).insert({
              tenantId: tenant,
              action: 'idem.work',
              actorType: 'system',
              actorId: 't',
              targetType: 'x',
              targetId: key,
              metadata: null,
            });
            return { result: `done-${runs}`, ref: { value: `done-${runs}` } };
          },
          replay: async (ref) => String(ref.value),
        });

      expect(await call({ a: 1, b: [1, 2] }, 'k1')).toBe('done-1');
      expect(await call({ b: [1, 2], a: 1 }, 'k1')).toBe('done-1');
      expect(runs).toBe(1);
      await expect(call({ a: 2 }, 'k1')).rejects.toMatchObject({ code: 'CONFLICT' });

      const slow = call({ a: 1 }, 'k2', 400);
      await new Promise((r) => setTimeout(r, 100));
      await expect(call({ a: 1 }, 'k2')).rejects.toMatchObject({ code: 'CONFLICT', details: { retryAfterMs: 1000 } });
      expect(await slow).toBe('done-2');

      await expect(call({ a: 1 }, 'x'.repeat(256))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      const rows = await ds.getRepository(AuditLogEntity).countBy({ tenantId: tenant, action: 'idem.work' });
      expect(rows).toBe(2);

      const failing = idem.run({
        tenantId: tenant,
        operation: 'test.op',
        key: 'k3',
        input: {},
        work: async () => {
          throw new Error('boom');
        },
        replay: async () => 'never',
      });
      await expect(failing).rejects.toThrow('boom');
      expect(await call({}, 'k3')).toBe('done-3'); // a failed first call leaves the key free
    });
  });

  describe('GraphQL over WebSocket', () => {
    it('closes a connection with a bad token with 4403', async () => {
      const live = subscribe(
        t.wsUrl,
        'not-a-valid-token',
        'subscription { trackedJobUpdated(id: "00000000-0000-4000-8000-000000000000") { id } }',
      );
      expect(await live.closeCode()).toBe(4403);
    });

    it('closes a socket that never sends connection_init with 4408', async () => {
      const t2 = await createTestApp();
      try {
        const { closed } = await rawSocket(t2.wsUrl);
        // connectionInitWaitTimeout is 10 s in production; this just proves the server closes, not the timing
        const result = await Promise.race([
          closed,
          new Promise<{ code: number }>((r) => setTimeout(() => r({ code: -1 }), 12_000)),
        ]);
        expect(result.code).toBe(4408);
      } finally {
        await t2.close();
      }
    }, 20_000);

    it('streams the progress of a real tracked job to a subscriber of its tenant', async () => {
      const jobs = t.app.get(TrackedJobsService);
      jobs.registerHandler('test.count', async (ctx) => {
        for (let i = 1; i <= 5; i++) {
          await new Promise((r) => setTimeout(r, 300));
          await ctx.progress(i, 5);
        }
        return { counted: 5 };
      });
      const tenant = newTenantId();
      const job = await jobs.create(tenant, 'test.count', {});
      const live = subscribe(
        t.wsUrl,
        adminToken({ tenantId: tenant }),
        'subscription($id: ID!) { trackedJobUpdated(id: $id) { id status progress total result } }',
        { id: job.id },
      );
      const other = subscribe(
        t.wsUrl,
        adminToken({ tenantId: newTenantId() }),
        'subscription($id: ID!) { trackedJobUpdated(id: $id) { id } }',
        { id: job.id },
      );
      await new Promise((r) => setTimeout(r, 500)); // let both subscribe before the job starts
      await jobs.enqueue(job);
      const done = await live.next((e) => e.trackedJobUpdated.status === 'COMPLETED', 15_000);
      expect(done.trackedJobUpdated.result).toEqual({ counted: 5 });
      const progresses = live.events.map((e) => e.trackedJobUpdated.progress);
      expect(progresses.some((p: number) => p > 0 && p < 5)).toBe(true);
      expect(JSON.stringify(other.errors)).toContain('NOT_FOUND');
      expect(other.events).toHaveLength(0);
      const polled = dataOf(
        await gql(
          t.graphqlUrl,
          'query($id: ID!) { trackedJob(id: $id) { status progress total finishedAt } }',
          { id: job.id },
          adminToken({ tenantId: tenant }),
        ),
      ).trackedJob;
      expect(polled).toMatchObject({ status: 'COMPLETED', progress: 5, total: 5 });
      await live.close();
      await other.close();
    }, 30_000);

    it('cancels a running tracked job between steps', async () => {
      const jobs = t.app.get(TrackedJobsService);
      jobs.registerHandler('test.slow', async (ctx) => {
        for (let i = 1; i <= 50; i++) {
          await new Promise((r) => setTimeout(r, 100));
          await ctx.progress(i, 50);
        }
        return { done: true };
      });
      const tenant = newTenantId();
      const token = adminToken({ tenantId: tenant });
      const job = await jobs.start(tenant, 'test.slow', {});
      await waitUntil(async () => (await jobs.find(tenant, job.id)).progress >= 2);
      dataOf(await gql(t.graphqlUrl, 'mutation($id: ID!) { cancelTrackedJob(id: $id) { id } }', { id: job.id }, token));
      const final = await waitUntil(async () => {
        const j = await jobs.find(tenant, job.id);
        return j.status === 'FAILED' ? j : null;
      });
      expect(final.error).toBe('cancelled');
      expect(final.progress).toBeLessThan(50);
    }, 30_000);
  });

  describe('errors', () => {
    it('masks an unexpected error behind an error id, with no SQL or stack in the response', async () => {
      const ds = t.app.get(DataSource);
      const token = adminToken({ tenantId: tenantA });
      await ds.query('ALTER TABLE audit_logs RENAME TO audit_logs_moved');
      try {
        const res = await gql(t.graphqlUrl, '{ auditLogs { edges { cursor } } }', {}, token);
        expect(errorCode(res)).toBe('INTERNAL_SERVER_ERROR');
        expect(res.errors?.[0].extensions?.errorId).toMatch(/^[0-9a-f-]{36}$/);
        const text = JSON.stringify(res);
        expect(text).not.toMatch(/audit_logs|relation|SELECT|stack|QueryFailedError/i);
      } finally {
        await ds.query('ALTER TABLE audit_logs_moved RENAME TO audit_logs');
      }
    });
  });

  describe('health', () => {
    it('answers 200 while Postgres and Redis are up and 503 once its Redis is stopped', async () => {
      const port = 20000 + Math.floor(Math.random() * 20000);
      const redis = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      try {
        await waitUntil(() => canConnect(port), 10_000);
        const own = await createTestApp({ REDIS_URL: `redis://127.0.0.1:${port}` });
        try {
          const up = await fetch(`${own.url}/health`);
          expect(up.status).toBe(200);
          expect(await up.json()).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
          redis.kill('SIGKILL');
          await waitUntil(async () => !(await canConnect(port)));
          const down = await fetch(`${own.url}/health`);
          expect(down.status).toBe(503);
          expect(await down.json()).toMatchObject({ status: 'unavailable', postgres: 'up', redis: 'down' });
          const metrics = await fetch(`${own.url}/metrics`);
          expect(metrics.status).toBe(200);
          expect(await metrics.text()).toContain('hookline_http_requests_total');
        } finally {
          await own.close().catch(() => undefined);
        }
      } finally {
        redis.kill('SIGKILL');
      }
    }, 40_000);
  });
});
