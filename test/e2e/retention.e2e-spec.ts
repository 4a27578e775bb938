/**
 * Retention: the sweep (worker role, every RETENTION_INTERVAL_MS) deletes what is past each tenant's policy, and never
 * what is unfinished; a tenant's own policy overrides the defaults; the policy is admin-only and audited; a large
 * backlog goes in bounded statements while publishing keeps answering.
 *
 * Rows are backdated with SQL (the only way to be 40 days old in a test). The reconciler and the inbound sweeper are
 * slowed to once in ten minutes here, so that nothing but the retention sweep touches the backdated rows: a PENDING
 * row stays PENDING, a HELD one HELD, for as long as the test looks at them.
 */
import { DataSource } from 'typeorm';
import { AdvisoryLock } from '../../src/common/advisory-lock';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, errorCode, gql } from '../support/graphql-client';
import { ReceiverPool, waitUntil } from '../support/receiver';
import { adminToken, tenant, Tenant } from '../support/tokens';

const POLICY = `query { retentionPolicy { deliveriesDays inboundEventsDays auditLogDays } }`;
const UPDATE = `mutation($input: RetentionPolicyInput!) {
  updateRetentionPolicy(input: $input) { deliveriesDays inboundEventsDays auditLogDays } }`;
const CREATE_ENDPOINT = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } } }`;
const CREATE_INTEGRATION = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
const DEFAULTS = { deliveriesDays: 30, inboundEventsDays: 30, auditLogDays: 365 };
const BATCH = 5_000;
const ORDER = {
  order: {
    id: 'ord_1',
    status: 'paid',
    currency: 'USD',
    total: 10,
    line_items: [{ sku: 'S', quantity: 1, price: 10 }],
  },
};

describe('retention', () => {
  let t: TestApp;
  let db: DataSource;
  const receivers = new ReceiverPool();

  beforeAll(async () => {
    t = await createTestApp({
      RETENTION_INTERVAL_MS: '1000',
      RETENTION_BATCH_SIZE: String(BATCH),
      RECONCILE_INTERVAL_MS: '600000',
    });
    db = t.app.get(DataSource);
  }, 60_000);
  afterAll(async () => {
    await receivers.closeAll();
    await t?.close();
  });

  /** One sample of the /metrics text: `name{label="value"}` → number. */
  async function metric(name: string, label?: string): Promise<number> {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    const key = label ? `${name}{${label}}` : name;
    const line = text.split('\n').find((l) => l.startsWith(`${key} `));
    return line ? Number(line.slice(key.length + 1)) : NaN;
  }
  const completedSweeps = () => metric('hookline_retention_sweeps_total', 'outcome="completed"');

  /** Two sweeps completed from now: at least one of them started after everything before this call. */
  async function afterAFullSweep(): Promise<void> {
    const start = await completedSweeps();
    await waitUntil(async () => (await completedSweeps()) >= start + 2, 60_000, 100);
  }

  async function endpointOf(who: Tenant): Promise<string> {
    const receiver = await receivers.start();
    const input = { url: receiver.url, eventTypes: ['order.created'] };
    return dataOf(await gql(t.graphqlUrl, CREATE_ENDPOINT, { input }, who.token)).createEndpoint.endpoint.id as string;
  }

  async function integrationOf(who: Tenant): Promise<string> {
    const input = { provider: 'faire', name: 'retention', webhookSecret: 'retention-secret' };
    return dataOf(await gql(t.graphqlUrl, CREATE_INTEGRATION, { input }, who.token)).createIntegration.id as string;
  }

  async function event(who: Tenant, daysAgo: number): Promise<string> {
    const [row] = await db.query(
      `INSERT INTO events (tenant_id, event_type, payload, created_at)
       VALUES ($1, 'order.created', '{}', now() - make_interval(days => $2)) RETURNING id`,
      [who.id, daysAgo],
    );
    return row.id as string;
  }

  /** A delivery that last changed `daysAgo` (a final one became final then); non-final ones are not due for a day. */
  async function delivery(who: Tenant, endpointId: string, eventId: string, status: string, daysAgo: number) {
    const [row] = await db.query(
      `INSERT INTO deliveries (tenant_id, endpoint_id, event_id, event_type, status, payload, next_attempt_at,
                               created_at, updated_at)
       VALUES ($1, $2, $3, 'order.created', $4, '{}', CASE WHEN $4 IN ('PENDING','RETRYING','IN_FLIGHT')
               THEN now() + interval '1 day' END, now() - make_interval(days => $5), now() - make_interval(days => $5))
       RETURNING id`,
      [who.id, endpointId, eventId, status, daysAgo],
    );
    await db.query(
      `INSERT INTO delivery_attempts (delivery_id, tenant_id, endpoint_id, attempt_number, started_at, success)
       VALUES ($1, $2, $3, 1, now() - make_interval(days => $4), false)`,
      [row.id, who.id, endpointId, daysAgo],
    );
    return row.id as string;
  }

  async function inbound(who: Tenant, integrationId: string, status: string, daysAgo: number): Promise<string> {
    const [row] = await db.query(
      `INSERT INTO inbound_events (tenant_id, integration_id, provider, event_code, status, json_data, received_at,
                                   updated_at)
       VALUES ($1, $2, 'faire', 'orders.created', $3, '{}', now() - make_interval(days => $4),
               now() - make_interval(days => $4)) RETURNING id`,
      [who.id, integrationId, status, daysAgo],
    );
    return row.id as string;
  }

  async function audit(who: Tenant, daysAgo: number): Promise<string> {
    const [row] = await db.query(
      `INSERT INTO audit_logs (tenant_id, action, actor_type, actor_id, target_type, created_at)
       VALUES ($1, 'endpoint.created', 'user', 'someone', 'endpoint', now() - make_interval(days => $2)) RETURNING id`,
      [who.id, daysAgo],
    );
    return row.id as string;
  }

  async function idempotencyKey(who: Tenant, key: string, expiresInMinutes: number): Promise<void> {
    await db.query(
      `INSERT INTO idempotency_keys (tenant_id, operation, key, fingerprint, state, expires_at)
       VALUES ($1, 'createEndpoint', $2, 'f', 'completed', now() + make_interval(mins => $3))`,
      [who.id, key, expiresInMinutes],
    );
  }

  /** Which of these ids are still in the table. */
  async function present(table: string, ids: string[]): Promise<string[]> {
    const rows = (await db.query(`SELECT id FROM ${table} WHERE id = ANY($1)`, [ids])) as { id: string }[];
    return ids.filter((id) => rows.some((r) => r.id === id));
  }

  it('removes what is past the policy and keeps what is unfinished, HELD or PENDING, however old', async () => {
    const a = tenant();
    const endpointId = await endpointOf(a);
    const integrationId = await integrationOf(a);

    // Past the 30 days, finished: all of these go (with their attempts), and the events left with no delivery.
    const doneEvent = await event(a, 40);
    const gone = {
      deliveries: [
        await delivery(a, endpointId, doneEvent, 'SUCCEEDED', 40),
        await delivery(a, endpointId, doneEvent, 'FAILED', 40),
        await delivery(a, endpointId, doneEvent, 'DEAD_LETTER', 40),
      ],
      events: [doneEvent, await event(a, 40)],
      inbound: [
        await inbound(a, integrationId, 'PROCESSED', 40),
        await inbound(a, integrationId, 'FAILED', 40),
        await inbound(a, integrationId, 'SKIPPED', 40),
      ],
      audit: [await audit(a, 400)],
    };
    // Just as old, but not finished: all of these stay, and so do the events they belong to.
    const waitingEvent = await event(a, 40);
    const heldEvent = await event(a, 40);
    const kept = {
      deliveries: [
        await delivery(a, endpointId, waitingEvent, 'PENDING', 40),
        await delivery(a, endpointId, waitingEvent, 'RETRYING', 40),
        await delivery(a, endpointId, waitingEvent, 'IN_FLIGHT', 40),
        await delivery(a, endpointId, heldEvent, 'HELD', 40),
      ],
      events: [waitingEvent, heldEvent],
      inbound: [await inbound(a, integrationId, 'PENDING', 40), await inbound(a, integrationId, 'PROCESSING', 40)],
    };
    // Finished but within the policy: stays. Its event is old, but deleting it would take a live delivery along.
    const recentEvent = await event(a, 40);
    const recent = {
      deliveries: [await delivery(a, endpointId, recentEvent, 'SUCCEEDED', 29)],
      events: [recentEvent, await event(a, 29)],
      inbound: [await inbound(a, integrationId, 'PROCESSED', 29)],
      audit: [await audit(a, 364)],
    };
    await idempotencyKey(a, 'expired', -1);
    await idempotencyKey(a, 'live', 60);
    const attemptsOf = async (ids: string[]) =>
      Number((await db.query('SELECT count(*) FROM delivery_attempts WHERE delivery_id = ANY($1)', [ids]))[0].count);
    expect(await attemptsOf(gone.deliveries)).toBe(3);
    const removedBefore = await metric('hookline_retention_deleted_rows_total', 'table="deliveries"');

    await afterAFullSweep();

    expect(await present('deliveries', gone.deliveries)).toEqual([]);
    expect(await attemptsOf(gone.deliveries)).toBe(0);
    expect(await present('events', gone.events)).toEqual([]);
    expect(await present('inbound_events', gone.inbound)).toEqual([]);
    expect(await present('audit_logs', gone.audit)).toEqual([]);
    const keys = await db.query('SELECT key FROM idempotency_keys WHERE tenant_id = $1', [a.id]);
    expect(keys.map((k: { key: string }) => k.key)).toEqual(['live']);

    expect(await present('deliveries', kept.deliveries)).toEqual(kept.deliveries);
    const statuses = await db.query('SELECT status FROM deliveries WHERE id = ANY($1) ORDER BY status', [
      kept.deliveries,
    ]);
    expect(statuses.map((s: { status: string }) => s.status)).toEqual(['HELD', 'IN_FLIGHT', 'PENDING', 'RETRYING']);
    expect(await attemptsOf(kept.deliveries)).toBe(4);
    expect(await present('events', kept.events)).toEqual(kept.events);
    expect(await present('inbound_events', kept.inbound)).toEqual(kept.inbound);

    expect(await present('deliveries', recent.deliveries)).toEqual(recent.deliveries);
    expect(await present('events', recent.events)).toEqual(recent.events);
    expect(await present('inbound_events', recent.inbound)).toEqual(recent.inbound);
    expect(await present('audit_logs', recent.audit)).toEqual(recent.audit);

    // The counter saw them go.
    expect(await metric('hookline_retention_deleted_rows_total', 'table="deliveries"')).toBeGreaterThanOrEqual(
      removedBefore + 3,
    );
  }, 120_000);

  it("a tenant's own policy overrides the defaults; another tenant on the defaults keeps the same rows", async () => {
    const own = tenant();
    const byDefault = tenant();
    const set = await gql(
      t.graphqlUrl,
      UPDATE,
      { input: { deliveriesDays: 2, inboundEventsDays: 3, auditLogDays: 5 } },
      own.token,
    );
    expect(dataOf(set).updateRetentionPolicy).toEqual({ deliveriesDays: 2, inboundEventsDays: 3, auditLogDays: 5 });
    expect(dataOf(await gql(t.graphqlUrl, POLICY, {}, own.token)).retentionPolicy).toEqual({
      deliveriesDays: 2,
      inboundEventsDays: 3,
      auditLogDays: 5,
    });
    expect(dataOf(await gql(t.graphqlUrl, POLICY, {}, byDefault.token)).retentionPolicy).toEqual(DEFAULTS);

    // The same rows, ten days old, for both tenants.
    const rowsOf = async (who: Tenant) => {
      const endpointId = await endpointOf(who);
      const integrationId = await integrationOf(who);
      const eventId = await event(who, 10);
      return {
        deliveries: [await delivery(who, endpointId, eventId, 'SUCCEEDED', 10)],
        events: [eventId],
        inbound: [await inbound(who, integrationId, 'PROCESSED', 10)],
        audit: [await audit(who, 10)],
        // Within even the short policy: stays for both.
        young: [await delivery(who, endpointId, await event(who, 1), 'SUCCEEDED', 1)],
      };
    };
    const mine = await rowsOf(own);
    const theirs = await rowsOf(byDefault);

    await afterAFullSweep();

    expect(await present('deliveries', mine.deliveries)).toEqual([]);
    expect(await present('events', mine.events)).toEqual([]);
    expect(await present('inbound_events', mine.inbound)).toEqual([]);
    expect(await present('audit_logs', mine.audit)).toEqual([]);
    expect(await present('deliveries', mine.young)).toEqual(mine.young);

    expect(await present('deliveries', theirs.deliveries)).toEqual(theirs.deliveries);
    expect(await present('events', theirs.events)).toEqual(theirs.events);
    expect(await present('inbound_events', theirs.inbound)).toEqual(theirs.inbound);
    expect(await present('audit_logs', theirs.audit)).toEqual(theirs.audit);
    expect(await present('deliveries', theirs.young)).toEqual(theirs.young);

    // The change itself is audited (and recent, so kept), with what it was before.
    const [entry] = await db.query(
      `SELECT actor_type, actor_id, target_type, target_id, metadata FROM audit_logs
        WHERE tenant_id = $1 AND action = 'retention_policy.updated'`,
      [own.id],
    );
    expect(entry).toMatchObject({ actor_type: 'user', target_type: 'tenant', target_id: own.id });
    expect(entry.metadata).toMatchObject({
      before: DEFAULTS,
      after: { deliveriesDays: 2, inboundEventsDays: 3, auditLogDays: 5 },
    });

    // null puts a field back to the default; absent fields stay.
    const reset = await gql(t.graphqlUrl, UPDATE, { input: { deliveriesDays: null } }, own.token);
    expect(dataOf(reset).updateRetentionPolicy).toEqual({ deliveriesDays: 30, inboundEventsDays: 3, auditLogDays: 5 });
  }, 120_000);

  it('refuses 0 and 100,000 days, an empty update and an API key, and changes nothing', async () => {
    const who = tenant();
    dataOf(await gql(t.graphqlUrl, UPDATE, { input: { auditLogDays: 100 } }, who.token));
    const policy = { ...DEFAULTS, auditLogDays: 100 };
    const auditCount = async () =>
      Number(
        (
          await db.query(
            `SELECT count(*) FROM audit_logs WHERE tenant_id = $1 AND action = 'retention_policy.updated'`,
            [who.id],
          )
        )[0].count,
      );
    expect(await auditCount()).toBe(1);

    for (const [input, field] of [
      [{ deliveriesDays: 0 }, 'input.deliveriesDays'],
      [{ inboundEventsDays: 100_000 }, 'input.inboundEventsDays'],
      [{ deliveriesDays: 7, auditLogDays: -3 }, 'input.auditLogDays'],
      [{ auditLogDays: 3651 }, 'input.auditLogDays'],
    ] as const) {
      const res = await gql(t.graphqlUrl, UPDATE, { input }, who.token);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions).toMatchObject({
        field,
        reasonCode: 'RETENTION_DAYS_OUT_OF_RANGE',
        min: 1,
        max: 3650,
      });
      expect(String(res.errors?.[0].extensions?.reason)).toContain('from 1 to 3650');
      expect(res.data ?? null).toBeNull();
    }
    const empty = await gql(t.graphqlUrl, UPDATE, { input: {} }, who.token);
    expect(errorCode(empty)).toBe('BAD_USER_INPUT');
    expect(empty.errors?.[0].extensions?.reasonCode).toBe('RETENTION_POLICY_EMPTY');

    const key = dataOf(
      await gql(t.graphqlUrl, CREATE_KEY, { input: { name: 'ci', permissions: ['manage_webhooks'] } }, who.token),
    ).createApiKey.key as string;
    const byKey = await gql(t.graphqlUrl, UPDATE, { input: { deliveriesDays: 7 } }, key);
    expect(errorCode(byKey)).toBe('FORBIDDEN');
    expect(byKey.errors?.[0].extensions?.reasonCode).toBe('ADMIN_ONLY');
    // A JWT without manage_webhooks may not either.
    const reader = adminToken({ tenantId: who.id, permissions: ['read_webhooks'] });
    expect(errorCode(await gql(t.graphqlUrl, UPDATE, { input: { deliveriesDays: 7 } }, reader))).toBe('FORBIDDEN');

    // Nothing changed, nothing audited; the API key and a reader may still read the policy.
    expect(dataOf(await gql(t.graphqlUrl, POLICY, {}, who.token)).retentionPolicy).toEqual(policy);
    expect(dataOf(await gql(t.graphqlUrl, POLICY, {}, key)).retentionPolicy).toEqual(policy);
    expect(dataOf(await gql(t.graphqlUrl, POLICY, {}, reader)).retentionPolicy).toEqual(policy);
    expect(await auditCount()).toBe(1);
    expect(errorCode(await gql(t.graphqlUrl, POLICY, {}))).toBe('UNAUTHENTICATED');
  }, 60_000);

  it('sweeps only while it holds the advisory lock: another holder (another process) makes it skip', async () => {
    const who = tenant();
    const endpointId = await endpointOf(who);
    const old = await delivery(who, endpointId, await event(who, 40), 'SUCCEEDED', 1);
    const holder = db.createQueryRunner();
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [AdvisoryLock.RetentionSweep]);
      await db.query(`UPDATE deliveries SET updated_at = now() - interval '40 days' WHERE id = $1`, [old]);
      const skipped = await metric('hookline_retention_sweeps_total', 'outcome="skipped"');
      const completed = await completedSweeps();
      await waitUntil(
        async () => (await metric('hookline_retention_sweeps_total', 'outcome="skipped"')) >= skipped + 2,
        30_000,
        100,
      );
      // While another session holds the lock: no sweep completes here, and the old delivery stays.
      expect(await completedSweeps()).toBe(completed);
      expect(await present('deliveries', [old])).toEqual([old]);
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1)', [AdvisoryLock.RetentionSweep]);
      await holder.release();
    }
    await afterAFullSweep();
    expect(await present('deliveries', [old])).toEqual([]);
  }, 120_000);

  it('sweeps 200,000 backdated deliveries in bounded batches while publishing keeps answering', async () => {
    const who = tenant();
    const endpointId = await endpointOf(who);
    const publish = async (): Promise<number> => {
      const started = performance.now();
      const res = await gql(
        t.graphqlUrl,
        PUBLISH,
        { input: { eventType: 'order.created', payload: ORDER } },
        who.token,
      );
      const ms = performance.now() - started;
      expect(dataOf(res).publishEvent.id).toEqual(expect.any(String));
      return ms;
    };
    const baseline: number[] = [];
    for (let i = 0; i < 20; i++) baseline.push(await publish());

    const oldRows = async () =>
      Number(
        (
          await db.query(
            `SELECT count(*) FROM deliveries WHERE tenant_id = $1 AND updated_at < now() - interval '30 days'`,
            [who.id],
          )
        )[0].count,
      );
    const statementsBefore = await metric('hookline_retention_statements_total', 'table="deliveries"');
    const rowsBefore = await metric('hookline_retention_deleted_rows_total', 'table="deliveries"');
    const attemptsBefore = await metric('hookline_retention_deleted_rows_total', 'table="delivery_attempts"');
    const inserted = performance.now();
    // One statement, the event with its deliveries: an old event alone would be swept before they arrive.
    const [{ id: eventId }] = (await db.query(
      `WITH e AS (
         INSERT INTO events (tenant_id, event_type, payload, created_at)
         VALUES ($1, 'order.created', '{}', now() - interval '40 days') RETURNING id),
       d AS (
         INSERT INTO deliveries (tenant_id, endpoint_id, event_id, event_type, status, attempt_count, payload,
                                 created_at, updated_at)
         SELECT $1, $2, e.id, 'order.created', 'SUCCEEDED', 1, '{"n":1}', now() - interval '40 days',
                now() - interval '40 days' - make_interval(secs => g)
           FROM e, generate_series(1, 200000) g
         RETURNING id),
       a AS (
         INSERT INTO delivery_attempts (delivery_id, tenant_id, endpoint_id, attempt_number, started_at, success,
                                        response_status)
         SELECT id, $1, $2, 1, now() - interval '40 days', true, 200
           FROM (SELECT id, row_number() OVER () AS n FROM d) x WHERE n % 4 = 0)
       SELECT id FROM e`,
      [who.id, endpointId],
    )) as { id: string }[];
    const insertMs = performance.now() - inserted;

    // Publish while the sweep runs; between publishes, look at how many old rows are left (committed state).
    const during: number[] = [];
    const seenLeft = new Set<number>();
    const sweepStarted = await waitUntil(async () => (await oldRows()) < 200_000 && performance.now(), 60_000, 20);
    for (;;) {
      const left = await oldRows();
      if (left === 0) break;
      seenLeft.add(left);
      during.push(await publish());
    }
    const sweepMs = performance.now() - sweepStarted;
    await afterAFullSweep(); // the sweep that emptied it has reported
    const after: number[] = [];
    for (let i = 0; i < 20; i++) after.push(await publish());

    // Several statements, each at most one batch: every state in between was a multiple of the batch size.
    const statements = (await metric('hookline_retention_statements_total', 'table="deliveries"')) - statementsBefore;
    expect(statements).toBeGreaterThanOrEqual(200_000 / BATCH);
    expect(seenLeft.size).toBeGreaterThanOrEqual(1);
    for (const left of seenLeft) expect(left % BATCH).toBe(0);
    const removed = (await metric('hookline_retention_deleted_rows_total', 'table="deliveries"')) - rowsBefore;
    expect(removed).toBeGreaterThanOrEqual(200_000);
    const attempts =
      (await metric('hookline_retention_deleted_rows_total', 'table="delivery_attempts"')) - attemptsBefore;
    expect(attempts).toBeGreaterThanOrEqual(50_000);
    // Publishing answered during the sweep (every call above succeeded), at least once while rows were left.
    expect(during.length).toBeGreaterThanOrEqual(1);
    // The event had deliveries only from before, so it went too; the fresh deliveries of the publishes stay.
    expect(await present('events', [eventId])).toEqual([]);

    const p = (xs: number[], q: number) =>
      [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
    const fmt = (xs: number[]) =>
      `n=${xs.length} p50=${p(xs, 0.5).toFixed(1)}ms p95=${p(xs, 0.95).toFixed(1)}ms max=${Math.max(...xs).toFixed(1)}ms`;
    process.stdout.write(
      `retention 200k: insert ${insertMs.toFixed(0)} ms; sweep ${sweepMs.toFixed(0)} ms from the first batch seen ` +
        `to none left; ${statements} statements; ${seenLeft.size} states in between\n` +
        `  publish before: ${fmt(baseline)}\n  publish during: ${fmt(during)}\n  publish after:  ${fmt(after)}\n`,
    );
  }, 300_000);
});
