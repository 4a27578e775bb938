import type { Request } from 'express';
import type { Principal } from '../../auth/principal';

export interface WsExtra {
  principal?: Principal;
}

/** HTTP: the request (the guard authenticates it). WebSocket: the principal authenticated at connection_init. */
export interface GraphqlContext {
  req?: Request & { principal?: Principal };
  principal?: Principal;
}

export function buildGraphqlContext(arg: unknown): GraphqlContext {
  const input = arg as { req?: GraphqlContext['req']; extra?: WsExtra };
  if (input?.req) return { req: input.req };
  // Nest fills `req` with its first argument when missing; for WebSocket operations that would be the
  // graphql-ws context, so give it a request-shaped holder of the principal instead.
  const principal = input?.extra?.principal;
  return { principal, req: { principal, headers: {} } as unknown as GraphqlContext['req'] };
}
