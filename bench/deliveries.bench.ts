/**
 * Delivery throughput, latency and cost, against the limits measured in the same run on the same receivers.
 * Run: npm run bench (starts or finds Postgres and Redis), or with DATABASE_URL and REDIS_URL set:
 *   npx ts-node --transpile-only bench/deliveries.bench.ts [--events 5000] [--latency-seconds 20]
 *     [--worker-concurrency N (default: the app's WORKER_CONCURRENCY)] [--limit-concurrency 50]
 *     [--tenant-concurrency N (default: raised to the worker concurrency, as the endpoint cap is)]
 *     [--isolated-calls 15] [--worker-processes 2] [--skip filters,types,isolated,processes,soak]
 * BENCH_DATABASE_URL overrides the database (default: hookline_bench on DATABASE_URL's server); BENCH_PROFILE_DIR=dir
 * makes api and worker write V8 CPU profiles there; BENCH_OUT and BENCH_SOAK_OUT write the results elsewhere than
 * bench/results/latest.json. Takes about 9 minutes on 2 cores (under 4 with --skip); run it on a quiet machine:
 * every figure shares the cores with whatever else runs (the CPU table says how much went elsewhere).
 *
 * (a) limits: raw undici POST + HMAC (concurrency 50), Bull add + process of no-op jobs (concurrency 50), and the
 *     chain Bull job → HMAC → undici POST without a database (the denominator of the throughput target);
 * (b) Hookline (api + worker processes): 5,000 events × 8 endpoints through publishEvents, end to end; then
 *     publish→receive latency at half the measured capacity; Postgres commits and rows, Redis commands and new
 *     TCP connections per delivery;
 * (c) the same publish with a 3-leaf filter on all 8 endpoints (every event passes), in rounds alternating with
 *     the unfiltered tenant (ABBAABBA, each round drained before the next) so that drift cancels out: the cost of
 *     filtering, as publish events/s and end-to-end deliveries/s, filtered over unfiltered;
 * (d) the same ABBA rounds for two fresh tenants, one publishing the built-in order.created, the other a tenant type
 *     of its own (created with createEventType, with order.created's schema and sample): the cost of a tenant
 *     type's per-tenant catalog lookup, as publish events/s, tenant type over built-in (target: within 10 %);
 * (e) one publishEvents call of 100 events × 8 endpoints with the worker stopped (SIGSTOP), alternating with one
 *     multi-row INSERT of the same 800 rows into a scratch table, and the call's Postgres statements and round
 *     trips (through a counting proxy, on a second api) and Redis commands (INFO commandstats deltas);
 * (f) deliveries/s with WORKER_PROCESSES=2 against 1, in the order 1 → 2 → 1;
 * (g) the one-minute soak as a child (bench/soak.ts): healthy p95 beside another tenant's dead endpoint.
 * Prints each figure with its ratio to the limit or target and writes bench/results/latest.json.
 */
import Bull from 'bull';
import Redis from 'ioredis';
import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Agent, request } from 'undici';
import { buildSignatureHeaders } from '../src/common/crypto/sign-payload';
import { generateWebhookSecret } from '../src/common/crypto/webhook-secret';
import { findPlatformEventType } from '../src/event-types/catalog/platform-catalog';
import {
  adminToken,
  benchDatabaseUrl,
  CREATE_ENDPOINT,
  CREATE_EVENT_TYPE,
  databaseName,
  DELIVERY_STATS,
  DeliveryStatsView,
  effectiveConfig,
  freshDatabase,
  GraphqlClient,
  PUBLISH_EVENTS,
  redisUrl,
  runPrefix,
  SAVE_FILTER,
  ServiceProcess,
  startService,
} from './support/hookline';
import { LIMIT_QUEUE_SETTINGS, LimitJob, LimitWorkerSpec } from './support/limit-worker';
import {
  CpuSample,
  cpuSample,
  cpuShares,
  machineBusyPercent,
  nowMs,
  Percentiles,
  percentiles,
  PG_STATS_SETTLE_MS,
  PgCounters,
  pgCounters,
  pgDelta,
  PgDelta,
  redisCounters,
  RedisCounters,
  redisDelta,
  redisPid,
  round,
  sleep,
} from './support/metrics';
import { orderPayload, THREE_LEAF_FILTER, webhookBody } from './support/payload';
import { PgCountingProxy } from './support/pg-counting-proxy';
import { Receivers, ReceiverStats } from './support/receivers';

/** Issue 16's targets, each a ratio to a figure of the same run (the soak's to its own baseline run). */
const TARGETS = {
  throughputRatio: 0.8,
  rawRatio: 0.4,
  p99Ms: 100,
  commitsPerDelivery: 0.05,
  redisCommandsPerDelivery: 3,
  publishCallToInsertRatio: 5,
  connectionsPerDelivery: 0.01,
  filterRatio: 0.9,
  tenantTypeRatio: 0.9,
  /** The soak's own bound on the healthy tenant's p95 with a dead endpoint beside it, over its baseline run. */
  soakP95Ratio: 1.2,
};

/** What the soak measured before issue 16 (bench/results/before-issue-16/soak.json): the "now" of its target. */
const SOAK_BEFORE = join(__dirname, 'results', 'before-issue-16', 'soak.json');

/** Phases that `--skip a,b` leaves out: the code before issue 16 has no WORKER_PROCESSES, say. */
const SKIP = new Set((process.argv[process.argv.indexOf('--skip') + 1] ?? '').split(',').filter(Boolean));
if (!process.argv.includes('--skip')) SKIP.clear();
const PHASES = ['filters', 'types', 'isolated', 'processes', 'soak'];
for (const phase of SKIP)
  if (!PHASES.includes(phase)) throw new Error(`--skip: ${phase} is not one of ${PHASES.join(', ')}`);

/** The tenant type of (d): order.created's schema and sample under a tenant's own name. */
const TENANT_TYPE = 'ORDER_PLACED';

function flag(name: string, fallback: number, zeroAllowed = false): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !zeroAllowed))
    throw new Error(`--${name} must be a positive number`);
  return value;
}

const CONFIG = {
  endpoints: 8,
  events: flag('events', 5_000),
  batch: 100,
  publishConcurrency: 4,
  /** Of the raw undici loops and the Bull consumers of the limits (the chain is measured at the worker's too). */
  limitConcurrency: flag('limit-concurrency', 50),
  /** 0: the app's default WORKER_CONCURRENCY. ENDPOINT_CONCURRENCY is raised to match, so 8 endpoints never cap it. */
  workerConcurrency: flag('worker-concurrency', 0, true),
  rawSeconds: flag('raw-seconds', 10),
  bullSeconds: flag('bull-seconds', 6),
  chainSeconds: flag('chain-seconds', 10),
  warmupSeconds: 1,
  warmupEvents: 500,
  latencySeconds: flag('latency-seconds', 20),
  filterRounds: 8,
  filterRoundEvents: 800,
  loadFraction: 0.5,
  /** Sequential publishEvents calls of (e), each of `batch` events, with the worker stopped. */
  isolatedCalls: flag('isolated-calls', 15),
  /** 0: raised to WORKER_CONCURRENCY (one tenant publishes here); N measures the per-tenant cap at N. */
  tenantConcurrency: flag('tenant-concurrency', 0, true),
  /** Worker processes of the second throughput run of (f). */
  workerProcesses: flag('worker-processes', 2),
};

