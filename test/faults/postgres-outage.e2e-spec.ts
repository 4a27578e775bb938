import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPg, startEmbeddedPostgres } from '../../scripts/dev-services';
import { ensureDatabaseExists } from '../../src/database/data-source';
import { runMigrations } from '../../src/database/migrate';
import { dataOf, gql } from '../support/graphql-client';
import { AppProcess, freePort, startAppProcess } from '../support/processes';
import { Receiver, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
const order = (id: string) => ({ eventType: 'order.created', payload: { order: { id, status: 'paid', currency: 'USD', total: 1, line_items: [{ sku: 'SKU-1', quantity: 1 }] } } });

/**
 * Fault scenario 4: Postgres stopped hard (SIGQUIT, as `pg_ctl stop -m immediate`) during a publish burst.
 * publishEvent must never answer success for what was not committed; everything committed is delivered once
 * Postgres is back; /health is 503 meanwhile. Uses a private Postgres, never the machine's shared one.
 */
describe('fault: Postgres stopped during a publish burst', () => {
  let dir: string;
  let pg: EmbeddedPg;
  let app: AppProcess | undefined;
  let receiver: Receiver;

  afterAll(async () => {
    await app?.kill('SIGKILL');
    await receiver?.close();
    await pg?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers errors (never success) while Postgres is down and delivers everything committed once it returns', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookline-pg-'));
    const port = await freePort();
    pg = await startEmbeddedPostgres(dir, port, () => undefined);
    const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${port}/hookline_fault`;
    await ensureDatabaseExists(databaseUrl);
    await runMigrations(databaseUrl);

    receiver = await Receiver.start();
    app = await startAppProcess('all', { DATABASE_URL: databaseUrl, QUEUE_PREFIX: `pgout${Date.now().toString(36)}` });
    const graphql = `${app.url}/graphql`;
    const token = adminToken({ tenantId: newTenantId() });
    dataOf(await gql(graphql, 'mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } } }', { input: { url: receiver.url } }, token));

    const acknowledged: string[] = [];
    let refused = 0;
    const publishOne = async (n: number): Promise<void> => {
      const res = await gql(graphql, PUBLISH, { input: order(`pg-${n}`) }, token).catch(() => null);
      if (res?.data?.publishEvent?.id) acknowledged.push(res.data.publishEvent.id);
      else refused += 1;
    };

    for (let n = 0; n < 20; n++) await publishOne(n);
    const postmasterPid = Number(readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmasterPid, 'SIGQUIT');
    await waitUntil(async () => (await fetch(`${app?.url}/health`)).status === 503, 15_000, 200);
    const health = await (await fetch(`${app.url}/health`)).json();
    expect(health).toMatchObject({ status: 'unavailable', postgres: 'down' });

    const before = acknowledged.length;
    for (let n = 20; n < 35; n++) await publishOne(n);
    expect(acknowledged.length).toBe(before); // nothing acknowledged while Postgres is down
    expect(refused).toBeGreaterThanOrEqual(15);

    await pg.start();
    await waitUntil(async () => (await fetch(`${app?.url}/health`)).status === 200, 30_000, 250);
    for (let n = 35; n < 50; n++) await publishOne(n);
    expect(acknowledged.length).toBeGreaterThanOrEqual(before + 10);

    // Every acknowledged event reaches the receiver, and no delivery is left unfinished.
    await waitUntil(async () => {
      const got = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
      return acknowledged.every((id) => got.has(id));
    }, 60_000, 250);
    const counts = dataOf(await gql(graphql, '{ deliveryStats { total succeeded pending failed } }', {}, token)).deliveryStats;
    await waitUntil(async () => dataOf(await gql(graphql, '{ deliveryStats { pending } }', {}, token)).deliveryStats.pending === 0, 30_000, 250);
    expect(counts.failed).toBe(0);
    expect(counts.total).toBeGreaterThanOrEqual(acknowledged.length);
  }, 240_000);
});
