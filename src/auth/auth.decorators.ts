import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Permission, Principal } from './principal';

export const PUBLIC_KEY = 'hookline:public';
export const PERMISSION_KEY = 'hookline:permission';
export const ADMIN_ONLY_KEY = 'hookline:admin-only';
export const CHANNEL_SCOPED_KEY = 'hookline:channel-scoped';

/** Opens an operation to unauthenticated callers (health, provider callbacks). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** The permission an operation needs; operations without it (or @Public) are denied. */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator =>
  SetMetadata(PERMISSION_KEY, permission);

/** Only an admin JWT may call this (API keys may not manage API keys). */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ONLY_KEY, true);

/**
 * A portal session limited to a channel may call this operation, which applies the channel to what it reads and
 * writes. Every other operation is FORBIDDEN to such a session (deny by default).
 */
export const ChannelScoped = (): MethodDecorator & ClassDecorator => SetMetadata(CHANNEL_SCOPED_KEY, true);

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  type Holder = { principal?: Principal; req?: { principal?: Principal } };
  const holder: Holder =
    context.getType<string>() === 'graphql'
      ? GqlExecutionContext.create(context).getContext<Holder>()
      : context.switchToHttp().getRequest<Holder>();
  const principal = holder.req?.principal ?? holder.principal;
  if (!principal) throw new Error('CurrentPrincipal used on an operation without authentication');
  return principal;
});