const STARTED = nowMs();
const log = (line: string): void => {
  const at = `${Math.round((nowMs() - STARTED) / 1000)}`.padStart(4);
  process.stdout.write(line.startsWith('\n') ? `\n${at}s ${line.slice(1)}\n` : `${at}s ${line}\n`);
};

// ------------------------------------------------------------------------------------------------ (a) limits

interface RateResult {
  perSecond: number;
  count: number;
  seconds: number;
  concurrency: number;
  redisCommandsPer?: number;
  newConnectionsPer?: number;
  /** % of one core per process group during the window. */
  cpu: Record<string, number>;
}

/** What a limit window needs to account for CPU: the processes by name, and Postgres to tell its backends apart. */
interface CpuContext {
  named: Record<string, number>;
  pg: Client;
  database: string;
}

/** 50 loops, each: build the ~1 KB body, sign it, POST it on a keep-alive pool, read the answer. */
async function rawUndici(receivers: Receivers, cpu: CpuContext): Promise<RateResult> {
  const agent = new Agent({ connections: null });
  const secret = generateWebhookSecret();
  const urls = receivers.urls;
  let done = 0;
  let failed = 0;
  let stop = false;
  let seq = 0;
  const loop = async (): Promise<void> => {
    while (!stop) {
      const id = randomUUID();
      const n = seq++;
      const body = webhookBody(id, n);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Hookline-Webhooks/1.0',
        ...buildSignatureHeaders({ msgId: id, timestamp: Math.floor(Date.now() / 1000), body, secrets: [secret] }),
      };
      const res = await request(urls[n % urls.length], { dispatcher: agent, method: 'POST', headers, body });
      await res.body.text();
      if (res.statusCode === 200) done += 1;
      else failed += 1;
    }
  };
  const loops = Array.from({ length: CONFIG.limitConcurrency }, loop);
  await sleep(CONFIG.warmupSeconds * 1000);
  const [c0, r0, u0] = [done, await receivers.stats(), await cpuSample(cpu.named, cpu.pg, cpu.database)];
  const t0 = nowMs();
  await sleep(CONFIG.rawSeconds * 1000);
  const [c1, t1] = [done, nowMs()];
  const [r1, u1] = [await receivers.stats(), await cpuSample(cpu.named, cpu.pg, cpu.database)];
  stop = true;
  await Promise.all(loops);
  await agent.close();
  if (failed > 0) throw new Error(`raw undici: ${failed} requests failed`);
  const seconds = (t1 - t0) / 1000;
  return {
    perSecond: Math.round((c1 - c0) / seconds),
    count: c1 - c0,
    seconds: round(seconds, 2),
    concurrency: CONFIG.limitConcurrency,
    newConnectionsPer: (r1.connections - r0.connections) / (c1 - c0),
    cpu: cpuShares(u0, u1, cpus().length),
  };
}

/** A limit worker process on a queue of its own; a producer here keeps it fed (≤ 4,000 jobs waiting) with addBulk. */
async function queueLimit(
  mode: LimitWorkerSpec['mode'],
  concurrency: number,
  seconds: number,
  receivers: Receivers,
  redis: Redis,
  prefix: string,
  cpu: CpuContext,
): Promise<RateResult> {
  const spec: LimitWorkerSpec = {
    mode,
    redisUrl: redisUrl(),
    prefix,
    queue: `limit-${mode}-${concurrency}`,
    concurrency,
    urls: receivers.urls,
  };
  const child: ChildProcess = fork(join(__dirname, 'support', 'limit-worker.ts'), [JSON.stringify(spec)], {
    execArgv: ['--require', require.resolve('ts-node/register/transpile-only')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let processed = 0;
  let failed = 0;
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { processed: number; failed: number; ready?: boolean }) => {
      processed = m.processed;
      failed = m.failed;
      if (m.ready) resolve();
    });
    child.once('exit', (code) => reject(new Error(`limit worker exited (${code})`)));
  });
  const queue = new Bull<LimitJob>(spec.queue, spec.redisUrl, { prefix, settings: LIMIT_QUEUE_SETTINGS });
  let added = 0;
  let stop = false;
  const producer = async (): Promise<void> => {
    while (!stop) {
      if (added - processed >= 4_000) {
        await sleep(2);
        continue;
      }
      const jobs = Array.from({ length: CONFIG.batch * CONFIG.endpoints }, (_, i) => {
        const n = added + i;
        const deliveryId = randomUUID();
        return {
          data: { deliveryId, endpoint: n % CONFIG.endpoints, seq: n },
          opts: { jobId: `${deliveryId}_1`, removeOnComplete: true, removeOnFail: true, attempts: 1 },
        };
      });
      added += jobs.length;
      await queue.addBulk(jobs);
    }
  };
  const producing = Promise.all([producer(), producer()]);
  await sleep(CONFIG.warmupSeconds * 1000);
  const named = { ...cpu.named, 'limit worker': child.pid ?? 0 };
  const [p0, q0, c0, u0, t0] = [
    processed,
    await receivers.stats(),
    await redisCounters(redis),
    await cpuSample(named, cpu.pg, cpu.database),
    nowMs(),
  ];
  await sleep(seconds * 1000);
  const [p1, t1] = [processed, nowMs()];
  const [q1, c1, u1] = [
    await receivers.stats(),
    await redisCounters(redis),
    await cpuSample(named, cpu.pg, cpu.database),
  ];
  stop = true;
  await producing;
  child.disconnect();
  await new Promise((r) => child.once('exit', r));
  await queue.obliterate({ force: true });
  await queue.close();
  if (failed > 0) throw new Error(`${mode}: ${failed} jobs failed`);
  const count = p1 - p0;
  const elapsed = (t1 - t0) / 1000;
  return {
    perSecond: Math.round(count / elapsed),
    count,
    seconds: round(elapsed, 2),
    concurrency,
    redisCommandsPer: round(redisDelta(c0, c1).total / count, 2),
    ...(mode === 'chain' ? { newConnectionsPer: (q1.connections - q0.connections) / count } : {}),
    cpu: cpuShares(u0, u1, cpus().length),
  };
}

// ------------------------------------------------------------------------------------------------ (b) Hookline

interface Tenant {
  name: string;
  token: string;
  endpointIds: string[];
  eventType: string;
}

interface Window {
  pg: PgCounters;
  redis: RedisCounters;
  receivers: ReceiverStats;
}

