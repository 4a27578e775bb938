import { loadConfig } from '../../src/config/app-config';
import { ensureDatabaseExists } from '../../src/database/data-source';
import { runMigrations } from '../../src/database/migrate';
import { applyTestEnv } from './test-env';

/** Once per run: the test database exists and every migration is applied (never synchronize). */
export default async function globalSetup(): Promise<void> {
  applyTestEnv();
  const config = loadConfig();
  await ensureDatabaseExists(config.databaseUrl);
  await runMigrations(config.databaseUrl);
}
