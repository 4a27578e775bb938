import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule as NestGraphQLModule } from '@nestjs/graphql';
import { join } from 'node:path';
import type { SubscribePayload } from 'graphql-ws';
import { ExecutionArgs, GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { AuthService } from '../../auth/auth.service';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { formatGraphqlError } from '../errors/format-graphql-error';
import { DomainError } from '../errors/domain-error';
import { MetricsService } from '../metrics/metrics.service';
import { buildGraphqlContext } from './graphql-context';
import { HooklineApolloDriver } from './hookline-apollo.driver';
import { MAX_OPERATION_COST, queryCostPlugin } from './query-cost';
import { queryLimitsRule } from './query-limits';
import { DateTimeScalar } from './scalars';
import { variablesDepthPlugin } from './variables-depth.plugin';
import { namesIn, redactSchemaDetails, schemaDetailsPlugin } from './schema-details';
import { credentialExpiry, SubscriptionAuthService, WsContext } from './subscription-auth.service';
import { GraphqlWsOptions, prepareOperation, WS_MAX_PAYLOAD_BYTES } from './ws-server';

export const SCHEMA_FILE = join(process.cwd(), 'schema.gql');

/** GraphQL at /graphql over HTTP (Apollo Server 5) and WebSocket (graphql-ws only), with the same limits on both. */
export function graphqlModule(options: { autoSchemaFile: string | boolean }) {
  return NestGraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: HooklineApolloDriver,
    inject: [APP_CONFIG, AuthService, MetricsService, SubscriptionAuthService],
    useFactory: (config: AppConfig, auth: AuthService, metrics: MetricsService, wsAuth: SubscriptionAuthService): ApolloDriverConfig => {
      const production = config.env === 'production';
      const rules = { validationRules: [queryLimitsRule], hideSuggestions: production, costLimit: MAX_OPERATION_COST };
      let schema: GraphQLSchema | undefined; // set by transformSchema once Nest has built it
      const format = (errors: readonly GraphQLError[], payload?: SubscribePayload): GraphQLFormattedError[] =>
        errors.map((e) => {
          const formatted = formatGraphqlError(e.toJSON(), e);
          if (!production || !schema || formatted.path) return formatted;
          return { ...formatted, message: redactSchemaDetails(formatted.message, schema, namesIn(payload?.query ?? '', JSON.stringify(payload?.variables ?? {}))) };
        });
      const graphqlWs: Omit<GraphqlWsOptions, 'schema' | 'context'> = {
        path: '/graphql',
        maxPayload: WS_MAX_PAYLOAD_BYTES,
        connectionInitWaitTimeout: config.wsConnectionInitTimeoutMs,
        onConnect: async (ctx) => {
          try {
            const authorization = ctx.connectionParams?.authorization;
            const principal = await auth.authenticate(authorization);
            return wsAuth.admit(ctx as WsContext, principal, credentialExpiry(authorization));
          } catch (error) {
            if (error instanceof DomainError) return false; // graphql-ws closes with 4403 Forbidden
            throw error;
          }
        },
        // Each new operation re-checks the socket's limits and its credential (expired, revoked), then applies
        // HTTP's validation rules and cost limit, which graphql-ws alone would skip.
        onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[] | void> => {
          const refused = wsAuth.checkSubscribe(ctx as WsContext);
          if (refused === 'expired') return [new GraphQLError('credential expired')];
          if (refused) return [new GraphQLError(refused.message, { originalError: refused })];
          try {
            await auth.authenticate(ctx.connectionParams?.authorization);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            wsAuth.refuse(ctx as WsContext, error.message);
            return [new GraphQLError(error.message, { originalError: error })];
          }
          return prepareOperation(currentSchema(), payload, rules);
        },
        // graphql-ws bypasses Apollo's formatError: apply the same mapping so codes reach WebSocket clients.
        onNext: (_ctx, _id, payload, _args, result) => (result.errors?.length ? { ...result, errors: format(result.errors, payload) } : result),
        // Errors thrown while setting a subscription up (guard, NOT_FOUND, limits) are sent as `error` messages.
        onError: (_ctx, _id, payload, errors) => format(errors, payload),
        onClose: (ctx) => wsAuth.release(ctx as WsContext),
      };
      const currentSchema = (): GraphQLSchema => {
        if (!schema) throw new Error('GraphQL schema not built yet');
        return schema;
      };
      return {
        autoSchemaFile: options.autoSchemaFile,
        sortSchema: true,
        buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }], numberScalarMode: 'integer' },
        path: '/graphql',
        playground: false,
        graphiql: false,
        introspection: !production,
        csrfPrevention: true,
        allowBatchedHttpRequests: false,
        includeStacktraceInErrorResponses: false,
        validationRules: [queryLimitsRule],
        validationOptions: { hideSuggestions: production },
        formatError: formatGraphqlError,
        plugins: [metrics.apolloPlugin(), variablesDepthPlugin(), queryCostPlugin(MAX_OPERATION_COST), ...(production ? [schemaDetailsPlugin()] : [])],
        transformSchema: (built: GraphQLSchema) => (schema = built),
        context: buildGraphqlContext,
        subscriptions: { 'graphql-ws': graphqlWs as never },
      };
    },
  });
}
