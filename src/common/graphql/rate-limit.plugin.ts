import { ApolloServerPlugin, GraphQLResponse, HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { DomainError } from '../errors/domain-error';
import { formatGraphqlError } from '../errors/format-graphql-error';
import { retryAfterSeconds } from '../rate-limits/rate-limit-windows';
import { CredentialRateLimitedError, RateLimitRequestTooLargeError } from '../rate-limits/rate-limits.errors';
import { RateLimitScope, RateLimitsService } from '../rate-limits/rate-limits.service';
import type { CallerCredentials } from './caller-credentials';
import type { GraphqlContext } from './graphql-context';
import { OperationPoints, operationPoints } from './operation-points';

/** Spends an operation's points of its credential's API budget: null when allowed, else the refusal. */
export async function rateLimitRefusal(
  limits: RateLimitsService,
  credential: string,
  cost: OperationPoints,
): Promise<CredentialRateLimitedError | RateLimitRequestTooLargeError | null> {
  const decision = await limits.consume(RateLimitScope.Api, credential, cost.points);
  if (decision.allowed) return null;
  if (decision.retryAfterMs === null)
    return new RateLimitRequestTooLargeError(cost.field, cost.points, decision.largest);
  return new CredentialRateLimitedError(decision.retryAfterMs);
}

/**
 * The refusal as the HTTP response: 429 with Retry-After (seconds, rounded up), or 400 for a request too large to
 * ever fit; the error goes through the one formatter, as every error does.
 */
export function httpRefusal(error: CredentialRateLimitedError | RateLimitRequestTooLargeError): GraphQLResponse {
  const headers = new HeaderMap();
  if (error instanceof CredentialRateLimitedError)
    headers.set('retry-after', String(retryAfterSeconds(error.retryAfterMs)));
  const graphqlError = new GraphQLError(error.message, { originalError: error as DomainError });
  return {
    http: { status: error instanceof CredentialRateLimitedError ? 429 : 400, headers },
    body: { kind: 'single', singleResult: { errors: [formatGraphqlError(graphqlError.toJSON(), graphqlError)] } },
  };
}

/**
 * GraphQL over HTTP: once the operation is known (so publishEvents can be charged per event) and has passed the
 * document's own checks (responseForOperation runs after every didResolveOperation: an over-cost query is refused
 * before anything authenticates it), and before it runs, the credential's budget is spent; a refused operation
 * runs nothing. A request without a valid credential is not counted: the guard refuses it (UNAUTHENTICATED).
 */
export function rateLimitPlugin(limits: RateLimitsService, credentials: CallerCredentials): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ contextValue, schema, document, operationName, request }) {
          const req = (contextValue as GraphqlContext).req;
          if (!req) return null;
          const credential = await credentials.ofRequest(req);
          if (credential === null) return null;
          const cost = operationPoints(schema, document, operationName, request.variables);
          const refused = await rateLimitRefusal(limits, credential, cost);
          return refused ? httpRefusal(refused) : null;
        },
      };
    },
  };
}
