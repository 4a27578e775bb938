import 'reflect-metadata';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, NextFunction, raw, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module';
import { JsonLogger } from './common/logging/json-logger';
import { requestContext } from './common/logging/request-context';
import { MetricsService } from './common/metrics/metrics.service';
import { AppConfig, AppRole, ConfigError, hasApiRole, loadConfig } from './config/app-config';
import { isSupervisor, superviseWorkers } from './worker-processes';
import { ensureDatabaseExists } from './database/data-source';
import { runMigrations } from './database/migrate';
import { validationPipe } from './common/errors/validation-pipe';
import { graphqlSpanMiddleware } from './common/telemetry/graphql-tracing';
import { startTelemetry } from './common/telemetry/telemetry';
import { tracingEnabled } from './common/telemetry/tracing';

export const INBOUND_BODY_LIMIT = 1024 * 1024;

/**
 * Only the signals that ask for a shutdown. Nest's default list also traps SIGILL, SIGSEGV, SIGBUS, SIGFPE and
 * SIGABRT: a fatal V8 error ends in a trap instruction (SIGILL), and a handler that returns makes the CPU re-run
 * it forever at 100 % instead of letting the process die for its supervisor to restart.
 */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Body parsing, request ids and metrics for the HTTP app. Inbound callbacks keep their raw body for verification. */
export function configureHttpApp(app: NestExpressApplication): void {
  const metrics = app.get(MetricsService);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    requestContext.run({ requestId }, next);
  });
  app.use(metrics.httpMiddleware());
  app.use('/inbound', raw({ type: () => true, limit: INBOUND_BODY_LIMIT }));
  app.use('/graphql', json({ limit: '2mb' }));
  if (tracingEnabled()) app.use('/graphql', graphqlSpanMiddleware());
  app.useGlobalPipes(validationPipe());
  // Exit 0 once shutdown completes (Nest would otherwise re-raise the signal: exit code 143 on SIGTERM).
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS], { useProcessExit: true });
}

export async function prepareDatabase(config: AppConfig, logger: JsonLogger): Promise<void> {
  await ensureDatabaseExists(config.databaseUrl);
  if (config.migrationsRun) {
    const ran = await runMigrations(config.databaseUrl);
    if (ran.length > 0) logger.log({ msg: 'migrations applied', migrations: ran }, 'Bootstrap');
  }
}

export async function bootstrap(): Promise<INestApplication | INestApplicationContext> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = new JsonLogger(config.logLevel);
  // Before Nest builds anything: the GraphQL plugin and the /graphql middleware are added only with tracing on.
  if (startTelemetry({ endpoint: config.otlpEndpoint, role: config.role, serviceName: config.otelServiceName }))
    logger.log({ msg: 'tracing on', endpoint: config.otlpEndpoint }, 'Bootstrap');
  await prepareDatabase(config, logger);

  if (config.role === AppRole.Worker && isSupervisor(config)) {
    process.exit(await superviseWorkers(config, __filename, logger));
  }
  const module = AppModule.forRole(config.role, { autoSchemaFile: config.env === 'production' ? true : 'schema.gql' });
  if (!hasApiRole(config.role)) {
    const ctx = await NestFactory.createApplicationContext(module, { logger });
    ctx.enableShutdownHooks([...SHUTDOWN_SIGNALS], { useProcessExit: true });
    logger.log({ msg: 'worker started', role: config.role, pid: process.pid }, 'Bootstrap');
    return ctx;
  }
  const app = await NestFactory.create<NestExpressApplication>(module, { logger, bodyParser: false });
  configureHttpApp(app);
  await app.listen(config.port, '0.0.0.0');
  logger.log({ msg: 'listening', port: config.port, role: config.role }, 'Bootstrap');
  return app;
}

if (require.main === module) {
  bootstrap().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
