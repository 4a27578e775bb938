import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { applyTestEnv } from './test-env';
import { waitUntil } from './receiver';

export interface AppProcess {
  child: ChildProcess;
  url: string;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * Starts the service as its own process (APP_ROLE=api or worker), as production runs it. A process that is not up
 * within `bootTimeoutMs` is killed before the error is thrown: left running, it would boot later and take the
 * queue jobs of the next test (same queue prefix).
 */
export async function startAppProcess(
  role: 'api' | 'worker' | 'all',
  env: Record<string, string> = {},
  bootTimeoutMs = 60_000,
  /** The working directory; the repository's by default (a deployment may start the service from anywhere). */
  cwd = process.cwd(),
): Promise<AppProcess> {
  applyTestEnv();
  const port = await freePort();
  let out = '';
  const child = spawn(
    process.execPath,
    [join(process.cwd(), 'node_modules/ts-node/dist/bin.js'), '--transpile-only', join(process.cwd(), 'src/main.ts')],
    {
      cwd,
      env: { ...process.env, APP_ROLE: role, PORT: String(port), LOG_LEVEL: 'info', MIGRATIONS_RUN: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`${role} process exited early: ${out.slice(-2000)}`);
      return role === 'worker'
        ? out.includes('worker started')
        : fetch(`${url}/health`).then(
            (r) => r.ok,
            () => false,
          );
    },
    bootTimeoutMs,
    200,
  ).catch((error: unknown) => {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  });
  return {
    child,
    url,
    port,
    output: () => out,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
