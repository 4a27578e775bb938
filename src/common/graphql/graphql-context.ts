import type { Request } from 'express';
import type { Context } from 'graphql-ws';
import { RequestLoaders } from './request-loaders';

/**
 * Who is calling, as authentication attached it. Common does not know its shape: auth sets it (its Principal) and
 * reads it back (@CurrentPrincipal, the guard); everything between only carries it.
 */
export type Caller = unknown;

export interface WsExtra {
  principal?: Caller;
  /** When the credential stops being valid (a JWT's exp); the socket is closed then. */
  expiresAt?: number;
}

/** HTTP: the request (the guard authenticates it). WebSocket: the principal authenticated at connection_init. */
export interface GraphqlContext {
  req?: Request & { principal?: Caller };
  principal?: Caller;
  /** DataLoaders of this operation (batching only, nothing cached across pushes). */
  loaders: RequestLoaders;
}

/** A graphql-ws socket's context: the principal admitted at connection_init and the socket, to close it. */
export type WsContext = Context<
  Record<string, unknown> | undefined,
  WsExtra & { socket?: { close(code: number, reason: string): void } }
>;

export function buildGraphqlContext(arg: unknown): GraphqlContext {
  const input = arg as { req?: GraphqlContext['req']; extra?: WsExtra };
  if (input?.req) return { req: input.req, loaders: new RequestLoaders() };
  // Nest fills `req` with its first argument when missing; for WebSocket operations that would be the
  // graphql-ws context, so give it a request-shaped holder of the principal instead.
  const principal = input?.extra?.principal;
  return {
    principal,
    req: { principal, headers: {} } as unknown as GraphqlContext['req'],
    loaders: new RequestLoaders(),
  };
}
