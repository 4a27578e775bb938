import { createClient as createWsClient } from 'graphql-ws';
import { cacheExchange, Client, CombinedError, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { endSession, readCredential } from '../session';
import { probeViewer, sessionEndOf } from './portal';

/** The console talks to the service only through the public GraphQL API, over HTTP and graphql-ws. */
export const GRAPHQL_PATH = '/graphql';

export function wsUrl(loc: Location = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}${GRAPHQL_PATH}`;
}

/** graphql-ws closes a socket whose credential is refused (or has died) with 4403. */
const SOCKET_FORBIDDEN = 4403;

/**
 * One client per credential: signing out or in builds a new one (and closes the old socket). Any answer saying a
 * portal session has expired or ended forgets the credential (endSession); a socket closed with 4403 asks the API
 * over HTTP why, so the console shows the API's own message.
 */
export function createGraphqlClient(credential: string): { client: Client; dispose: () => void } {
  const authorization = `Bearer ${credential}`;
  // Only the credential still signed in may end the session (an old client's late answer changes nothing).
  const current = () => readCredential() === credential;
  const ws = createWsClient({
    url: wsUrl(),
    connectionParams: { authorization },
    lazy: true,
    retryAttempts: 20,
    shouldRetry: () => true,
    on: {
      closed: (event) => {
        if (current() && (event as { code?: number }).code === SOCKET_FORBIDDEN) void probeViewer(client);
      },
    },
  });
  const client: Client = new Client({
    url: GRAPHQL_PATH,
    exchanges: [
      mapExchange({
        onResult(result) {
          const end = sessionEndOf(result.error);
          if (end && current()) endSession(end);
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
    fetchOptions: () => ({ headers: { authorization } }),
    requestPolicy: 'cache-and-network',
    // POST always: a GET would put the query (and its variables) in URLs and logs.
    preferGetMethod: false,
  });
  return { client, dispose: () => void ws.dispose() };
}

/** What the error display shows: the message, and the code, reason and errorId when the API gave them. */
export interface ApiErrorView {
  message: string;
  code?: string;
  reason?: string;
  errorId?: string;
}

export function describeError(error: CombinedError | Error | string): ApiErrorView[] {
  if (typeof error === 'string') return [{ message: error }];
  if (error instanceof CombinedError) {
    if (error.graphQLErrors.length > 0) {
      return error.graphQLErrors.map((e) => {
        const ext = e.extensions ?? {};
        return {
          message: e.message,
          code: typeof ext.code === 'string' ? ext.code : undefined,
          reason: typeof ext.reason === 'string' ? ext.reason : undefined,
          errorId: typeof ext.errorId === 'string' ? ext.errorId : undefined,
        };
      });
    }
    return [{ message: error.networkError?.message ?? error.message, code: 'NETWORK_ERROR' }];
  }
  return [{ message: error.message }];
}

/** Whether the API answered NOT_FOUND (another tenant's or channel's id reads as not found too). */
export function isNotFound(error: CombinedError | undefined): boolean {
  return !!error?.graphQLErrors.some((e) => e.extensions?.code === 'NOT_FOUND');
}
