import type { GraphQLError } from 'graphql';
import type { WsContext } from './graphql-context';

/**
 * The port through which graphql-ws sockets are authenticated. Common declares it and auth provides it; the
 * composition root (app.module.ts) hands auth's module to graphqlModule(), so common imports no feature.
 */
export const SOCKET_AUTHENTICATOR = Symbol('SOCKET_AUTHENTICATOR');

export interface SocketAuthenticator {
  /** connection_init: admit the socket (setting ctx.extra.principal), or false: graphql-ws closes it with 4403. */
  connect(ctx: WsContext): Promise<boolean>;
  /** Before each operation: undefined to go on, or the errors to answer it with. */
  subscribe(ctx: WsContext): Promise<readonly GraphQLError[] | undefined>;
  /** The socket closed. */
  disconnect(ctx: WsContext): void;
}
