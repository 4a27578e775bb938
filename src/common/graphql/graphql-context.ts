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
  return { principal: input?.extra?.principal };
}
