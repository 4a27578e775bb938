/**
 * Operator CLI, so a fresh install can be used without minting JWTs by hand:
 *   npm run cli -- tenants:create --name Acme
 *   npm run cli -- api-keys:create --tenant <id> --name ci --permissions manage_webhooks
 *   npm run cli -- secrets:reencrypt
 */
import 'reflect-metadata';
import type { DynamicModule } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ApiKeyEntity } from './auth/api-key.entity';
import { generateApiKey } from './auth/api-keys.service';
import { AuditLogEntity } from './auth/audit-log.entity';
import { Permission } from './auth/principal';
import { TenantEntity } from './auth/tenant.entity';
import { APP_CONFIG, AppConfig, AppRole, loadConfig } from './config/app-config';
import { createDataSource, dataSourceOptions, ensureDatabaseExists } from './database/data-source';
import { runMigrations } from './database/migrate';
import { TrackedJobStatus } from './tracked-jobs/tracked-job.entity';

const USAGE = `usage:
  npm run cli -- tenants:create --name NAME
  npm run cli -- api-keys:create --tenant TENANT_ID --name NAME --permissions manage_webhooks[,...]
  npm run cli -- secrets:reencrypt`;

/** How often secrets:reencrypt prints its progress. */
const PROGRESS_POLL_MS = 500;

/** The root of what secrets:reencrypt boots (its imports are given below). */
class ReencryptRoot {}

/**
 * Moves every stored secret to the first key of SECRETS_ENCRYPTION_KEYS, as a tracked job run in this process
 * (an interrupted run's job is resumed). Prints progress; exits non-zero when the job fails.
 */
async function reencryptSecrets(config: AppConfig): Promise<void> {
  // Modules register queue processors by role when they are loaded: this process must not work any queue.
  process.env.APP_ROLE = AppRole.Api;
  // Loaded here, so that the other commands start as fast as before.
  const { NestFactory } = await import('@nestjs/core');
  const { EventEmitterModule } = await import('@nestjs/event-emitter');
  const { TypeOrmModule } = await import('@nestjs/typeorm');
  const { ConfigModule } = await import('./config/config.module');
  const { KeyRotationModule } = await import('./key-rotation/key-rotation.module');
  const { SecretsReencryptJob } = await import('./key-rotation/secrets-reencrypt.job');
  const root: DynamicModule = {
    module: ReencryptRoot,
    imports: [
      ConfigModule,
      TypeOrmModule.forRootAsync({
        inject: [APP_CONFIG],
        useFactory: (c: AppConfig) => dataSourceOptions(c.databaseUrl),
      }),
      EventEmitterModule.forRoot(),
      KeyRotationModule,
    ],
  };
  const app = await NestFactory.createApplicationContext(root, { logger: ['error'] });
  try {
    const reencrypt = app.get(SecretsReencryptJob);
    const { job, resumed } = await reencrypt.startOrResume();
    const current = config.secretKeys[0].id;
    process.stdout.write(
      `${resumed ? 'resuming' : 'started'} tracked job ${job.id}: re-encrypting secrets under key id "${current}"\n`,
    );
    let shown = '';
    const show = async (): Promise<void> => {
      const { progress, total } = await reencrypt.find(job.id);
      const line = `progress ${progress}/${total ?? '?'}`;
      if (line !== shown) process.stdout.write(`${line}\n`);
      shown = line;
    };
    const timer = setInterval(() => void show().catch(() => undefined), PROGRESS_POLL_MS);
    const finished = await reencrypt.run(job.id).finally(() => clearInterval(timer));
    await show();
    if (finished.status !== TrackedJobStatus.COMPLETED) {
      throw new Error(`secrets:reencrypt failed (tracked job ${job.id}): ${finished.error ?? finished.status}`);
    }
    process.stdout.write(`done: ${JSON.stringify(finished.result)}\n`);
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, tenant: { type: 'string' }, permissions: { type: 'string' } },
  });
  const config = loadConfig();
  await ensureDatabaseExists(config.databaseUrl);
  await runMigrations(config.databaseUrl);
  if (command === 'secrets:reencrypt') return reencryptSecrets(config);
  const dataSource = await createDataSource(config.databaseUrl).initialize();
  try {
    if (command === 'tenants:create') {
      if (!values.name) throw new Error('--name is required');
      const tenant = await dataSource.getRepository(TenantEntity).save({ id: randomUUID(), name: values.name });
      process.stdout.write(`tenant ${tenant.id} (${tenant.name}) created\n`);
      return;
    }
    if (command === 'api-keys:create') {
      if (!values.tenant || !values.name) throw new Error('--tenant and --name are required');
      const permissions = (values.permissions ?? Permission.ManageWebhooks)
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      const unknown = permissions.filter((p) => !(Object.values(Permission) as string[]).includes(p));
      if (unknown.length > 0) throw new Error(`unknown permission(s): ${unknown.join(', ')}`);
      if ((await dataSource.getRepository(TenantEntity).countBy({ id: values.tenant })) === 0)
        throw new Error(`tenant ${values.tenant} not found`);
      const { key, prefix, keyHash } = generateApiKey();
      const saved = await dataSource
        .getRepository(ApiKeyEntity)
        .save({ tenantId: values.tenant, name: values.name, prefix, keyHash, permissions, createdBy: 'cli' });
      await dataSource.getRepository(AuditLogEntity).insert({
        tenantId: values.tenant,
        action: 'api_key.created',
        actorType: 'system',
        actorId: 'cli',
        targetType: 'api_key',
        targetId: saved.id,
        metadata: { name: values.name, permissions },
      });
      process.stdout.write(`api key ${saved.id} created for tenant ${values.tenant}; it is shown only once:\n${key}\n`);
      return;
    }
    throw new Error(USAGE);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
