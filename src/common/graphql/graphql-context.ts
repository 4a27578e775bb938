import type { Request } from 'express';
import type { Principal } from '../../auth/principal';
import { RequestLoaders } from './request-loaders';

export interface WsExtra {
  principal?: Principal;
  /** When the credential stops being valid (a JWT's exp); the socket is closed then. */
  expiresAt?: number;
}

/** HTTP: the request (the guard authenticates it). WebSocket: the principal authenticated at connection_init. */
export interface GraphqlContext {
  req?: Request & { principal?: Principal };
  principal?: Principal;
  /** DataLoaders of this operation (batching only, nothing cached across pushes). */
  loaders: RequestLoaders;
}

export function buildGraphqlContext(arg: unknown): GraphqlContext {
  const input = arg as { req?: GraphqlContext['req']; extra?: WsExtra };
  if (input?.req) return { req: input.req, loaders: new RequestLoaders() };
  // Nest fills `req` with its first argument when missing; for WebSocket operations that would be the
  // graphql-ws context, so give it a request-shaped holder of the principal instead.
  const principal = input?.extra?.principal;
  return { principal, req: { principal, headers: {} } as unknown as GraphqlContext['req'], loaders: new RequestLoaders() };
}
