/** Regenerates schema.gql (sorted) from the code-first resolvers, exactly as the app does at boot. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { AppRole, loadConfig } from '../src/config/app-config';
import { ensureDatabaseExists } from '../src/database/data-source';

async function main(): Promise<void> {
  await ensureDatabaseExists(loadConfig().databaseUrl);
  const app = await NestFactory.create(AppModule.forRole(AppRole.Api, { autoSchemaFile: 'schema.gql' }), { logger: ['error'] });
  await app.init();
  await app.close();
  process.stdout.write('schema.gql written\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
