import { ApolloDriverConfig } from '@nestjs/apollo';
import type { ModuleMetadata } from '@nestjs/common';
import { GraphQLModule as NestGraphQLModule } from '@nestjs/graphql';
import { join } from 'node:path';
import type { SubscribePayload } from 'graphql-ws';
import { ExecutionArgs, GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { formatGraphqlError } from '../errors/format-graphql-error';
import { CommonModule } from '../common.module';
import { MetricsService } from '../metrics/metrics.service';
import { RateLimitsService } from '../rate-limits/rate-limits.service';
import { CALLER_CREDENTIALS, CallerCredentials } from './caller-credentials';
import { buildGraphqlContext } from './graphql-context';
import { HooklineApolloDriver } from './hookline-apollo.driver';
import { MAX_OPERATION_COST, queryCostPlugin } from './query-cost';
import { productionIntrospectionRule } from './introspection-rule';
import { operationPoints } from './operation-points';
import { queryLimitsRule } from './query-limits';
import { rateLimitPlugin, rateLimitRefusal } from './rate-limit.plugin';
import { DateTimeScalar } from './scalars';
import { variablesDepthPlugin } from './variables-depth.plugin';
import { graphqlTracingPlugin } from '../telemetry/graphql-tracing';
import { tracingEnabled } from '../telemetry/tracing';
import { namesIn, redactSchemaDetails, schemaDetailsPlugin } from './schema-details';
import type { WsContext } from './graphql-context';
import { SOCKET_AUTHENTICATOR, SocketAuthenticator } from './socket-authenticator';
import { GraphqlWsOptions, prepareOperation, WS_MAX_PAYLOAD_BYTES } from './ws-server';

export const SCHEMA_FILE = join(process.cwd(), 'schema.gql');

/**
 * GraphQL at /graphql over HTTP (Apollo Server 5) and WebSocket (graphql-ws only), with the same limits on both.
 * `authentication` is the module that provides SOCKET_AUTHENTICATOR (auth's), given by the composition root.
 */
export function graphqlModule(options: {
  autoSchemaFile: string | boolean;
  authentication: NonNullable<ModuleMetadata['imports']>[number];
}) {
  return NestGraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: HooklineApolloDriver,
    imports: [CommonModule, options.authentication],
    inject: [APP_CONFIG, SOCKET_AUTHENTICATOR, MetricsService, RateLimitsService, CALLER_CREDENTIALS],
    useFactory: (
      config: AppConfig,
      sockets: SocketAuthenticator,
      metrics: MetricsService,
      limits: RateLimitsService,
      credentials: CallerCredentials,
    ): ApolloDriverConfig => {
      const production = config.env === 'production';
      // Production keeps introspection off with a rule of ours, applied over HTTP and WebSocket alike.
      const validationRules = production ? [queryLimitsRule, productionIntrospectionRule] : [queryLimitsRule];
      const rules = { validationRules, hideSuggestions: production, costLimit: MAX_OPERATION_COST };
      let schema: GraphQLSchema | undefined; // set by transformSchema once Nest has built it
      const format = (errors: readonly GraphQLError[], payload?: SubscribePayload): GraphQLFormattedError[] =>
        errors.map((e) => {
          const formatted = formatGraphqlError(e.toJSON(), e);
          if (!production || !schema || formatted.path) return formatted;
          return {
            ...formatted,
            message: redactSchemaDetails(
              formatted.message,
              schema,
              namesIn(payload?.query ?? '', JSON.stringify(payload?.variables ?? {})),
            ),
          };
        });
      const graphqlWs: Omit<GraphqlWsOptions, 'schema' | 'context'> = {
        path: '/graphql',
        maxPayload: WS_MAX_PAYLOAD_BYTES,
        connectionInitWaitTimeout: config.wsConnectionInitTimeoutMs,
        // false closes the socket with 4403 Forbidden.
        onConnect: (ctx) => sockets.connect(ctx as WsContext),
        // Each new operation re-checks the socket's credential, then applies HTTP's validation rules and cost limit,
        // which graphql-ws alone would skip.
        onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[] | void> => {
          const refused = await sockets.subscribe(ctx as WsContext);
          if (refused) return refused;
          const prepared = prepareOperation(currentSchema(), payload, rules);
          const credential = credentials.ofCaller((ctx as WsContext).extra.principal);
          if (!('schema' in prepared) || credential === null) return prepared;
          // Each operation over the socket spends its points as over HTTP; a refusal is that operation's error.
          const cost = operationPoints(prepared.schema, prepared.document, payload.operationName, payload.variables);
          const limited = await rateLimitRefusal(limits, credential, cost);
          return limited ? [new GraphQLError(limited.message, { originalError: limited })] : prepared;
        },
        // graphql-ws bypasses Apollo's formatError: apply the same mapping so codes reach WebSocket clients.
        onNext: (_ctx, _id, payload, _args, result) =>
          result.errors?.length ? { ...result, errors: format(result.errors, payload) } : result,
        // Errors thrown while setting a subscription up (guard, NOT_FOUND, limits) are sent as `error` messages.
        onError: (_ctx, _id, payload, errors) => format(errors, payload),
        onClose: (ctx) => sockets.disconnect(ctx as WsContext),
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
        introspection: true, // productionIntrospectionRule decides in production
        csrfPrevention: true,
        allowBatchedHttpRequests: false,
        includeStacktraceInErrorResponses: false,
        validationRules,
        validationOptions: { hideSuggestions: production },
        formatError: formatGraphqlError,
        plugins: [
          metrics.apolloPlugin(),
          rateLimitPlugin(limits, credentials),
          variablesDepthPlugin(),
          queryCostPlugin(MAX_OPERATION_COST),
          ...(production ? [schemaDetailsPlugin()] : []),
          ...(tracingEnabled() ? [graphqlTracingPlugin()] : []),
        ],
        transformSchema: (built: GraphQLSchema) => (schema = built),
        context: buildGraphqlContext,
        subscriptions: { 'graphql-ws': graphqlWs as never },
      };
    },
  });
}
