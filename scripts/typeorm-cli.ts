/** Runs the TypeORM CLI against ormconfig.ts, creating the database named in DATABASE_URL first when missing. */
import { loadConfig } from '../src/config/app-config';
import { ensureDatabaseExists } from '../src/database/data-source';

async function main(): Promise<void> {
  await ensureDatabaseExists(loadConfig().databaseUrl);
  const [command, ...rest] = process.argv.slice(2);
  process.argv = [process.argv[0], 'typeorm', command, '-d', 'ormconfig.ts', ...rest];
  require('typeorm/cli.js');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
