/**
 * `with-services CMD ARGS...`: finds or starts Postgres and Redis (see dev-services.ts), runs CMD with
 * DATABASE_URL / REDIS_URL set, stops what it started, and exits with CMD's code.
 * Tests use their own database (hookline_test), never the development one.
 */
import { spawn } from 'node:child_process';
import { ensureServices } from './dev-services';

async function main(): Promise<void> {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) throw new Error('usage: with-services CMD [ARGS...]');
  const isTest = /jest|bench|soak/.test([cmd, ...args].join(' '));
  const services = await ensureServices({
    database: isTest ? 'hookline_test' : 'hookline',
    forceEmbedded: process.env.HOOKLINE_EMBEDDED === '1',
  });
  const child = spawn(cmd, args, {
    stdio: 'inherit',
    env: {
      ...process.env,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      ...(isTest ? { NODE_ENV: process.env.NODE_ENV ?? 'test' } : {}),
    },
  });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code: number = await new Promise((done) => child.on('exit', (c, s) => done(c ?? (s ? 1 : 0))));
  await services.stop();
  process.exit(code);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
