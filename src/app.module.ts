import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainExceptionFilter } from './common/errors/domain-exception.filter';
import { AgentsModule } from './agents/agents.module';
import { AuthModule } from './auth/auth.module';
import { graphqlModule } from './common/graphql/graphql.module';
import { ConsoleHostModule } from './console-host/console-host.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { TrackedJobsModule } from './tracked-jobs/tracked-jobs.module';
import { APP_CONFIG, AppConfig, AppRole, hasApiRole } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { EndpointsModule } from './endpoints/endpoints.module';
import { EventTypesModule } from './event-types/event-types.module';
import { FiltersModule } from './filters/filters.module';
import { InboundEventsModule } from './inbound-events/inbound-events.module';
import { IntegrationsModule } from './integrations/integrations.module';
import { KeyRotationModule } from './key-rotation/key-rotation.module';
import { RegistrationsModule } from './registrations/registrations.module';
import { RetentionModule } from './retention/retention.module';
import { TelemetryModule } from './common/telemetry/telemetry.module';

export const FEATURE_MODULES = [
  EventTypesModule,
  EndpointsModule,
  DeliveriesModule,
  FiltersModule,
  InboundEventsModule,
  IntegrationsModule,
  RegistrationsModule,
  RetentionModule,
  KeyRotationModule,
];

@Module({})
export class AppModule {
  /** api: HTTP + GraphQL; worker: queue processors only; all: both. */
  static forRole(role: AppRole, opts: { autoSchemaFile?: string | boolean } = {}): DynamicModule {
    const http = hasApiRole(role);
    return {
      module: AppModule,
      imports: [
        ConfigModule,
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => dataSourceOptions(config.databaseUrl),
        }),
        // In-process domain events (endpoint enabled/disabled, attempt recorded, event published).
        EventEmitterModule.forRoot(),
        TelemetryModule,
        AuthModule,
        IdempotencyModule,
        TrackedJobsModule,
        ...FEATURE_MODULES,
        ...(http
          ? [
              HealthModule,
              ConsoleHostModule,
              AgentsModule,
              graphqlModule({ autoSchemaFile: opts.autoSchemaFile ?? true, authentication: AuthModule }),
            ]
          : []),
      ],
      providers: [{ provide: APP_FILTER, useClass: DomainExceptionFilter }],
    };
  }
}