interface WindowCost {
  deliveries: number;
  pgCommitsPerDelivery: number;
  pgRowsPerDelivery: number;
  pgCommits: number;
  /** Transactions that wrote (xids consumed, whole cluster: other databases' writes count too). */
  pgWriteTransactionsPerDelivery: number;
  pgRowsByTable: Record<string, { ins: number; upd: number; del: number }>;
  redisCommandsPerDelivery: number;
  redisTopCommandsPerDelivery: Record<string, number>;
  newConnectionsPerDelivery: number;
}

interface ThroughputResult {
  events: number;
  deliveries: number;
  /** First publish call → last receipt. */
  endToEndSeconds: number;
  deliveriesPerSecond: number;
  /** First publish call → last publish call answered: fan-out as the api does it. */
  publishSeconds: number;
  publishEventsPerSecond: number;
  fanoutDeliveriesPerSecond: number;
  publishCallMs: Percentiles;
  /** Publish→receive while saturated (queueing included): information only. */
  saturatedLatencyMs: Percentiles;
  /** % of one core per process group, first publish → last receipt. */
  cpu: Record<string, number>;
}

class Bench {
  private readonly gql: GraphqlClient;
  private seq = 0;
  /** Deliveries each tenant's publishes owe its endpoints, for the final "every delivery SUCCEEDED" check. */
  readonly expected = new Map<Tenant, number>();

  constructor(
    private readonly api: ServiceProcess,
    private readonly receivers: Receivers,
    private readonly pg: Client,
    private readonly redis: Redis,
    private readonly database: string,
    private readonly named: Record<string, number>,
  ) {
    this.gql = new GraphqlClient(api.url);
  }

  /** A process group of the CPU table started anew (a worker restarted with other settings). */
  setProcess(group: string, pid: number): void {
    this.named[group] = pid;
  }

  cpu(): Promise<CpuSample> {
    return cpuSample(this.named, this.pg, this.database);
  }

  /** A tenant with an endpoint per receiver; `ownType` first creates that type, a copy of order.created. */
  async tenant(name: string, ownType?: string): Promise<Tenant> {
    const token = adminToken(`bench-${name}-${randomUUID()}`);
    const eventType = ownType ?? 'order.created';
    if (ownType) {
      const { schema, samplePayload } = findPlatformEventType('order.created') ?? {};
      await this.gql.call(token, CREATE_EVENT_TYPE, {
        input: { name: ownType, description: 'order.created, as a tenant type', schema, samplePayload },
      });
    }
    const endpointIds: string[] = [];
    for (const url of this.receivers.urls) {
      const res = await this.gql.call<{ createEndpoint: { endpoint: { id: string } } }>(token, CREATE_ENDPOINT, {
        input: { url, eventTypes: [eventType] },
      });
      endpointIds.push(res.createEndpoint.endpoint.id);
    }
    return { name, token, endpointIds, eventType };
  }

  async saveFilters(t: Tenant): Promise<void> {
    for (const endpointId of t.endpointIds)
      await this.gql.call(t.token, SAVE_FILTER, {
        endpointId,
        input: { eventType: 'order.created', filter: THREE_LEAF_FILTER },
      });
  }

  private inputs(count: number, eventType: string): Record<string, unknown>[] {
    const sentAt = nowMs();
    return Array.from({ length: count }, () => ({
      eventType,
      payload: orderPayload(this.seq++, sentAt),
    }));
  }

  /** One publishEvents call of `count` events, through this bench's api or another api process (`via`). */
  async publishBatch(t: Tenant, count: number, via: GraphqlClient = this.gql): Promise<number> {
    const inputs = this.inputs(count, t.eventType);
    this.expected.set(t, (this.expected.get(t) ?? 0) + count * t.endpointIds.length);
    const started = nowMs();
    const res = await via.call<{ publishEvents: { id: string }[] }>(t.token, PUBLISH_EVENTS, { inputs });
    if (res.publishEvents.length !== count)
      throw new Error(`publishEvents returned ${res.publishEvents.length} events, expected ${count}`);
    return nowMs() - started;
  }

  async window(): Promise<Window> {
    return {
      pg: await pgCounters(this.pg, this.database),
      redis: await redisCounters(this.redis),
      receivers: await this.receivers.stats(),
    };
  }

  /** Waits out the Postgres statistics delay, then reads every counter. */
  async settledWindow(): Promise<Window> {
    await sleep(PG_STATS_SETTLE_MS);
    return this.window();
  }

  cost(a: Window, b: Window): WindowCost {
    const deliveries = b.receivers.total - a.receivers.total;
    const pgd: PgDelta = pgDelta(a.pg, b.pg);
    const rd = redisDelta(a.redis, b.redis);
    return {
      deliveries,
      pgCommitsPerDelivery: round(pgd.commits / deliveries, 4),
      pgRowsPerDelivery: round(pgd.rowsWritten / deliveries, 3),
      pgCommits: pgd.commits,
      pgWriteTransactionsPerDelivery: round(pgd.writeTransactions / deliveries, 4),
      pgRowsByTable: pgd.perTable,
      redisCommandsPerDelivery: round(rd.total / deliveries, 2),
      redisTopCommandsPerDelivery: Object.fromEntries(
        rd.top.slice(0, 10).map(([name, n]) => [name, round(n / deliveries, 3)]),
      ),
      newConnectionsPerDelivery: round((b.receivers.connections - a.receivers.connections) / deliveries, 5),
    };
  }

  /** `events` events in batches of 100, a few calls in parallel; the clock stops at the last receipt. */
  async throughput(t: Tenant, events: number): Promise<ThroughputResult> {
    const before = await this.receivers.stats();
    await this.receivers.takeLatencies();
    const expected = events * t.endpointIds.length;
    const batches = Math.ceil(events / CONFIG.batch);
    const callMs: number[] = [];
    let next = 0;
    const u0 = await this.cpu();
    const t0 = nowMs();
    const publisher = async (): Promise<void> => {
      for (let b = next++; b < batches; b = next++)
        callMs.push(await this.publishBatch(t, Math.min(CONFIG.batch, events - b * CONFIG.batch)));
    };
    await Promise.all(Array.from({ length: CONFIG.publishConcurrency }, publisher));
    const published = nowMs();
    const after = await this.receivers.waitForTotal(before.total + expected, 180_000);
    const u1 = await this.cpu();
    if (after.total !== before.total + expected)
      throw new Error(`receivers got ${after.total - before.total} deliveries, expected ${expected}`);
    const endToEnd = (after.lastAt - t0) / 1000;
    const publishSeconds = (published - t0) / 1000;
    return {
      events,
      deliveries: expected,
      endToEndSeconds: round(endToEnd, 2),
      deliveriesPerSecond: Math.round(expected / endToEnd),
      publishSeconds: round(publishSeconds, 2),
      publishEventsPerSecond: Math.round(events / publishSeconds),
      fanoutDeliveriesPerSecond: Math.round(expected / publishSeconds),
      publishCallMs: percentiles(callMs),
      saturatedLatencyMs: percentiles(await this.receivers.takeLatencies()),
      cpu: cpuShares(u0, u1, cpus().length),
    };
  }

