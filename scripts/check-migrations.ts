/**
 * Fails when the entities and the migrations disagree: applies every migration to a fresh scratch database of its
 * own (so another checkout's migrations, or a run interrupted earlier, cannot leave tables behind), then asks TypeORM
 * whether `migration:generate` would produce anything. The scratch database is dropped afterwards.
 */
import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { ensureDatabaseExists } from '../src/database/data-source';
import { runMigrations } from '../src/database/migrate';

async function dropDatabase(serverUrl: URL, name: string): Promise<void> {
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hookline');
  const name = `hookline_migration_check_${process.pid}`;
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await dropDatabase(url, name);
  await ensureDatabaseExists(databaseUrl);
  try {
    await check(databaseUrl);
  } finally {
    await dropDatabase(url, name);
  }
  process.stdout.write('migrations match the entities\n');
}

async function check(databaseUrl: string): Promise<void> {
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
    throw new Error(
      'migration drift: the entities changed without a migration (npm run migration:generate -- src/database/migrations/Name)',
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
