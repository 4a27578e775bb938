import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AddressInfo } from 'node:net';
import { AppModule } from '../../src/app.module';
import { AppConfig, AppRole, loadConfig } from '../../src/config/app-config';
import { JsonLogger } from '../../src/common/logging/json-logger';
import { configureHttpApp } from '../../src/main';
import { applyTestEnv } from './test-env';

export interface TestApp {
  app: INestApplication;
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  config: AppConfig;
  close(): Promise<void>;
}

export interface ProviderOverride {
  token: string | symbol | (abstract new (...args: never[]) => unknown);
  value: unknown;
}

/**
 * Boots the whole service in this process (APP_ROLE=all) on a free port, against real Postgres and Redis.
 * `env` is applied while the app reads its config; `overrides` replace providers (e.g. the HTTP_RESOLVER DNS hook).
 */
export async function createTestApp(
  env: Record<string, string> = {},
  overrides: ProviderOverride[] = [],
): Promise<TestApp> {
  applyTestEnv();
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    const config = loadConfig();
    let builder = Test.createTestingModule({ imports: [AppModule.forRole(AppRole.All, { autoSchemaFile: true })] });
    for (const { token, value } of overrides) builder = builder.overrideProvider(token).useValue(value);
    const moduleRef = await builder.compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({
      logger: new JsonLogger(config.logLevel),
      bodyParser: false,
    });
    configureHttpApp(app);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    return {
      app,
      url,
      graphqlUrl: `${url}/graphql`,
      wsUrl: `ws://127.0.0.1:${port}/graphql`,
      config,
      close: () => app.close(),
    };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
