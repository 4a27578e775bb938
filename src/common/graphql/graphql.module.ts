import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Global, Module } from '@nestjs/common';
import { GraphQLModule as NestGraphQLModule } from '@nestjs/graphql';
import { join } from 'node:path';
import type { Context } from 'graphql-ws';
import type { ExecutionResult, GraphQLError } from 'graphql';
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
          onConnect: async (ctx: Context<Record<string, unknown> | undefined, unknown>) => {
            try {
              const principal = await auth.authenticate(ctx.connectionParams?.authorization);
              (ctx.extra as WsExtra).principal = principal;
              wsAuth.track(ctx as Context<Record<string, unknown> | undefined, WsExtra>);
              return true;
            } catch (error) {
              if (error instanceof DomainError) return false; // graphql-ws closes with 4403 Forbidden
              throw error;
            }
          },
          // graphql-ws bypasses Apollo's formatError: apply the same mapping so codes reach WebSocket clients.
          onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) =>
            result.errors?.length ? { ...result, errors: result.errors.map((e) => formatGraphqlError(e.toJSON(), e)) } : result,
          // Errors thrown while setting a subscription up (guard, NOT_FOUND) are sent as `error` messages.
          ...({ onError: (_ctx: unknown, _id: string, _payload: unknown, errors: readonly GraphQLError[]) => errors.map((e) => formatGraphqlError(e.toJSON(), e)) } as object),
          onClose: (ctx: Context<Record<string, unknown> | undefined, unknown>) => wsAuth.untrack(ctx as Context<Record<string, unknown> | undefined, WsExtra>),
        },
      },
    }),
  });
}

@Global()
@Module({})
export class GraphqlRootModule {}
