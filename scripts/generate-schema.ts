/** Regenerates schema.gql (sorted) from the code-first resolvers, exactly as the app does at boot. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { AppRole, loadConfig } from '../src/config/app-config';
import { ensureDatabaseExists } from '../src/database/data-source';
import { runMigrations } from '../src/database/migrate';

async function main(): Promise<void> {
  const { databaseUrl } = loadConfig();
  await ensureDatabaseExists(databaseUrl);
  await runMigrations(databaseUrl); // the app seeds the event-type catalog at boot
  const app = await NestFactory.create(AppModule.forRole(AppRole.Api, { autoSchemaFile: 'schema.gql' }), {
    logger: ['error'],
  });
  await app.init(); // the GraphQL module writes schema.gql during init
  process.stdout.write('schema.gql written\n');
  // Exit without app.close(): closing right after init races Redis clients still connecting
  // (an unhandled "Connection is closed"), and this process has nothing else to finish.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