  /** Open loop: every 50 ms, publish what the target rate owes so far (one publishEvents call), never waiting on answers. */
  async paced(
    t: Tenant,
    eventsPerSecond: number,
    seconds: number,
  ): Promise<{ events: number; latencyMs: Percentiles; publishCallMs: Percentiles; achievedEventsPerSecond: number }> {
    const before = await this.receivers.stats();
    await this.receivers.takeLatencies();
    const calls: Promise<void>[] = [];
    const callMs: number[] = [];
    let sent = 0;
    const t0 = nowMs();
    for (;;) {
      const elapsed = (nowMs() - t0) / 1000;
      if (elapsed >= seconds) break;
      const owed = Math.min(CONFIG.batch, Math.floor(eventsPerSecond * elapsed) - sent);
      if (owed > 0) {
        sent += owed;
        calls.push(this.publishBatch(t, owed).then((ms) => void callMs.push(ms)));
      }
      await sleep(50);
    }
    const achieved = sent / ((nowMs() - t0) / 1000);
    await Promise.all(calls);
    await this.receivers.waitForTotal(before.total + sent * t.endpointIds.length, 60_000);
    return {
      events: sent,
      latencyMs: percentiles(await this.receivers.takeLatencies()),
      publishCallMs: percentiles(callMs),
      achievedEventsPerSecond: round(achieved, 1),
    };
  }

  async deliveryStats(t: Tenant): Promise<DeliveryStatsView> {
    return (await this.gql.call<{ deliveryStats: DeliveryStatsView }>(t.token, DELIVERY_STATS)).deliveryStats;
  }

  async close(): Promise<void> {
    await this.gql.close();
  }
}

interface ArmTotals {
  events: number;
  publishEventsPerSecond: number;
  deliveriesPerSecond: number;
  rounds: { publishSeconds: number; endToEndSeconds: number }[];
}

/** ABBAABBA rounds, each drained before the next: slow drift (table growth, JIT, background load) hits both arms alike. */
async function abRounds(
  bench: Bench,
  plain: Tenant,
  filtered: Tenant,
): Promise<{ plain: ArmTotals; filtered: ArmTotals }> {
  const arms = new Map<Tenant, ThroughputResult[]>([
    [plain, []],
    [filtered, []],
  ]);
  for (let i = 0; i < CONFIG.filterRounds; i++) {
    const t = [plain, filtered, filtered, plain][i % 4];
    arms.get(t)?.push(await bench.throughput(t, CONFIG.filterRoundEvents));
  }
  const totals = (runs: ThroughputResult[]): ArmTotals => {
    const events = runs.reduce((n, r) => n + r.events, 0);
    const publish = runs.reduce((n, r) => n + r.publishSeconds, 0);
    const endToEnd = runs.reduce((n, r) => n + r.endToEndSeconds, 0);
    return {
      events,
      publishEventsPerSecond: Math.round(events / publish),
      deliveriesPerSecond: Math.round((events * CONFIG.endpoints) / endToEnd),
      rounds: runs.map((r) => ({ publishSeconds: r.publishSeconds, endToEndSeconds: r.endToEndSeconds })),
    };
  };
  return { plain: totals(arms.get(plain) ?? []), filtered: totals(arms.get(filtered) ?? []) };
}

// ------------------------------------------------------------------------------------------------ (e) one publish call

interface IsolatedPublish {
  calls: number;
  /** publishEvents of 100 events × 8 endpoints through the bench's api, the worker stopped. */
  publishCallMs: Percentiles;
  /** One multi-row INSERT of the same 800 delivery rows (same columns, bodies and indexes) into a scratch table. */
  scratchInsertMs: Percentiles;
  ratioP50: number;
  /** Counted on a second api process whose Postgres connections go through PgCountingProxy: medians per call. */
  perCall: { pgStatements: number; pgRoundTrips: number; redisCommands: number };
  perCallRuns: { pgStatements: number; pgRoundTrips: number; redisCommands: number; redisTop: [string, number][] }[];
}

const SCRATCH_TABLE = 'bench_scratch_deliveries';

