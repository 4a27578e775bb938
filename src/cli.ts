/**
 * Operator CLI, so a fresh install can be used without minting JWTs by hand:
 *   npm run cli -- tenants:create --name Acme
 *   npm run cli -- api-keys:create --tenant <id> --name ci --permissions manage_webhooks
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ApiKeyEntity } from './auth/api-key.entity';
import { generateApiKey } from './auth/api-keys.service';
import { AuditLogEntity } from './auth/audit-log.entity';
import { Permission } from './auth/principal';
import { TenantEntity } from './auth/tenant.entity';
import { loadConfig } from './config/app-config';
import { createDataSource, ensureDatabaseExists } from './database/data-source';
import { runMigrations } from './database/migrate';

const USAGE = `usage:
  npm run cli -- tenants:create --name NAME
  npm run cli -- api-keys:create --tenant TENANT_ID --name NAME --permissions manage_webhooks[,...]`;

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, tenant: { type: 'string' }, permissions: { type: 'string' } },
  });
  const config = loadConfig();
  await ensureDatabaseExists(config.databaseUrl);
  await runMigrations(config.databaseUrl);
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
