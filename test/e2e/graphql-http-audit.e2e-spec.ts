import { auditServer, AuditResult } from 'graphql-http';
import { randomBytes } from 'node:crypto';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, gql } from '../support/graphql-client';
import { waitUntil } from '../support/receiver';
import { adminToken, newTenantId, tenant } from '../support/tokens';
import { subscribe } from '../support/ws-client';

jest.setTimeout(120_000);

/** Production as it boots: NODE_ENV=production with its two required secrets (introspection is off there). */
const PRODUCTION = {
  NODE_ENV: 'production',
  AUTH_JWT_SECRET: randomBytes(32).toString('base64url'),
  SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

const typenames = (n: number, alias: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => `${alias(i)}: __typename`).join(' ');

/** Runs every server audit of graphql-http; prints what is not ok, and returns the MUST failures. */
async function audit(url: string, label: string): Promise<AuditResult[]> {
  const results = await auditServer({ url, fetchFn: fetch });
  expect(results.length).toBeGreaterThan(40); // the audit really ran
  const notOk = results.filter((r) => r.status !== 'ok');
  const lines = notOk.map((r) => `${r.status.padEnd(6)} ${r.name}${'reason' in r ? `: ${r.reason}` : ''}`);
  console.log(
    `graphql-http audit (${label}): ${results.length - notOk.length}/${results.length} ok\n${lines.join('\n')}`,
  );
  return results.filter((r) => r.status === 'error' || (r.status !== 'ok' && r.name.startsWith('MUST')));
}

describe('GraphQL over HTTP: the graphql-http server audit, and the document limits (issue 15)', () => {
  describe('as tests run it (NODE_ENV=test, introspection on)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => t?.close());

    it('fails no MUST of the audit', async () => {
      expect((await audit(t.graphqlUrl, 'NODE_ENV=test')).map((r) => r.name)).toEqual([]);
    });

    it('refuses 1,000 `a: __typename` aliases, at the top and under __schema, and answers 30 (positive control)', async () => {
      const a = tenant();
      for (const query of [
        `{ ${typenames(1000, () => 'a')} }`,
        `{ __schema { ${typenames(1000, () => 'a')} } }`,
        `{ __type(name: "Query") { ${typenames(1000, () => 'a')} } }`,
      ]) {
        const res = await gql(t.graphqlUrl, query, {}, a.token);
        expect(res.status).toBe(400);
        expect(res.data ?? null).toBeNull();
        expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(res.errors?.[0]?.message).toMatch(/more than 30 aliases, the limit: every alias counts, of __typename/);
      }
      expect(dataOf(await gql(t.graphqlUrl, `{ ${typenames(30, () => 'a')} }`, {}, a.token))).toEqual({ a: 'Query' });
      const under = dataOf(await gql(t.graphqlUrl, `{ __schema { ${typenames(30, (i) => `s${i}`)} } }`, {}, a.token));
      expect(under).toEqual({ __schema: expect.objectContaining({ s0: '__Schema', s29: '__Schema' }) });
    });
  });

  describe('as production boots (NODE_ENV=production)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(PRODUCTION);
    });
    afterAll(async () => t?.close());

    it('fails no MUST of the audit (utf-8 requests and a {variables} map were refused with introspection off)', async () => {
      expect((await audit(t.graphqlUrl, 'NODE_ENV=production')).map((r) => r.name)).toEqual([]);
    });

    it('keeps introspection off: __schema and a __type that selects more than its name are refused, over HTTP and WebSocket', async () => {
      const token = adminToken({ tenantId: newTenantId(), secret: PRODUCTION.AUTH_JWT_SECRET });
      const refused = [
        '{ __schema { types { name } } }',
        '{ __type(name: "Endpoint") { fields { name } } }',
        '{ __type(name: "Endpoint") { ...T } } fragment T on __Type { name }',
        'query { ...Q } fragment Q on Query { __schema { queryType { name } } }',
      ];
      for (const query of refused) {
        const res = await gql(t.graphqlUrl, query, {}, token);
        expect([query, res.status, res.errors?.[0]?.extensions?.code]).toEqual([
          query,
          400,
          'GRAPHQL_VALIDATION_FAILED',
        ]);
        expect(res.errors?.[0]?.message).toMatch(/introspection is not allowed in production/);
        expect(JSON.stringify(res)).not.toMatch(/"fields"|queryType|"Query"/);
      }
      const live = subscribe(t.wsUrl, token, '{ __schema { types { name } } }');
      await waitUntil(async () => live.errors.length > 0 || null, 10_000, 20);
      expect(JSON.stringify(live.errors)).toMatch(/introspection is not allowed in production/);
      expect(live.events).toEqual([]);
      await live.close();
      // Positive control: a __type that only echoes the name it was given is answered (null for an unknown type).
      const echo = await gql(
        t.graphqlUrl,
        'query($n: String!) { a: __type(name: $n) { name } b: __type(name: "Nope") { name __typename } }',
        { n: 'Endpoint' },
        token,
      );
      expect(dataOf(echo)).toEqual({ a: { name: 'Endpoint' }, b: null });
    });
  });
});
