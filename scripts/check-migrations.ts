/**
 * Fails when the entities and the migrations disagree: applies every migration to a scratch database, then asks
 * TypeORM whether `migration:generate` would produce anything.
 */
import { execFileSync } from 'node:child_process';
import { ensureDatabaseExists } from '../src/database/data-source';
import { runMigrations } from '../src/database/migrate';

async function main(): Promise<void> {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hookline');
  url.pathname = '/hookline_migration_check';
  const databaseUrl = url.toString();
  await ensureDatabaseExists(databaseUrl);
  await runMigrations(databaseUrl);
  try {
    execFileSync(
      'npx',
      [
        'ts-node',
        '--transpile-only',
        'scripts/typeorm-cli.ts',
        'migration:generate',
        '--check',
        'src/database/migrations/Drift',
      ],
      {
        stdio: 'inherit',
        env: { ...process.env, DATABASE_URL: databaseUrl },
      },
    );
  } catch {
    process.stderr.write(
      'migration drift: the entities changed without a migration (npm run migration:generate -- src/database/migrations/Name)\n',
    );
    process.exit(1);
  }
  process.stdout.write('migrations match the entities\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
