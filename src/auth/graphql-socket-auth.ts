import { Injectable } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { DomainError } from '../common/errors/domain-error';
import type { WsContext } from '../common/graphql/graphql-context';
import { CredentialExpiredError } from '../common/graphql/graphql.errors';
import type { SocketAuthenticator } from '../common/graphql/socket-authenticator';
import { AuthService } from './auth.service';
import { credentialExpiry, SubscriptionAuthService } from './subscription-auth.service';

/** graphql-ws authentication: the bearer credential of connection_init, re-checked before every operation. */
@Injectable()
export class GraphqlSocketAuth implements SocketAuthenticator {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SubscriptionAuthService,
  ) {}

  async connect(ctx: WsContext): Promise<boolean> {
    try {
      const authorization = ctx.connectionParams?.authorization;
      const principal = await this.auth.authenticate(authorization);
      return this.sessions.admit(ctx, principal, credentialExpiry(authorization, principal));
    } catch (error) {
      if (error instanceof DomainError) return false;
      throw error;
    }
  }

  // Each new operation re-checks the socket's limits and its credential (expired, revoked).
  async subscribe(ctx: WsContext): Promise<readonly GraphQLError[] | undefined> {
    const refused = this.sessions.checkSubscribe(ctx);
    if (refused === 'expired')
      return [new GraphQLError('credential expired', { originalError: new CredentialExpiredError() })];
    if (refused) return [new GraphQLError(refused.message, { originalError: refused })];
    try {
      await this.auth.authenticate(ctx.connectionParams?.authorization);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.sessions.refuse(ctx, error.message);
      return [new GraphQLError(error.message, { originalError: error })];
    }
    return undefined;
  }

  disconnect(ctx: WsContext): void {
    this.sessions.release(ctx);
  }
}
