import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { ADMIN_ONLY_KEY, CHANNEL_SCOPED_KEY, PERMISSION_KEY, PUBLIC_KEY } from './auth.decorators';
import {
  AdminOnlyError,
  MissingPermissionError,
  OutsideChannelScopeError,
  PermissionNotDeclaredError,
} from './auth.errors';
import { AuthService } from './auth.service';
import { ActorType, mayRead, Permission, Principal } from './principal';

interface Holder {
  principal?: Principal;
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * Deny by default: an operation runs only when it is @Public() or declares @RequirePermission(...) and the
 * caller holds it. HTTP callers are authenticated here; WebSocket callers were authenticated at connection_init.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const holder = this.holder(context);
    if (!holder.principal) holder.principal = await this.auth.authenticate(headerValue(holder.headers?.authorization));
    const principal = holder.principal;

    const permission = this.reflector.getAllAndOverride<string | undefined>(PERMISSION_KEY, targets);
    if (!permission) throw new PermissionNotDeclaredError();
    // Before the other checks, so that a channel session is told the one thing that matters to it.
    if (principal.channel != null && !this.reflector.getAllAndOverride<boolean>(CHANNEL_SCOPED_KEY, targets)) {
      throw new OutsideChannelScopeError(principal.channel);
    }
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY_KEY, targets) && principal.actorType !== ActorType.User) {
      throw new AdminOnlyError();
    }
    if (principal.permissions.includes(permission)) return true;
    if (permission === Permission.ManageWebhooks && isGraphqlRead(context) && mayRead(principal)) return true;
    throw new MissingPermissionError(permission);
  }

  private holder(context: ExecutionContext): Holder {
    if (context.getType<string>() === 'graphql') {
      const ctx = GqlExecutionContext.create(context).getContext<{ req?: Holder; principal?: Principal }>();
      if (ctx.req) return ctx.req;
      return ctx as Holder;
    }
    return context.switchToHttp().getRequest<Holder>();
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A GraphQL query or subscription (read_webhooks may run those, never a mutation). */
function isGraphqlRead(context: ExecutionContext): boolean {
  if (context.getType<string>() !== 'graphql') return false;
  const operation = GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo>().operation.operation;
  return operation === 'query' || operation === 'subscription';
}
