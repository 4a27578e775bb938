/**
 * Idempotency keys are kept 24 h and then purged by a periodic task, so `idempotency_keys` stops growing.
 * An expired key is deleted and may be reused with other input; a live key stays and still answers CONFLICT.
 */
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, errorCode, gql } from '../support/graphql-client';
import { waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id url } } }`;

describe('idempotency key purge', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ RETENTION_INTERVAL_MS: '200' });
    db = t.app.get(DataSource);
  }, 60_000);
  afterAll(async () => t?.close());

  const keys = async (tenantId: string): Promise<string[]> =>
    (
      (await db.query('SELECT key FROM idempotency_keys WHERE tenant_id = $1 ORDER BY key', [tenantId])) as Array<{
        key: string;
      }>
    ).map((r) => r.key);

  it('deletes expired keys, keeps live ones, and an expired key can be used again', async () => {
    const tenantId = newTenantId();
    const token = adminToken({ tenantId });
    const create = (key: string, url: string) =>
      gql(t.graphqlUrl, CREATE, { input: { url, eventTypes: ['order.created'], idempotencyKey: key } }, token);
    dataOf(await create('old-key', 'https://hooks.example.com/a'));
    dataOf(await create('live-key', 'https://hooks.example.com/b'));
    expect(await keys(tenantId)).toEqual(['live-key', 'old-key']);

    await db.query(
      `UPDATE idempotency_keys SET expires_at = now() - interval '1 minute' WHERE tenant_id = $1 AND key = 'old-key'`,
      [tenantId],
    );
    await waitUntil(async () => (await keys(tenantId)).length === 1, 15_000, 100);
    expect(await keys(tenantId)).toEqual(['live-key']);

    // The purged key is free again: other input under it creates a new endpoint instead of CONFLICT.
    const reused = dataOf(await create('old-key', 'https://hooks.example.com/c')) as {
      createEndpoint: { endpoint: { url: string } };
    };
    expect(reused.createEndpoint.endpoint.url).toBe('https://hooks.example.com/c');
    // Control: the live key still guards its first input.
    expect(errorCode(await create('live-key', 'https://hooks.example.com/d'))).toBe('CONFLICT');
  }, 60_000);

  it('purges a backlog larger than one batch, and nothing of another tenant that is still live', async () => {
    const { IdempotencyService } = await import('../../src/common/idempotency/idempotency.service');
    const service = t.app.get(IdempotencyService);
    const stale = newTenantId();
    const live = newTenantId();
    await db.query(
      `INSERT INTO idempotency_keys (tenant_id, operation, key, fingerprint, state, expires_at)
       SELECT $1, 'createEndpoint', 'k' || g, 'f', 'completed', now() - interval '1 hour' FROM generate_series(1, 1200) g`,
      [stale],
    );
    await db.query(
      `INSERT INTO idempotency_keys (tenant_id, operation, key, fingerprint, state, expires_at)
       SELECT $1, 'createEndpoint', 'k' || g, 'f', 'completed', now() + interval '1 hour' FROM generate_series(1, 30) g`,
      [live],
    );
    // Batches of 500: more than one statement, whether this call or the periodic task takes the rows.
    await service.purgeExpired(new Date(), 500);
    expect(await keys(stale)).toEqual([]);
    expect((await keys(live)).length).toBe(30);
  }, 60_000);
});
