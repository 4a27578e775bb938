/** Counters read before and after a measured window: Postgres, Redis, percentiles. */
import Redis from 'ioredis';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Client } from 'pg';

export interface PgCounters {
  commits: number;
  rollbacks: number;
  /** Next transaction id of the whole cluster: only transactions that write consume one. */
  nextXid: number;
  /** Per table: inserted, updated, deleted rows. */
  tables: Record<string, { ins: number; upd: number; del: number }>;
}

/**
 * Postgres 15 backends flush their statistics at most once a second while busy, and an idle backend that
 * flushed less than a second ago holds the rest for up to 10 s: read the counters only after that much quiet.
 */
export const PG_STATS_SETTLE_MS = 10_500;

export async function pgCounters(client: Client, database: string): Promise<PgCounters> {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const db = await client.query<{ commits: string; rollbacks: string }>(
    'SELECT xact_commit AS commits, xact_rollback AS rollbacks FROM pg_stat_database WHERE datname = $1',
    [database],
  );
  const xid = await client.query<{ next: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS next');
  const rows = await client.query<{ relname: string; ins: string; upd: string; del: string }>(
    'SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_del AS del FROM pg_stat_user_tables',
  );
  const tables: PgCounters['tables'] = {};
  for (const r of rows.rows) tables[r.relname] = { ins: Number(r.ins), upd: Number(r.upd), del: Number(r.del) };
  return {
    commits: Number(db.rows[0]?.commits ?? 0),
    rollbacks: Number(db.rows[0]?.rollbacks ?? 0),
    nextXid: Number(xid.rows[0]?.next ?? 0),
    tables,
  };
}

export interface PgDelta {
  commits: number;
  writeTransactions: number;
  rollbacks: number;
  rowsWritten: number;
  perTable: Record<string, { ins: number; upd: number; del: number }>;
}

export function pgDelta(before: PgCounters, after: PgCounters): PgDelta {
  const perTable: PgDelta['perTable'] = {};
  let rowsWritten = 0;
  for (const [name, a] of Object.entries(after.tables)) {
    const b = before.tables[name] ?? { ins: 0, upd: 0, del: 0 };
    const d = { ins: a.ins - b.ins, upd: a.upd - b.upd, del: a.del - b.del };
    if (d.ins || d.upd || d.del) perTable[name] = d;
    rowsWritten += d.ins + d.upd;
  }
  return {
    commits: after.commits - before.commits,
    writeTransactions: after.nextXid - before.nextXid,
    rollbacks: after.rollbacks - before.rollbacks,
    rowsWritten,
    perTable,
  };
}

export interface RedisCounters {
  total: number;
  commands: Record<string, number>;
  usedMemory: number;
}

export async function redisCounters(redis: Redis): Promise<RedisCounters> {
  const [stats, commandstats, memory] = await Promise.all([
    redis.info('stats'),
    redis.info('commandstats'),
    redis.info('memory'),
  ]);
  const total = Number(/total_commands_processed:(\d+)/.exec(stats)?.[1] ?? 0);
  const commands: Record<string, number> = {};
  for (const m of commandstats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) commands[m[1]] = Number(m[2]);
  const usedMemory = Number(/^used_memory:(\d+)/m.exec(memory)?.[1] ?? 0);
  return { total, commands, usedMemory };
}

/** Commands in the window (less the three INFO calls of a reading), and the busiest ones. */
export function redisDelta(before: RedisCounters, after: RedisCounters): { total: number; top: [string, number][] } {
  const top: [string, number][] = [];
  for (const [name, calls] of Object.entries(after.commands)) {
    const d = calls - (before.commands[name] ?? 0) - (name === 'info' ? 3 : 0);
    if (d > 0) top.push([name, d]);
  }
  top.sort((a, b) => b[1] - a[1]);
  return { total: after.total - before.total - 3, top };
}

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number =>
    sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

// ------------------------------------------------------------------------------------------------ CPU accounting

/** Clock ticks (USER_HZ) by group of processes, and the machine's busy and total ticks over all cores. */
export interface CpuSample {
  machineBusy: number;
  machineTotal: number;
  perPid: Map<number, { group: string; ticks: number }>;
}

function pidTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return null;
  }
}

/** The processes started by `pid`, their children and so on (Linux: /proc/PID/task/TID/children). */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  const visit = (p: number): void => {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return; // gone meanwhile
    }
    for (const tid of tasks) {
      let children: string;
      try {
        children = readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const c of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
        found.push(c);
        visit(c);
      }
    }
  };
  if (pid > 0) visit(pid);
  return found;
}

function processesNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * Samples the CPU time of the processes that make up a run, so each window can say where the cores went:
 * named pids, the Postgres backends serving `database`, every other postgres process (checkpointer, other
 * databases' backends), and everything else on the machine ("other": e.g. a test suite running alongside).
 */
export async function cpuSample(named: Record<string, number>, pg: Client, database: string): Promise<CpuSample> {
  const ours = await pg.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
  const ourBackends = new Set(ours.rows.map((r) => Number(r.pid)));
  const perPid = new Map<number, { group: string; ticks: number }>();
  for (const [group, pid] of Object.entries(named)) {
    // A supervisor's workers (WORKER_PROCESSES) count with it.
    for (const p of [pid, ...descendants(pid)]) {
      const ticks = pidTicks(p);
      if (ticks !== null) perPid.set(p, { group, ticks });
    }
  }
  for (const pid of processesNamed('postgres')) {
    const ticks = pidTicks(pid);
    if (ticks !== null)
      perPid.set(pid, { group: ourBackends.has(pid) ? 'postgres (bench db)' : 'postgres (rest)', ticks });
  }
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const t = cpu.trim().split(/\s+/).slice(1).map(Number);
  const total = t.slice(0, 8).reduce((a, b) => a + b, 0);
  return { machineBusy: total - t[3] - t[4], machineTotal: total, perPid };
}

/** How busy the machine's cores are over `ms` (0-100 %), to tell whether something else is running. */
export async function machineBusyPercent(ms: number): Promise<number> {
  const read = (): number[] =>
    readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const a = read();
  await sleep(ms);
  const b = read();
  const d = b.map((v, i) => v - a[i]);
  const total = d.reduce((x, y) => x + y, 0);
  return total === 0 ? 0 : Math.round((100 * (total - d[3] - d[4])) / total);
}

/** Per group, the share of ONE core used during the window (a 2-core machine tops out at 200 %). */
export function cpuShares(a: CpuSample, b: CpuSample, cores: number): Record<string, number> {
  const wallTicks = (b.machineTotal - a.machineTotal) / cores;
  const groups: Record<string, number> = {};
  let accounted = 0;
  for (const [pid, now] of b.perPid) {
    const d = now.ticks - (a.perPid.get(pid)?.ticks ?? 0);
    groups[now.group] = (groups[now.group] ?? 0) + d;
    accounted += d;
  }
  const busy = b.machineBusy - a.machineBusy;
  const pct = (ticks: number): number => Math.round((100 * ticks) / wallTicks);
  const shares: Record<string, number> = {};
  for (const [group, ticks] of Object.entries(groups).sort((x, y) => y[1] - x[1])) shares[group] = pct(ticks);
  shares['other processes'] = pct(Math.max(0, busy - accounted));
  shares['machine busy'] = pct(busy);
  shares['machine capacity'] = cores * 100;
  return shares;
}

/** The redis-server's pid, when it runs on this machine (0 otherwise). */
export async function redisPid(redis: Redis): Promise<number> {
  const pid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1] ?? 0);
  return pid > 0 && existsSync(`/proc/${pid}/stat`) ? pid : 0;
}
