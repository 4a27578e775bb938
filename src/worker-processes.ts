/**
 * WORKER_PROCESSES > 1 with APP_ROLE=worker: this process runs the migrations once, then starts that many worker
 * processes with the same environment (each one a single-threaded worker of its own, on its own core), restarts one
 * that dies, and on SIGTERM/SIGINT passes the signal on and exits once every one of them has drained.
 */
import { ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppConfig } from './config/app-config';
import { JsonLogger } from './common/logging/json-logger';

/** Set in a child's environment: it is one of the supervised workers, not a supervisor. */
export const SUPERVISED_WORKER_ENV = 'HOOKLINE_SUPERVISED_WORKER';
/** A child that dies sooner than this after its start is restarted after RESTART_BACKOFF_MS, not at once. */
const STABLE_AFTER_MS = 10_000;
const RESTART_BACKOFF_MS = 2_000;

export function isSupervisor(config: AppConfig): boolean {
  return config.workerProcesses > 1 && process.env[SUPERVISED_WORKER_ENV] !== '1';
}

/**
 * Under ts-node, the loader of a child looks for tsconfig.json from its working directory, and without one it compiles
 * with defaults TypeScript 6 refuses: point it at the project's, the nearest one above the entry.
 */
function tsNodeProject(entry: string): Record<string, string> {
  if (!entry.endsWith('.ts') || process.env.TS_NODE_PROJECT) return {};
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tsconfig.json'))) return { TS_NODE_PROJECT: join(dir, 'tsconfig.json') };
    if (dirname(dir) === dir) return {};
  }
}

export function superviseWorkers(config: AppConfig, entry: string, logger: JsonLogger): Promise<number> {
  const children = new Set<ChildProcess>();
  let stopping = false;
  let worstExit = 0;
  let allExited: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allExited = resolve));

  const start = (slot: number): void => {
    const startedAt = Date.now();
    const child = fork(entry, process.argv.slice(2), {
      // Under ts-node (npm start, tests) the child needs the same loader; the built service runs plain JavaScript.
      // Resolved here, not by the child: `-r name` resolves from the working directory, which may be anywhere.
      execArgv: entry.endsWith('.ts') ? ['-r', require.resolve('ts-node/register/transpile-only')] : process.execArgv,
      env: { ...process.env, ...tsNodeProject(entry), [SUPERVISED_WORKER_ENV]: '1', MIGRATIONS_RUN: 'false' },
      stdio: 'inherit',
    });
    children.add(child);
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (stopping) {
        if (code !== 0) worstExit = Math.max(worstExit, code ?? 1);
        if (children.size === 0) allExited();
        return;
      }
      logger.warn({ msg: 'worker process died; starting another', slot, pid: child.pid, code, signal }, 'Workers');
      const wait = Date.now() - startedAt < STABLE_AFTER_MS ? RESTART_BACKOFF_MS : 0;
      setTimeout(() => {
        if (!stopping) start(slot);
      }, wait);
    });
  };

  for (let slot = 0; slot < config.workerProcesses; slot++) start(slot);
  logger.log({ msg: 'worker processes started', count: config.workerProcesses }, 'Workers');

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true;
      if (children.size === 0) allExited();
      for (const child of children) child.kill(signal);
    });
  }
  return done.then(() => {
    logger.log({ msg: 'worker processes stopped', exitCode: worstExit }, 'Workers');
    return worstExit;
  });
}
