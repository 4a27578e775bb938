import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Global, Module } from '@nestjs/common';
import { GraphQLModule as NestGraphQLModule } from '@nestjs/graphql';
import { join } from 'node:path';
import type { Context } from 'graphql-ws';
import { AuthService } from '../../auth/auth.service';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { formatGraphqlError } from '../errors/format-graphql-error';
import { DomainError } from '../errors/domain-error';
import { MetricsService } from '../metrics/metrics.service';
import { buildGraphqlContext, WsExtra } from './graphql-context';
import { queryLimitsRule } from './query-limits';
import { DateTimeScalar } from './scalars';
import { SubscriptionAuthService } from './subscription-auth.service';

export const SCHEMA_FILE = join(process.cwd(), 'schema.gql');

/** GraphQL at /graphql over HTTP (Apollo Server 5) and WebSocket (graphql-ws only). */
export function graphqlModule(options: { autoSchemaFile: string | boolean }) {
  return NestGraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: ApolloDriver,
    inject: [APP_CONFIG, AuthService, MetricsService, SubscriptionAuthService],
    useFactory: (config: AppConfig, auth: AuthService, metrics: MetricsService, wsAuth: SubscriptionAuthService): ApolloDriverConfig => ({
      autoSchemaFile: options.autoSchemaFile,
      sortSchema: true,
      buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }], numberScalarMode: 'integer' },
      path: '/graphql',
      playground: false,
      graphiql: false,
      introspection: config.env !== 'production',
      csrfPrevention: true,
      allowBatchedHttpRequests: false,
      includeStacktraceInErrorResponses: false,
      validationRules: [queryLimitsRule],
      formatError: formatGraphqlError,
      plugins: [metrics.apolloPlugin()],
      context: buildGraphqlContext,
      subscriptions: {
        'graphql-ws': {
          path: '/graphql',
          connectionInitWaitTimeout: 10_000,
          onConnect: async (ctx: Context<Record<string, unknown> | undefined, WsExtra>) => {
            try {
              const principal = await auth.authenticate(ctx.connectionParams?.authorization);
              ctx.extra.principal = principal;
              wsAuth.track(ctx);
              return true;
            } catch (error) {
              if (error instanceof DomainError) return false; // graphql-ws closes with 4403 Forbidden
              throw error;
            }
          },
          onClose: (ctx: Context<Record<string, unknown> | undefined, WsExtra>) => wsAuth.untrack(ctx),
        },
      },
    }),
  });
}

@Global()
@Module({})
export class GraphqlRootModule {}