/** The 800 rows one publish call inserts into deliveries, as one multi-row INSERT: the floor of that call. */
async function scratchInsert(pg: Client, endpointIds: string[], seq: number): Promise<number> {
  const params: unknown[] = [];
  const tuples: string[] = [];
  for (let e = 0; e < CONFIG.batch; e++) {
    const eventId = randomUUID();
    const body = webhookBody(eventId, seq + e);
    for (const endpointId of endpointIds) {
      const b = params.length;
      params.push(randomUUID(), 'bench-scratch', endpointId, eventId, 'order.created', 'PENDING', body);
      tuples.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}::json)`);
    }
  }
  const text = `INSERT INTO ${SCRATCH_TABLE} (id, tenant_id, endpoint_id, event_id, event_type, status, payload) VALUES ${tuples.join(', ')}`;
  const t0 = nowMs();
  await pg.query(text, params);
  return nowMs() - t0;
}

/**
 * Sequential publish calls with the worker stopped (SIGSTOP: it reads nothing, so the api, Postgres and Redis do
 * only the call's work), alternating with the scratch INSERT in the same conditions; then the same call on a
 * counted api, whose statements the proxy counts and whose Redis commands INFO counts (nothing else runs).
 */
async function isolatedPublish(
  bench: Bench,
  t: Tenant,
  counted: GraphqlClient,
  proxy: PgCountingProxy,
  worker: ServiceProcess,
  pg: Client,
  redis: Redis,
): Promise<IsolatedPublish> {
  await pg.query(`DROP TABLE IF EXISTS ${SCRATCH_TABLE}`);
  await pg.query(`CREATE TABLE ${SCRATCH_TABLE} (LIKE deliveries INCLUDING DEFAULTS INCLUDING INDEXES)`);
  const publishMs: number[] = [];
  const insertMs: number[] = [];
  const runs: IsolatedPublish['perCallRuns'] = [];
  process.kill(worker.pid, 'SIGSTOP');
  try {
    for (let i = 0; i < 2; i++) {
      await bench.publishBatch(t, CONFIG.batch);
      await bench.publishBatch(t, CONFIG.batch, counted);
      await scratchInsert(pg, t.endpointIds, i * CONFIG.batch);
    }
    for (let i = 0; i < CONFIG.isolatedCalls; i++) {
      const seq = (i + 2) * CONFIG.batch;
      if (i % 2 === 0) {
        publishMs.push(await bench.publishBatch(t, CONFIG.batch));
        insertMs.push(await scratchInsert(pg, t.endpointIds, seq));
      } else {
        insertMs.push(await scratchInsert(pg, t.endpointIds, seq));
        publishMs.push(await bench.publishBatch(t, CONFIG.batch));
      }
      const [p0, r0] = [proxy.read(), await redisCounters(redis)];
      await bench.publishBatch(t, CONFIG.batch, counted);
      const [p1, r1] = [proxy.read(), await redisCounters(redis)];
      const rd = redisDelta(r0, r1);
      runs.push({
        pgStatements: p1.statements - p0.statements,
        pgRoundTrips: p1.roundTrips - p0.roundTrips,
        redisCommands: rd.total,
        redisTop: rd.top.slice(0, 8),
      });
    }
  } finally {
    process.kill(worker.pid, 'SIGCONT');
    await pg.query(`DROP TABLE IF EXISTS ${SCRATCH_TABLE}`);
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const publishCallMs = percentiles(publishMs);
  const scratchInsertMs = percentiles(insertMs);
  return {
    calls: CONFIG.isolatedCalls,
    publishCallMs,
    scratchInsertMs,
    ratioP50: round(publishCallMs.p50 / scratchInsertMs.p50, 2),
    perCall: {
      pgStatements: median(runs.map((r) => r.pgStatements)),
      pgRoundTrips: median(runs.map((r) => r.pgRoundTrips)),
      redisCommands: median(runs.map((r) => r.redisCommands)),
    },
    perCallRuns: runs,
  };
}

// ------------------------------------------------------------------------------------------------ (g) soak

interface SoakFigures {
  ok: boolean;
  baselineP95Ms: number;
  withDeadEndpointP95Ms: number;
  ratio: number;
  before: { baselineP95Ms: number; withDeadEndpointP95Ms: number; ratio: number; date: string } | null;
  failedChecks: string[];
}

interface SoakFile {
  date: string;
  ok: boolean;
  checks: { check: string; ok: boolean; informational?: boolean }[];
  runs: Record<'baseline' | 'withBadTenant', { healthy: { endToEndMs: Percentiles } } | null>;
}

function soakFigures(file: SoakFile): { baselineP95Ms: number; withDeadEndpointP95Ms: number; ratio: number } {
  const base = file.runs.baseline?.healthy.endToEndMs.p95 ?? NaN;
  const bad = file.runs.withBadTenant?.healthy.endToEndMs.p95 ?? NaN;
  return { baselineP95Ms: base, withDeadEndpointP95Ms: bad, ratio: round(bad / base, 2) };
}

/** The soak's one-minute form in a process of its own (its own database and services), after ours stopped. */
async function soak(): Promise<SoakFigures> {
  // BENCH_SOAK_OUT keeps the soak's own file (how bench/results/before-issue-16/soak.json was made).
  const out = process.env.BENCH_SOAK_OUT ?? join(mkdtempSync(join(tmpdir(), 'hookline-bench-soak-')), 'soak.json');
  const child = fork(join(__dirname, 'soak.ts'), ['--minutes', '1', '--out', out], {
    execArgv: ['--require', require.resolve('ts-node/register/transpile-only')],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((r) => child.once('exit', r));
  const file = JSON.parse(readFileSync(out, 'utf8')) as SoakFile;
  const before = existsSync(SOAK_BEFORE) ? (JSON.parse(readFileSync(SOAK_BEFORE, 'utf8')) as SoakFile) : null;
  return {
    ok: file.ok,
    ...soakFigures(file),
    before: before ? { ...soakFigures(before), date: before.date } : null,
    failedChecks: file.checks.filter((c) => !c.ok && !c.informational).map((c) => c.check),
  };
}

// ------------------------------------------------------------------------------------------------ report

interface Line {
  figure: string;
  value: string;
  reference: string;
  ratio: string;
  verdict: string;
}

function line(figure: string, value: number | string, reference = '', ratio: number | null = null, verdict = ''): Line {
  const shown = typeof value !== 'number' ? value : Math.abs(value) < 1 ? String(value) : value.toLocaleString('en-US');
  return { figure, value: shown, reference, ratio: ratio === null ? '' : ratio.toFixed(3), verdict };
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

async function main(): Promise<void> {
  const started = nowMs();
  const databaseUrl = benchDatabaseUrl('hookline_bench');
  const database = databaseName(databaseUrl);
  const prefix = runPrefix('bench');
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await c().catch((e: unknown) => log(`cleanup: ${String(e)}`));
    cleanups.length = 0;
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanup().finally(() => process.exit(143)));

  try {
    log(`hookline bench: node ${process.version}, ${cpus().length} CPUs, database ${database}, queue prefix ${prefix}`);
    const receivers = await Receivers.start({ healthy: CONFIG.endpoints, hold: 0, trackIds: false });
    cleanups.push(() => receivers.close());
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 3 });
    cleanups.push(async () => redis.quit());
    cleanups.push(async () => {
      // Whatever this run left in Redis (its queues, rate-limit keys) goes with it.
      const keys: string[] = [];
      for await (const batch of redis.scanStream({ match: `${prefix}:*`, count: 1000 }))
        keys.push(...(batch as string[]));
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    });

    await freshDatabase(databaseUrl);
    const pg = new Client({ connectionString: databaseUrl });
    await pg.connect();
    cleanups.push(() => pg.end());
    const named: Record<string, number> = {
      bench: process.pid,
      receivers: receivers.pid,
      redis: await redisPid(redis),
    };
    const loadAverage = loadavg().map((n) => round(n, 2));
    const busyBefore = await machineBusyPercent(2_000);
    if (busyBefore > 15)
      log(
        `  note: the cores were ${busyBefore} % busy before starting: something else is running, figures will be lower`,
      );

    const env = { databaseUrl, redisUrl: redisUrl(), queuePrefix: prefix, extra: {} as Record<string, string> };
    const workerConcurrency = CONFIG.workerConcurrency || effectiveConfig(env).workerConcurrency;
    const endpointConcurrency = Math.max(workerConcurrency, effectiveConfig(env).endpointConcurrency);
    // One tenant publishes here: the per-tenant fairness cap (TENANT_CONCURRENCY, default 50) would measure the cap,
    // not the machine, so it is raised like the endpoint cap (--tenant-concurrency N measures it at N).
    const tenantConcurrency = CONFIG.tenantConcurrency || workerConcurrency;
    env.extra = {
      WORKER_CONCURRENCY: String(workerConcurrency),
      ENDPOINT_CONCURRENCY: String(endpointConcurrency),
      TENANT_CONCURRENCY: String(tenantConcurrency),
    };

    // (a) limits, before Hookline starts, so that nothing else competes for the cores.
    log(
      `\n(a) limits: ${CONFIG.endpoints} receivers on 127.0.0.1 (own process), concurrency ${CONFIG.limitConcurrency}`,
    );
    const cpuContext = { named, pg, database };
    const raw = await rawUndici(receivers, cpuContext);
    log(
      `  raw undici POST + HMAC:          ${raw.perSecond.toLocaleString('en-US')} requests/s   cpu ${JSON.stringify(raw.cpu)}`,
    );
    const bullNoop = await queueLimit(
      'noop',
      CONFIG.limitConcurrency,
      CONFIG.bullSeconds,
      receivers,
      redis,
      prefix,
      cpuContext,
    );
    log(
      `  Bull add + process (no-op):      ${bullNoop.perSecond.toLocaleString('en-US')} jobs/s (${bullNoop.redisCommandsPer} Redis commands a job)   cpu ${JSON.stringify(bullNoop.cpu)}`,
    );
    const chains = [
      await queueLimit('chain', CONFIG.limitConcurrency, CONFIG.chainSeconds, receivers, redis, prefix, cpuContext),
    ];
    if (workerConcurrency !== CONFIG.limitConcurrency)
      chains.push(
        await queueLimit('chain', workerConcurrency, CONFIG.chainSeconds, receivers, redis, prefix, cpuContext),
      );
    for (const c of chains)
      log(
        `  Bull → HMAC → undici (no DB):    ${c.perSecond.toLocaleString('en-US')} deliveries/s at concurrency ${c.concurrency} (${c.redisCommandsPer} Redis commands a delivery)   cpu ${JSON.stringify(c.cpu)}`,
      );
    // The denominator of the throughput target: the better of the chain's runs, never the flattering one.
    const chain = chains.reduce((best, c) => (c.perSecond > best.perSecond ? c : best));

    // (b) Hookline
    log(
      `\n(b) Hookline: api + worker processes on ${database}, WORKER_CONCURRENCY=${workerConcurrency}, ENDPOINT_CONCURRENCY=${endpointConcurrency}, TENANT_CONCURRENCY=${tenantConcurrency}`,
    );
    const [api, firstWorker] = await Promise.all([startService('api', env), startService('worker', env)]);
    let worker = firstWorker;
    cleanups.push(() => api.stop());
    cleanups.push(() => worker.stop());
    const bench = new Bench(api, receivers, pg, redis, database, { ...named, api: api.pid, worker: worker.pid });
    cleanups.push(() => bench.close());

    const plain = await bench.tenant('plain');
    log(`  ${plain.endpointIds.length} endpoints per tenant; warming up with ${CONFIG.warmupEvents} events`);
    await bench.throughput(plain, CONFIG.warmupEvents);

    const w0 = await bench.settledWindow();
    log(
      `  throughput: ${CONFIG.events.toLocaleString('en-US')} events × ${CONFIG.endpoints} endpoints via publishEvents (batches of ${CONFIG.batch}, ${CONFIG.publishConcurrency} in parallel)`,
    );
    const tp = await bench.throughput(plain, CONFIG.events);
    log(
      `    ${tp.deliveriesPerSecond.toLocaleString('en-US')} deliveries/s end to end (${tp.endToEndSeconds} s); publish ${tp.publishEventsPerSecond.toLocaleString('en-US')} events/s   cpu ${JSON.stringify(tp.cpu)}`,
    );
    const w1 = await bench.settledWindow();
    const targetEvents = (CONFIG.loadFraction * tp.deliveriesPerSecond) / CONFIG.endpoints;
    log(
      `  latency: paced at ${round(targetEvents, 1)} events/s (${Math.round(CONFIG.loadFraction * 100)} % of the measured deliveries/s) for ${CONFIG.latencySeconds} s`,
    );
    const lat = await bench.paced(plain, targetEvents, CONFIG.latencySeconds);
    log(`    publish→receive p50 ${lat.latencyMs.p50} ms, p95 ${lat.latencyMs.p95} ms, p99 ${lat.latencyMs.p99} ms`);
    const w2 = await bench.settledWindow();

    let filters: { plain: ArmTotals; filtered: ArmTotals } | null = null;
    if (!SKIP.has('filters')) {
      log(
        `\n(c) 3-leaf filter on all ${CONFIG.endpoints} endpoints: ${CONFIG.filterRounds} rounds of ${CONFIG.filterRoundEvents} events, filtered and unfiltered alternating (ABBA…)`,
      );
      const filtered = await bench.tenant('filtered');
      await bench.saveFilters(filtered);
      await bench.throughput(filtered, CONFIG.warmupEvents);
      filters = await abRounds(bench, plain, filtered);
      log(
        `    unfiltered: publish ${filters.plain.publishEventsPerSecond.toLocaleString('en-US')} events/s, ${filters.plain.deliveriesPerSecond.toLocaleString('en-US')} deliveries/s end to end`,
      );
      log(
        `    filtered:   publish ${filters.filtered.publishEventsPerSecond.toLocaleString('en-US')} events/s, ${filters.filtered.deliveriesPerSecond.toLocaleString('en-US')} deliveries/s end to end`,
      );
    }

    let types: { plain: ArmTotals; filtered: ArmTotals } | null = null;
    if (!SKIP.has('types')) {
      log(
        `\n(d) a tenant type (${TENANT_TYPE}) vs the built-in order.created, same schema and payloads: ${CONFIG.filterRounds} rounds of ${CONFIG.filterRoundEvents} events, alternating (ABBA…)`,
      );
      const builtInTenant = await bench.tenant('built-in-type');
      const tenantTypeTenant = await bench.tenant('tenant-type', TENANT_TYPE);
      for (const t of [builtInTenant, tenantTypeTenant]) await bench.throughput(t, CONFIG.warmupEvents);
      types = await abRounds(bench, builtInTenant, tenantTypeTenant);
      log(
        `    built-in type: publish ${types.plain.publishEventsPerSecond.toLocaleString('en-US')} events/s; tenant type: ${types.filtered.publishEventsPerSecond.toLocaleString('en-US')} events/s; ratio ${(types.filtered.publishEventsPerSecond / types.plain.publishEventsPerSecond).toFixed(3)}`,
      );
    }

    let isolated: IsolatedPublish | null = null;
    if (!SKIP.has('isolated')) {
      log(
        `\n(e) one publishEvents call of ${CONFIG.batch} events × ${CONFIG.endpoints} endpoints, the worker stopped: ${CONFIG.isolatedCalls} calls alternating with one multi-row INSERT of the same ${CONFIG.batch * CONFIG.endpoints} rows into a scratch table; statements and Redis commands counted on a second api`,
      );
      const target = new URL(databaseUrl);
      const proxy = await PgCountingProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      cleanups.push(() => proxy.close());
      const proxied = new URL(databaseUrl);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(proxy.port);
      const countedApi = await startService('api', { ...env, databaseUrl: proxied.toString() });
      cleanups.push(() => countedApi.stop());
      const counted = new GraphqlClient(countedApi.url);
      cleanups.push(() => counted.close());
      const before = await receivers.stats();
      const owedBefore = [...bench.expected.values()].reduce((a, b) => a + b, 0);
      const one = await bench.tenant('isolated');
      isolated = await isolatedPublish(bench, one, counted, proxy, worker, pg, redis);
      const owed = [...bench.expected.values()].reduce((a, b) => a + b, 0) - owedBefore;
      await receivers.waitForTotal(before.total + owed, 120_000);
      await countedApi.stop();
      log(
        `    publish call p50 ${isolated.publishCallMs.p50} ms vs the scratch INSERT's ${isolated.scratchInsertMs.p50} ms (×${isolated.ratioP50}); per call: ${isolated.perCall.pgStatements} Postgres statements in ${isolated.perCall.pgRoundTrips} round trips, ${isolated.perCall.redisCommands} Redis commands`,
      );
    }

    const processes: { one: ThroughputResult[]; many: ThroughputResult | null } = { one: [tp], many: null };
    if (!SKIP.has('processes')) {
      log(
        `\n(f) WORKER_PROCESSES=${CONFIG.workerProcesses} vs 1: ${CONFIG.events.toLocaleString('en-US')} events each, 1 → ${CONFIG.workerProcesses} → 1 (the first 1 is (b))`,
      );
      const restart = async (count: number): Promise<void> => {
        await worker.stop();
        worker = await startService('worker', { ...env, extra: { ...env.extra, WORKER_PROCESSES: String(count) } });
        bench.setProcess('worker', worker.pid);
        await bench.throughput(plain, CONFIG.warmupEvents);
      };
      await restart(CONFIG.workerProcesses);
      processes.many = await bench.throughput(plain, CONFIG.events);
      log(
        `    ${CONFIG.workerProcesses} processes: ${processes.many.deliveriesPerSecond.toLocaleString('en-US')} deliveries/s   cpu ${JSON.stringify(processes.many.cpu)}`,
      );
      await restart(1);
      processes.one.push(await bench.throughput(plain, CONFIG.events));
      log(
        `    1 process again: ${processes.one[1].deliveriesPerSecond.toLocaleString('en-US')} deliveries/s   cpu ${JSON.stringify(processes.one[1].cpu)}`,
      );
    }

    // A receipt comes before the worker's batched write of its result: give the last writes a moment to commit.
    const tenantStats = async (): Promise<{ tenant: string; expected: number; stats: DeliveryStatsView }[]> =>
      Promise.all(
        [...bench.expected].map(async ([t, expected]) => ({
          tenant: t.name,
          expected,
          stats: await bench.deliveryStats(t),
        })),
      );
    let stats = await tenantStats();
    for (let i = 0; i < 30 && stats.some((s) => s.stats.pending > 0); i++) {
      await sleep(500);
      stats = await tenantStats();
    }
    const complete = stats.every((s) => s.stats.succeeded === s.expected && s.stats.total === s.expected);

    const full = bench.cost(w0, w1);
    const half = bench.cost(w1, w2);
    // Hookline's own processes stop before the soak, which starts its own api and worker.
    await worker.stop();
    await api.stop();

    let soakRun: SoakFigures | null = null;
    if (!SKIP.has('soak')) {
      log(
        `\n(g) soak, one minute: healthy tenant's p95 with another tenant's never-answering endpoint beside it, over a run without it`,
      );
      soakRun = await soak();
      log(
        `    p95 ${soakRun.withDeadEndpointP95Ms} ms vs ${soakRun.baselineP95Ms} ms (×${soakRun.ratio}); before issue 16: ${soakRun.before ? `×${soakRun.before.ratio}` : 'not recorded'}; required checks ${soakRun.ok ? 'passed' : `failed: ${soakRun.failedChecks.join('; ')}`}`,
      );
    }

    const throughputRatio = tp.deliveriesPerSecond / chain.perSecond;
    const rawRatio = tp.deliveriesPerSecond / raw.perSecond;
    const ratioOf = (ab: { plain: ArmTotals; filtered: ArmTotals } | null, key: keyof ArmTotals): number =>
      ab ? (ab.filtered[key] as number) / (ab.plain[key] as number) : NaN;
    const filterPublishRatio = ratioOf(filters, 'publishEventsPerSecond');
    const filterEndToEndRatio = ratioOf(filters, 'deliveriesPerSecond');
    const tenantTypeRatio = ratioOf(types, 'publishEventsPerSecond');
    const oneProcess = Math.round(processes.one.reduce((n, r) => n + r.deliveriesPerSecond, 0) / processes.one.length);
    const halfLoad = `${Math.round(CONFIG.loadFraction * 100)} % load`;

    const lines: Line[] = [
      line('limit: raw undici POST + HMAC (req/s)', raw.perSecond),
      line('limit: Bull add + process, no-op (jobs/s)', bullNoop.perSecond),
      ...chains.map((c) =>
        line(`limit: Bull → HMAC → undici, no DB, concurrency ${c.concurrency} (deliveries/s)`, c.perSecond),
      ),
      line(
        'Hookline deliveries/s, end to end',
        tp.deliveriesPerSecond,
        `≥ ${TARGETS.throughputRatio} × chain (${chain.perSecond})`,
        throughputRatio,
        verdict(throughputRatio >= TARGETS.throughputRatio),
      ),
      line(
        '  … vs raw undici + HMAC',
        tp.deliveriesPerSecond,
        `≥ ${TARGETS.rawRatio} × raw (${raw.perSecond})`,
        rawRatio,
        verdict(rawRatio >= TARGETS.rawRatio),
      ),
      line(
        '  … vs Bull no-op',
        tp.deliveriesPerSecond,
        `Bull (${bullNoop.perSecond})`,
        tp.deliveriesPerSecond / bullNoop.perSecond,
      ),
      line('Hookline publish (events/s, fan-out ×8)', tp.publishEventsPerSecond),
      line(`p50 publish→receive at ${halfLoad} (ms)`, lat.latencyMs.p50),
      line(`p95 publish→receive at ${halfLoad} (ms)`, lat.latencyMs.p95),
      line(
        `p99 publish→receive at ${halfLoad} (ms)`,
        lat.latencyMs.p99,
        `≤ ${TARGETS.p99Ms} ms`,
        lat.latencyMs.p99 / TARGETS.p99Ms,
        verdict(lat.latencyMs.p99 <= TARGETS.p99Ms),
      ),
      line(
        'Postgres commits / delivery (full load)',
        full.pgCommitsPerDelivery,
        `≤ ${TARGETS.commitsPerDelivery}`,
        full.pgCommitsPerDelivery / TARGETS.commitsPerDelivery,
        verdict(full.pgCommitsPerDelivery <= TARGETS.commitsPerDelivery),
      ),
      line('Postgres commits / delivery (half load)', half.pgCommitsPerDelivery, 'information: fewer to batch'),
      line(
        '  … of which wrote (xids, whole cluster)',
        full.pgWriteTransactionsPerDelivery,
        'read-only ones are the rest',
      ),
      line('Postgres rows written / delivery (full load)', full.pgRowsPerDelivery),
      line(
        'Redis commands / delivery (full load)',
        full.redisCommandsPerDelivery,
        `≤ ${TARGETS.redisCommandsPerDelivery} (Bull no-op: ${bullNoop.redisCommandsPer}/job)`,
        full.redisCommandsPerDelivery / TARGETS.redisCommandsPerDelivery,
        verdict(full.redisCommandsPerDelivery <= TARGETS.redisCommandsPerDelivery),
      ),
      line(
        'new TCP connections / delivery (full load)',
        full.newConnectionsPerDelivery,
        `≤ ${TARGETS.connectionsPerDelivery}`,
        full.newConnectionsPerDelivery / TARGETS.connectionsPerDelivery,
        verdict(full.newConnectionsPerDelivery <= TARGETS.connectionsPerDelivery),
      ),
      ...(isolated
        ? [
            line(
              `publishEvents call, ${CONFIG.batch} events × ${CONFIG.endpoints} endpoints, p50 (ms)`,
              isolated.publishCallMs.p50,
              `≤ ${TARGETS.publishCallToInsertRatio} × one multi-row INSERT of its ${CONFIG.batch * CONFIG.endpoints} rows (${isolated.scratchInsertMs.p50} ms)`,
              isolated.ratioP50,
              verdict(isolated.ratioP50 <= TARGETS.publishCallToInsertRatio),
            ),
            line(
              '  … Postgres statements per call',
              isolated.perCall.pgStatements,
              `in ${isolated.perCall.pgRoundTrips} round trips`,
            ),
            line('  … Redis commands per call', isolated.perCall.redisCommands, 'Lua scripts count their calls'),
          ]
        : []),
      ...(processes.many
        ? [
            line(
              `deliveries/s with WORKER_PROCESSES=${CONFIG.workerProcesses}`,
              processes.many.deliveriesPerSecond,
              `1 process: ${processes.one.map((r) => r.deliveriesPerSecond).join(' and ')}`,
              processes.many.deliveriesPerSecond / oneProcess,
            ),
          ]
        : []),
      ...(filters
        ? [
            line(
              'publish with 3-leaf filters (events/s)',
              filters.filtered.publishEventsPerSecond,
              `≥ ${TARGETS.filterRatio} × unfiltered (${filters.plain.publishEventsPerSecond})`,
              filterPublishRatio,
              verdict(filterPublishRatio >= TARGETS.filterRatio),
            ),
            line(
              'deliveries/s with 3-leaf filters, end to end',
              filters.filtered.deliveriesPerSecond,
              `≥ ${TARGETS.filterRatio} × unfiltered (${filters.plain.deliveriesPerSecond})`,
              filterEndToEndRatio,
              verdict(filterEndToEndRatio >= TARGETS.filterRatio),
            ),
          ]
        : []),
      ...(types
        ? [
            line(
              `publish of a tenant type (${TENANT_TYPE}, events/s)`,
              types.filtered.publishEventsPerSecond,
              `≥ ${TARGETS.tenantTypeRatio} × built-in order.created (${types.plain.publishEventsPerSecond})`,
              tenantTypeRatio,
              verdict(tenantTypeRatio >= TARGETS.tenantTypeRatio),
            ),
          ]
        : []),
      ...(soakRun
        ? [
            line(
              'soak: healthy p95 beside a dead endpoint (ms)',
              soakRun.withDeadEndpointP95Ms,
              `≤ ${TARGETS.soakP95Ratio} × without it (${soakRun.baselineP95Ms} ms); before issue 16 ×${soakRun.before?.ratio ?? '?'}`,
              soakRun.ratio,
              verdict(soakRun.ratio <= TARGETS.soakP95Ratio),
            ),
            line(
              'soak: required checks',
              soakRun.ok ? 'passed' : soakRun.failedChecks.join('; '),
              '',
              null,
              verdict(soakRun.ok),
            ),
          ]
        : []),
      line(
        'every delivery SUCCEEDED, counts equal',
        complete ? 'yes' : `no: ${JSON.stringify(stats)}`,
        '',
        null,
        verdict(complete),
      ),
    ];
    log('');
    console.table(lines);
    log(`Redis commands per delivery (full load), busiest: ${JSON.stringify(full.redisTopCommandsPerDelivery)}`);
    log(`Postgres rows by table (full load): ${JSON.stringify(full.pgRowsByTable)}`);
    if (isolated)
      log(`Redis commands of one publish call, busiest: ${JSON.stringify(isolated.perCallRuns[0]?.redisTop)}`);

    const result = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '',
      loadAverageAtStart: loadAverage,
      machineBusyPercentBeforeStart: busyBefore,
      config: { ...CONFIG, workerConcurrency, endpointConcurrency, tenantConcurrency, skipped: [...SKIP] },
      targets: TARGETS,
      limits: { rawUndiciHmac: raw, bullNoop, chainNoDatabase: chain, chainRuns: chains },
      hookline: {
        throughput: tp,
        throughputRatioToChain: round(throughputRatio, 3),
        throughputRatioToRaw: round(rawRatio, 3),
        latencyAtHalfLoad: {
          targetEventsPerSecond: round(targetEvents, 1),
          ...lat,
          p99RatioToTarget: round(lat.latencyMs.p99 / TARGETS.p99Ms, 3),
        },
        costFullLoad: full,
        costHalfLoad: half,
        deliveryStats: { tenants: stats, complete },
      },
      publishCall: isolated,
      workerProcesses: {
        processes: CONFIG.workerProcesses,
        one: processes.one,
        many: processes.many,
        ratio: processes.many ? round(processes.many.deliveriesPerSecond / oneProcess, 3) : null,
      },
      filtered: filters
        ? { ...filters, publishRatio: round(filterPublishRatio, 3), endToEndRatio: round(filterEndToEndRatio, 3) }
        : null,
      tenantType: types
        ? { builtIn: types.plain, tenantType: types.filtered, publishRatio: round(tenantTypeRatio, 3) }
        : null,
      soak: soakRun,
      verdicts: {
        throughput: throughputRatio >= TARGETS.throughputRatio,
        throughputToRaw: rawRatio >= TARGETS.rawRatio,
        p99: lat.latencyMs.p99 <= TARGETS.p99Ms,
        commits: full.pgCommitsPerDelivery <= TARGETS.commitsPerDelivery,
        redisCommands: full.redisCommandsPerDelivery <= TARGETS.redisCommandsPerDelivery,
        connections: full.newConnectionsPerDelivery <= TARGETS.connectionsPerDelivery,
        publishCall: isolated ? isolated.ratioP50 <= TARGETS.publishCallToInsertRatio : null,
        filters: filters
          ? filterPublishRatio >= TARGETS.filterRatio && filterEndToEndRatio >= TARGETS.filterRatio
          : null,
        tenantType: types ? tenantTypeRatio >= TARGETS.tenantTypeRatio : null,
        soak: soakRun ? soakRun.ok && soakRun.ratio <= TARGETS.soakP95Ratio : null,
        complete,
      },
      durationSeconds: 0,
    };
    await cleanup();
    result.durationSeconds = round((nowMs() - started) / 1000, 1);
    const outDir = join(__dirname, 'results');
    mkdirSync(outDir, { recursive: true });
    const outFile = process.env.BENCH_OUT ?? join(outDir, 'latest.json');
    writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
    log(`\nwrote ${outFile} (${result.durationSeconds} s)`);
    if (!complete) process.exitCode = 1;
  } catch (error) {
    await cleanup();
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
