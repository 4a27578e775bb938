/**
 * Hookline as production runs it, from source: a database of the bench's own (migrated before anything starts),
 * and separate APP_ROLE=api and APP_ROLE=worker processes. Plus the admin token and GraphQL client to drive it.
 */
import Bull from 'bull';
import { sign } from 'jsonwebtoken';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { Agent, request } from 'undici';
import { QueueName } from '../../src/common/queue/queue.constants';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { ensureDatabaseExists } from '../../src/database/data-source';
import { runMigrations } from '../../src/database/migrate';

export const REPO_ROOT = resolve(__dirname, '..', '..');
const DATA_DIR = join(REPO_ROOT, '.data');

/** The bench's own database on the server `npm run bench` found (DATABASE_URL), or BENCH_DATABASE_URL as given. */
export function benchDatabaseUrl(name: string): string {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hookline');
  url.pathname = `/${name}`;
  return url.toString();
}

export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A Bull key prefix of this run's own, so nothing it queues meets another run's workers. */
export function runPrefix(kind: string): string {
  return `hl${kind}${process.pid.toString(36)}${Date.now().toString(36)}`;
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** Drops and recreates the bench's own database (never another one), then migrates it. */
export async function freshDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  if (/^hookline_(bench|soak)\w*$/.test(name)) {
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  await ensureDatabaseExists(url);
  await runMigrations(url);
}

export interface ServiceEnv {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  extra?: Record<string, string>;
}

export interface ServiceProcess {
  role: 'api' | 'worker';
  pid: number;
  /** http://127.0.0.1:PORT for the api; '' for the worker. */
  url: string;
  output(): string;
  stop(): Promise<number | null>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => done(port));
    });
    srv.on('error', fail);
  });
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The environment both roles get; NODE_ENV=development reads the dev secrets from .data/dev-secrets.json. */
export function serviceEnvironment(env: ServiceEnv): Record<string, string> {
  return {
    NODE_ENV: 'development',
    DATA_DIR,
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.queuePrefix,
    ALLOW_PRIVATE_TARGETS: 'true',
    MIGRATIONS_RUN: 'false',
    LOG_LEVEL: 'warn',
    // The benchmarks measure throughput, not the API rate limit (README "Rate limits").
    API_RATE_LIMIT_PER_MINUTE: '6000000',
    API_RATE_LIMIT_BURST: '1000000',
    INBOUND_RATE_LIMIT_PER_MINUTE: '6000000',
    INBOUND_RATE_LIMIT_BURST: '1000000',
    ...env.extra,
  };
}

/**
 * Starts one role from source, as production would start it from dist. It runs in a scratch directory: in
 * development the api writes schema.gql into its working directory, and the repository's copy is not ours to touch.
 * Ready when /health answers 200 (api) or when Bull lists it as a worker of the deliveries queue (worker).
 */
export async function startService(role: 'api' | 'worker', env: ServiceEnv): Promise<ServiceProcess> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), `hookline-${role}-`));
  let out = '';
  // BENCH_PROFILE_DIR=dir: each role writes a V8 CPU profile there when it exits (open it in Chrome DevTools).
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_PROFILE_DIR, role)}`]
    : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...profile,
      join(REPO_ROOT, 'node_modules/ts-node/dist/bin.js'),
      '--transpile-only',
      join(REPO_ROOT, 'src/main.ts'),
    ],
    {
      cwd,
      env: { ...process.env, ...serviceEnvironment(env), APP_ROLE: role, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (d: Buffer): void => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const url = role === 'api' ? `http://127.0.0.1:${port}` : '';
  const alive = (): void => {
    if (child.exitCode !== null) throw new Error(`${role} exited early: ${out.slice(-3000)}`);
  };
  if (role === 'api') {
    await until('api', 90_000, async () => {
      alive();
      return fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
    });
  } else {
    const probe = new Bull(QueueName.Deliveries, env.redisUrl, { prefix: env.queuePrefix });
    try {
      const before = (await probe.getWorkers()).length;
      await until('worker', 90_000, async () => {
        alive();
        // WORKER_PROCESSES=N: ready when all N are listening (each is a Bull worker of its own).
        return (await probe.getWorkers()).length >= before + Math.max(1, Number(env.extra?.WORKER_PROCESSES ?? 1));
      });
    } finally {
      await probe.close();
    }
  }
  return {
    role,
    pid: child.pid ?? 0,
    url,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const code = await Promise.race([
          exited,
          new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), 20_000))),
        ]);
        clearTimeout(timer);
        if (code === 'late') child.kill('SIGKILL');
      }
      const code = await exited;
      rmSync(cwd, { recursive: true, force: true });
      return code;
    },
  };
}

/** The configuration a role started with `env` runs with (the app's defaults where `env` says nothing). */
export function effectiveConfig(env: ServiceEnv): AppConfig {
  return loadConfig({ ...process.env, ...serviceEnvironment(env), APP_ROLE: 'worker' });
}

/** An admin JWT for a tenant, signed as the identity provider would (HS256 with AUTH_JWT_SECRET). */
export function adminToken(tenantId: string): string {
  const secret = loadConfig({ ...process.env, NODE_ENV: 'development', DATA_DIR }).jwtSecret;
  const now = Math.floor(Date.now() / 1000);
  return sign(
    { sub: 'bench@example.com', tenant_id: tenantId, permissions: ['manage_webhooks'], iat: now, exp: now + 6 * 3600 },
    secret,
    { algorithm: 'HS256' },
  );
}

interface GqlBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** GraphQL over HTTP on a keep-alive pool of its own; a call not answered within `timeoutMs` (queueing included) fails. */
export class GraphqlClient {
  private readonly agent = new Agent({ connections: 32, keepAliveTimeout: 60_000 });

  constructor(
    private readonly url: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async call<T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await request(`${this.url}/graphql`, {
      dispatcher: this.agent,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = (await res.body.json()) as GqlBody<T>;
    if (body.errors?.length || !body.data)
      throw new Error(`GraphQL ${res.statusCode}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
    return body.data;
  }

  /** Drops whatever is still pending: a hung api must not hang the caller's clean-up. */
  async close(): Promise<void> {
    await this.agent.destroy();
  }
}

export const CREATE_ENDPOINT = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } secret } }`;
export const CREATE_EVENT_TYPE = `mutation($input: CreateEventTypeInput!) { createEventType(input: $input) { name } }`;
export const PUBLISH_EVENTS = `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`;
export const PUBLISH_EVENT = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
export const SAVE_FILTER = `mutation($endpointId: ID!, $input: SaveFilterReducerInput!) { saveFilterReducer(endpointId: $endpointId, input: $input) { id } }`;
export const DELIVERY_STATS = `query { deliveryStats { total succeeded failed pending held } }`;

export interface DeliveryStatsView {
  total: number;
  succeeded: number;
  failed: number;
  pending: number;
  held: number;
}

/** Resident set size of a process in KiB (VmRSS), or anonymous memory only (RssAnon: excludes shared buffers). */
export function processMemoryKb(pid: number, field: 'VmRSS' | 'RssAnon' = 'VmRSS'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
