import type { Caller, GraphqlContext } from './graphql-context';

/**
 * The port through which the rate limiter learns whose budget an operation spends. Common declares it and auth
 * provides it (as with SOCKET_AUTHENTICATOR): common never sees a Principal, only an opaque credential key.
 */
export const CALLER_CREDENTIALS = Symbol('CALLER_CREDENTIALS');

export interface CallerCredentials {
  /**
   * HTTP: authenticates the request's bearer credential (keeping the principal on the request, so the guard does
   * not authenticate it again) and returns its key; null without one or with one that is refused (the guard then
   * answers the operation with UNAUTHENTICATED, as before).
   */
  ofRequest(req: NonNullable<GraphqlContext['req']>): Promise<string | null>;
  /** graphql-ws: the key of the principal admitted at connection_init; null without one. */
  ofCaller(caller: Caller): string | null;
}
