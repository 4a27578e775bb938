import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { ensureDatabaseExists } from '../../src/database/data-source';
import { runMigrations } from '../../src/database/migrate';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, gql, GqlResponse } from '../support/graphql-client';
import { startAppProcess } from '../support/processes';
import { ReceivedRequest, Receiver, ReceiverPool, waitUntil } from '../support/receiver';
import { applyTestEnv } from '../support/test-env';
import { adminToken, newTenantId } from '../support/tokens';

/**
 * Key rotation against the real stack: secrets sealed under key A keep signing once B is added, a key removed too
 * early fails its endpoint's deliveries by name while the others deliver, `secrets:reencrypt` (the real CLI, as a
 * child process) resumes an interrupted run and moves every secret to B, and then the service runs on B alone.
 * The spec has a database of its own, so "every secret row carries B's id" is about rows it made.
 */

const CREATE_ENDPOINT = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`;
const CREATE_REGISTRATION = `mutation($input: CreateWebhookRegistrationInput!) { createWebhookRegistration(input: $input) { secret registration { id endpoints { id url } } } }`;
const CREATE_INTEGRATION = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id inboundPath } }`;
const ROTATE = `mutation($id: ID!) { rotateEndpointSecret(id: $id) { secret } }`;
const REVEAL = `mutation($id: ID!) { revealEndpointSecret(id: $id) { secret previousSecret } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
const DELIVERIES = `query($eventId: ID!) { deliveries(first: 100, filter: { eventId: $eventId }) { edges { node { endpointId status attemptCount lastError } } } }`;
const ORDER = {
  order: { id: 'ord_keys', status: 'paid', currency: 'USD', total: 3, line_items: [{ sku: 'S', quantity: 1 }] },
};

interface DeliveryView {
  endpointId: string;
  status: string;
  attemptCount: number;
  lastError: string | null;
}
interface Target {
  name: string;
  endpointId: string;
  receiver: Receiver;
  /** Every secret that must verify the deliveries (each one alone). */
  secrets: string[];
}

const KEYS = { A: randomBytes(32), B: randomBytes(32), default: randomBytes(32) };
type KeyId = keyof typeof KEYS;
const ring = (...ids: KeyId[]): string => ids.map((id) => `${id}:${KEYS[id].toString('base64')}`).join(',');

/** A value as the single-key SecretBox stored it before key ids existed: `v1:` + base64(iv | tag | ciphertext). */
function legacyV1(plain: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return 'v1:' + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

function databaseUrl(name: string): string {
  applyTestEnv();
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

interface CliRun {
  code: number;
  output: string;
}

describe('encryption key rotation (real Postgres + Redis, receivers on 127.0.0.1, the real CLI)', () => {
  const dbName = `${process.env.HOOKLINE_TEST_DB ?? 'hookline_test'}_keyring`;
  const url = databaseUrl(dbName);
  const receivers = new ReceiverPool();
  const tenantId = newTenantId();
  const token = adminToken({ tenantId, permissions: ['manage_webhooks', 'reveal_webhook_secrets'] });
  let db: Client;
  let t: TestApp | null = null;
  const targets: Record<string, Target> = {};
  let integration: { id: string; inboundPath: string; secret: string };

  const shutdown = async (): Promise<void> => {
    await t?.close();
    t = null;
  };
  const boot = async (env: Record<string, string>): Promise<TestApp> => {
    await shutdown(); // one app at a time: a failed test must not leave its worker delivering under its own ring
    t = await createTestApp({ DATABASE_URL: url, SECRETS_ENCRYPTION_KEY: '', SECRETS_ENCRYPTION_KEYS: '', ...env });
    return t;
  };
  const app = (): TestApp => {
    if (!t) throw new Error('no app running');
    return t;
  };

  async function addEndpoint(name: string): Promise<Target> {
    const receiver = await receivers.start();
    const created = dataOf(await gql(app().graphqlUrl, CREATE_ENDPOINT, { input: { url: receiver.url } }, token));
    targets[name] = {
      name,
      endpointId: created.createEndpoint.endpoint.id,
      receiver,
      secrets: [created.createEndpoint.secret],
    };
    return targets[name];
  }

  async function publish(): Promise<string> {
    const res = await gql(app().graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: ORDER } }, token);
    return dataOf(res).publishEvent.id;
  }

  async function deliveriesOf(eventId: string): Promise<DeliveryView[]> {
    const res = await gql(app().graphqlUrl, DELIVERIES, { eventId }, token);
    return (dataOf(res).deliveries.edges as { node: DeliveryView }[]).map((e) => e.node);
  }

  /** Waits until every delivery of the event is final, and returns them by endpoint id. */
  async function settled(eventId: string, count: number): Promise<Map<string, DeliveryView>> {
    const all = await waitUntil(async () => {
      const list = await deliveriesOf(eventId);
      return list.length === count && list.every((d) => ['SUCCEEDED', 'FAILED', 'DEAD_LETTER'].includes(d.status))
        ? list
        : null;
    }, 30_000);
    return new Map(all.map((d) => [d.endpointId, d]));
  }

  function requestOf(target: Target, eventId: string): ReceivedRequest | undefined {
    return target.receiver.requests.find((r) => r.headers['webhook-id'] === eventId);
  }

  /** The receiver's request verifies with each of the target's secrets, with the standardwebhooks package. */
  function expectVerified(target: Target, eventId: string): void {
    const req = requestOf(target, eventId);
    expect(req).toBeDefined();
    const headers = {
      'webhook-id': req!.headers['webhook-id'],
      'webhook-timestamp': req!.headers['webhook-timestamp'],
      'webhook-signature': req!.headers['webhook-signature'],
    };
    for (const secret of target.secrets)
      expect(new Webhook(secret).verify(req!.body, headers)).toMatchObject({ type: 'order.created', data: ORDER });
  }

  async function postInbound(): Promise<Response> {
    const body = JSON.stringify({ type: 'order.created', data: ORDER });
    const id = `msg_${randomUUID()}`;
    const at = new Date();
    return fetch(`${app().url}${integration.inboundPath}`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(integration.secret).sign(id, at, body),
      },
    });
  }

  /** Every stored secret value of this database, by row and column. */
  async function storedSecrets(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const endpoints = await db.query(`SELECT id, secret_encrypted, previous_secret_encrypted FROM endpoints`);
    for (const r of endpoints.rows) {
      out[`endpoints ${r.id} secret`] = r.secret_encrypted;
      if (r.previous_secret_encrypted !== null) out[`endpoints ${r.id} previous`] = r.previous_secret_encrypted;
    }
    const integrations = await db.query(`SELECT id, webhook_secret_encrypted, credentials_encrypted FROM integrations`);
    for (const r of integrations.rows) {
      if (r.webhook_secret_encrypted !== null) out[`integrations ${r.id} webhook`] = r.webhook_secret_encrypted;
      if (r.credentials_encrypted !== null) out[`integrations ${r.id} credentials`] = r.credentials_encrypted;
    }
    return out;
  }

  const keyIdsOf = (stored: Record<string, string>): string[] =>
    [...new Set(Object.values(stored).map((v) => (v.startsWith('v1:') ? 'v1' : v.split(':')[1])))].sort();

  /** `npm run cli -- secrets:reencrypt`, as a child process with its own environment. */
  function reencrypt(keyRing: string): Promise<CliRun> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [
          join(process.cwd(), 'node_modules/ts-node/dist/bin.js'),
          '--transpile-only',
          'src/cli.ts',
          'secrets:reencrypt',
        ],
        {
          cwd: process.cwd(),
          env: { ...process.env, DATABASE_URL: url, SECRETS_ENCRYPTION_KEYS: keyRing, SECRETS_ENCRYPTION_KEY: '' },
          timeout: 120_000,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({ code, output: `${stdout}${stderr}` });
        },
      );
    });
  }

  beforeAll(async () => {
    await dropDatabase(dbName);
    await ensureDatabaseExists(url);
    await runMigrations(url);
    db = new Client({ connectionString: url });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await receivers.closeAll();
    await shutdown();
    await db?.end();
    await dropDatabase(dbName);
  }, 60_000);

  it('refuses to boot on a bad key ring, naming the entry and never the key', async () => {
    const key = KEYS.A.toString('base64');
    const bad: [string, RegExp][] = [
      [`A:${key},A:${key}`, /SECRETS_ENCRYPTION_KEYS entry 2: duplicate key id "A"/],
      [`A:${key},B:${randomBytes(16).toString('base64')}`, /entry 2 \(key id "B"\): .*exactly 32 bytes \(16 bytes\)/],
      [`A:${key},${key}`, /entry 2: expected id:base64key/],
      [`bad id:${key}`, /entry 1: the key id must be/],
    ];
    for (const [keyRing, message] of bad) {
      const refused = await boot({ SECRETS_ENCRYPTION_KEYS: keyRing }).then(
        () => null,
        (error: unknown) => error as Error,
      );
      expect(refused?.message).toMatch(message);
      expect(refused?.message).not.toContain(key);
    }
    // The service as production runs it (its own process) exits at once with that line.
    const started = await startAppProcess('api', {
      DATABASE_URL: url,
      SECRETS_ENCRYPTION_KEYS: `A:${key},A:${key}`,
    }).then(
      async (p) => {
        await p.kill();
        return null;
      },
      (error: unknown) => error as Error,
    );
    expect(started?.message).toMatch(/exited early: [\s\S]*SECRETS_ENCRYPTION_KEYS entry 2: duplicate key id "A"/);
    expect(started?.message).not.toContain(key);
    // The CLI reads the same configuration: it exits non-zero with the same message and touches nothing.
    const cli = await reencrypt(`A:${key},A:${key}`);
    expect(cli.code).not.toBe(0);
    expect(cli.output).toMatch(/SECRETS_ENCRYPTION_KEYS entry 2: duplicate key id "A"/);
    expect(cli.output).not.toContain(key);
    expect(await storedSecrets()).toEqual({});
  }, 180_000);

  it('secrets made under the single key and under key A still sign after B is added (ring "B,A,default")', async () => {
    // Before key ids: one SECRETS_ENCRYPTION_KEY (key id "default"), and a row as the old code stored it (v1:).
    await boot({ SECRETS_ENCRYPTION_KEY: KEYS.default.toString('base64') });
    const legacy = await addEndpoint('legacy');
    await db.query(`UPDATE endpoints SET secret_encrypted = $1 WHERE id = $2`, [
      legacyV1(legacy.secrets[0], KEYS.default),
      legacy.endpointId,
    ]);
    await shutdown();

    // The ring "A,default": new secrets under A.
    await boot({ SECRETS_ENCRYPTION_KEYS: ring('A', 'default') });
    await addEndpoint('underA');
    await addEndpoint('removedKey'); // its key will be missing in the next test
    const registrationReceiver = await receivers.start();
    const reg = dataOf(
      await gql(
        app().graphqlUrl,
        CREATE_REGISTRATION,
        { input: { urls: [registrationReceiver.url], eventTypes: ['order.created'] } },
        token,
      ),
    ).createWebhookRegistration;
    targets.registration = {
      name: 'registration',
      endpointId: reg.registration.endpoints[0].id,
      receiver: registrationReceiver,
      secrets: [reg.secret],
    };
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const created = dataOf(
      await gql(
        app().graphqlUrl,
        CREATE_INTEGRATION,
        { input: { provider: 'generic', name: 'keys', webhookSecret: secret, credentials: { apiKey: 'k-123' } } },
        token,
      ),
    ).createIntegration;
    integration = { ...created, secret };
    await shutdown();

    // B added in front: it seals what is new; A and default still open what they sealed.
    await boot({ SECRETS_ENCRYPTION_KEYS: ring('B', 'A', 'default') });
    await addEndpoint('underB');
    const stored = await storedSecrets();
    expect(stored[`endpoints ${targets.legacy.endpointId} secret`]).toMatch(/^v1:/);
    expect(stored[`endpoints ${targets.underA.endpointId} secret`]).toMatch(/^v2:A:/);
    expect(stored[`endpoints ${targets.registration.endpointId} secret`]).toMatch(/^v2:A:/);
    expect(stored[`integrations ${integration.id} webhook`]).toMatch(/^v2:A:/);
    expect(stored[`integrations ${integration.id} credentials`]).toMatch(/^v2:A:/);
    expect(stored[`endpoints ${targets.underB.endpointId} secret`]).toMatch(/^v2:B:/);

    const eventId = await publish();
    const byEndpoint = await settled(eventId, Object.keys(targets).length);
    for (const target of Object.values(targets)) {
      expect(byEndpoint.get(target.endpointId)).toMatchObject({ status: 'SUCCEEDED', attemptCount: 1 });
      expectVerified(target, eventId);
    }
    expect((await postInbound()).status).toBe(202); // the integration's secret, under A, still verifies callbacks
    await shutdown();
  }, 180_000);

  it('a secret whose key was removed: its delivery is FAILED naming the key id, the others deliver', async () => {
    // Ring "B,default": A removed before re-encryption. underA and removedKey and the registration lose their key.
    await boot({ SECRETS_ENCRYPTION_KEYS: ring('B', 'default') });
    const before = await storedSecrets();
    const eventId = await publish();
    const byEndpoint = await settled(eventId, Object.keys(targets).length);
    for (const name of ['underA', 'removedKey', 'registration']) {
      const delivery = byEndpoint.get(targets[name].endpointId);
      expect(delivery).toMatchObject({ status: 'FAILED', attemptCount: 1 });
      expect(delivery?.lastError).toMatch(/^SECRET_KEY_MISSING: .*key id "A".*not in SECRETS_ENCRYPTION_KEYS/);
      expect(requestOf(targets[name], eventId)).toBeUndefined(); // nothing was sent unsigned
    }
    // Positive control: the endpoints whose keys are in the ring deliver, and verify, in the same run.
    for (const name of ['legacy', 'underB']) {
      expect(byEndpoint.get(targets[name].endpointId)).toMatchObject({ status: 'SUCCEEDED' });
      expectVerified(targets[name], eventId);
    }

    // Revealing such a secret gives the same clear error; a secret whose key is there reveals.
    const refused: GqlResponse<unknown> = await gql(app().graphqlUrl, REVEAL, { id: targets.underA.endpointId }, token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'UNPROCESSABLE',
      reason: 'SECRET_KEY_MISSING',
      reasonCode: 'SECRET_KEY_MISSING',
      keyId: 'A',
    });
    expect(refused.errors?.[0]?.message).toMatch(/key id "A"/);
    const revealed = dataOf(await gql(app().graphqlUrl, REVEAL, { id: targets.underB.endpointId }, token));
    expect(revealed.revealEndpointSecret.secret).toBe(targets.underB.secrets[0]);

    // An inbound callback of an integration whose secret lost its key: refused with the same reason, not a 500.
    const inbound = await postInbound();
    expect(inbound.status).toBe(422);
    expect(((await inbound.json()) as { error: Record<string, unknown> }).error).toMatchObject({
      reasonCode: 'SECRET_KEY_MISSING',
      keyId: 'A',
    });
    expect(await storedSecrets()).toEqual(before);
    await shutdown();
  }, 180_000);

  it('secrets:reencrypt with a key missing from the ring fails, naming the key ids, and changes nothing', async () => {
    const before = await storedSecrets();
    const run = await reencrypt(ring('B'));
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(
      /re-encryption incomplete: .*secret\(s\) under key id "A", which is not in SECRETS_ENCRYPTION_KEYS/,
    );
    expect(run.output).toMatch(/secret\(s\) under key id "default"/);
    expect(run.output).not.toContain(KEYS.A.toString('base64'));
    expect(run.output).not.toContain(KEYS.B.toString('base64'));
    expect(await storedSecrets()).toEqual(before);
    const failed = await db.query(`SELECT status, error FROM tracked_jobs WHERE type = 'secrets.reencrypt'`);
    expect(failed.rows).toEqual([{ status: 'FAILED', error: expect.stringMatching(/key id "A"/) }]);
  }, 180_000);

  it('resumes an interrupted run: the rerun finishes the rest, without redoing what was done', async () => {
    // The partial state an interrupted run leaves: some rows already on B, a job RUNNING with its progress.
    await boot({ SECRETS_ENCRYPTION_KEYS: ring('B', 'A', 'default') });
    const rotated = dataOf(await gql(app().graphqlUrl, ROTATE, { id: targets.legacy.endpointId }, token));
    targets.legacy.secrets.push(rotated.rotateEndpointSecret.secret); // current under B, previous (v1) in grace
    await shutdown();
    const interrupted = await db.query(
      `INSERT INTO tracked_jobs (tenant_id, type, status, progress, total, params, started_at)
       VALUES ('platform', 'secrets.reencrypt', 'RUNNING', 1, 6, '{}', now() - interval '1 minute') RETURNING id`,
    );
    const jobId: string = interrupted.rows[0].id;
    const before = await storedSecrets();
    const onB = Object.entries(before).filter(([, v]) => v.startsWith('v2:B:'));
    const pending = Object.entries(before).length - onB.length;
    expect(onB.length).toBeGreaterThan(0);
    expect(pending).toBeGreaterThan(0);

    const run = await reencrypt(ring('B', 'A', 'default'));
    expect(run.output).toContain(`resuming tracked job ${jobId}`);
    expect(run.output).toMatch(/progress \d+\/\d+/);
    expect(run.code).toBe(0);

    const after = await storedSecrets();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(keyIdsOf(after)).toEqual(['B']); // every secret row now carries B's id
    for (const [where, value] of onB) expect(after[where]).toBe(value); // what was done is not redone
    const job = await db.query(`SELECT status, progress, total, result FROM tracked_jobs WHERE id = $1`, [jobId]);
    expect(job.rows[0]).toMatchObject({ status: 'COMPLETED', result: { currentKeyId: 'B' } });
    expect(job.rows[0].progress).toBe(job.rows[0].total);
    expect(job.rows[0].progress).toBeGreaterThan(1); // carried on from the interrupted run's progress

    // A third run finds nothing to do and changes nothing.
    const again = await reencrypt(ring('B', 'A', 'default'));
    expect(again.code).toBe(0);
    expect(again.output).toContain('started tracked job');
    expect(again.output).toContain('progress 0/0');
    expect(await storedSecrets()).toEqual(after);
  }, 300_000);

  it('after re-encryption the service boots with B alone, and every delivery verifies', async () => {
    await boot({ SECRETS_ENCRYPTION_KEYS: ring('B') });
    const eventId = await publish();
    const byEndpoint = await settled(eventId, Object.keys(targets).length);
    for (const target of Object.values(targets)) {
      expect(byEndpoint.get(target.endpointId)).toMatchObject({ status: 'SUCCEEDED', attemptCount: 1 });
      expectVerified(target, eventId); // the rotated endpoint: with its new secret and with the previous one
    }
    const revealed = dataOf(await gql(app().graphqlUrl, REVEAL, { id: targets.underA.endpointId }, token));
    expect(revealed.revealEndpointSecret.secret).toBe(targets.underA.secrets[0]);
    expect((await postInbound()).status).toBe(202);
    const keyIds = await db.query(
      `SELECT DISTINCT split_part(v, ':', 1) || ':' || split_part(v, ':', 2) AS k FROM (
         SELECT secret_encrypted AS v FROM endpoints UNION ALL SELECT previous_secret_encrypted FROM endpoints
         UNION ALL SELECT webhook_secret_encrypted FROM integrations UNION ALL SELECT credentials_encrypted FROM integrations
       ) s WHERE v IS NOT NULL`,
    );
    expect(keyIds.rows).toEqual([{ k: 'v2:B' }]);
    await shutdown();
  }, 180_000);
});
