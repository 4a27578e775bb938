/**
 * `npm start`: finds or starts Postgres and Redis, builds the console when dist/console is missing, then boots the
 * service in this process (migrations run at boot).
 */
import { ensureConsoleBuilt } from './console-build';
import { ensureServices } from './dev-services';

async function main(): Promise<void> {
  if (ensureConsoleBuilt({ onlyIfMissing: true })) process.stdout.write('built the console into dist/console\n');
  const services = await ensureServices({ database: 'hookline', forceEmbedded: process.env.HOOKLINE_EMBEDDED === '1' });
  process.env.DATABASE_URL = services.databaseUrl;
  process.env.REDIS_URL = services.redisUrl;
  const shutdown = (): void => {
    void services.stop().finally(() => process.exit(0));
  };
  process.once('exit', () => void services.stop());
  const { bootstrap } = await import('../src/main');
  const app = await bootstrap();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void app.close().finally(shutdown);
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
