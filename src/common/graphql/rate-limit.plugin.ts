import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { DomainError } from '../errors/domain-error';
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

/** The refusal as Apollo answers it over HTTP: 429 with Retry-After (seconds, rounded up), or 400 for a too-large one. */
export function httpRefusal(error: CredentialRateLimitedError | RateLimitRequestTooLargeError): GraphQLError {
  const http =
    error instanceof CredentialRateLimitedError
      ? { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds(error.retryAfterMs))]]) }
      : { status: 400 };
  return new GraphQLError(error.message, {
    originalError: error as DomainError,
    extensions: { code: error.code, http },
  });
}

/**
 * GraphQL over HTTP: once the operation is known (so publishEvents can be charged per event) and before it runs,
 * the credential's budget is spent; a refused operation runs nothing. A request without a valid credential is not
 * counted here: the guard refuses its operation (UNAUTHENTICATED) and nothing runs.
 */
export function rateLimitPlugin(limits: RateLimitsService, credentials: CallerCredentials): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, schema, document, operationName, request }) {
          const req = (contextValue as GraphqlContext).req;
          if (!req) return;
          const credential = await credentials.ofRequest(req);
          if (credential === null) return;
          const cost = operationPoints(schema, document, operationName, request.variables);
          const refused = await rateLimitRefusal(limits, credential, cost);
          if (refused) throw httpRefusal(refused);
        },
      };
    },
  };
}
