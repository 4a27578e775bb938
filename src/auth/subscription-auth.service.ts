import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CloseCode } from 'graphql-ws';
import { decode } from 'jsonwebtoken';
import type { WsContext } from '../common/graphql/graphql-context';
import { SubscriptionLimitError } from '../common/graphql/graphql.errors';
import { GLOBAL_CHANNEL, PubSubService, Topic } from '../common/graphql/pubsub';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { API_KEY_PREFIX } from './api-keys.service';
import { PORTAL_TOKEN_PREFIX } from './portal-sessions.service';
import type { Principal } from './principal';

/** Close code for a credential over its socket limit (graphql-ws uses 4429 for "too many"). */
export const TOO_MANY_SOCKETS = 4429;
/** setTimeout's largest delay; a later expiry re-arms the timer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Session {
  credential: string;
  /** The API key whose revocation ends this socket: its own, or the one that created its portal session. */
  apiKeyId?: string;
  timer?: NodeJS.Timeout;
}

/**
 * The lifetime rules of graphql-ws sessions: at most WS_MAX_SOCKETS_PER_CREDENTIAL sockets per credential (API key,
 * or JWT tenant + subject) in this process, at most WS_MAX_SUBSCRIPTIONS_PER_SOCKET operations per socket, and a
 * socket dies (4403) when its credential does: at the JWT's exp, or when its API key is revoked in any api process.
 */
@Injectable()
export class SubscriptionAuthService implements OnModuleInit, OnModuleDestroy {
  private readonly sessions = new Map<WsContext, Session>();
  private readonly byCredential = new Map<string, Set<WsContext>>();

  constructor(
    private readonly pubsub: PubSubService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.pubsub.subscribe(Topic.ApiKeyRevoked, GLOBAL_CHANNEL, (payload) => {
      const apiKeyId = typeof payload?.apiKeyId === 'string' ? payload.apiKeyId : null;
      if (apiKeyId) this.closeRevoked(apiKeyId);
    });
  }

  onModuleDestroy(): void {
    for (const session of this.sessions.values()) clearTimeout(session.timer);
  }

  /**
   * connection_init was authenticated: admit the socket, or close it and return false when its credential already
   * has its share of sockets, or has expired in the meantime.
   */
  admit(ctx: WsContext, principal: Principal, expiresAt: number | undefined, now = Date.now()): boolean {
    const credential = credentialOf(principal);
    const open = this.byCredential.get(credential) ?? new Set();
    if (open.size >= this.config.wsMaxSocketsPerCredential) {
      ctx.extra.socket?.close(
        TOO_MANY_SOCKETS,
        `too many sockets for this credential (limit ${this.config.wsMaxSocketsPerCredential})`,
      );
      return false;
    }
    if (expiresAt !== undefined && expiresAt <= now) {
      ctx.extra.socket?.close(CloseCode.Forbidden, 'credential expired');
      return false;
    }
    ctx.extra.principal = principal;
    ctx.extra.expiresAt = expiresAt;
    open.add(ctx);
    this.byCredential.set(credential, open);
    const session: Session = {
      credential,
      apiKeyId: principal.apiKeyId ?? principal.portalSession?.createdByApiKeyId ?? undefined,
    };
    this.sessions.set(ctx, session);
    if (expiresAt !== undefined) this.armExpiry(ctx, session, expiresAt, now);
    return true;
  }

  /** Before each subscribe: refuses over the per-socket cap; closes the socket if its credential has expired. */
  checkSubscribe(ctx: WsContext, now = Date.now()): SubscriptionLimitError | 'expired' | null {
    const { expiresAt } = ctx.extra;
    if (expiresAt !== undefined && expiresAt <= now) {
      ctx.extra.socket?.close(CloseCode.Forbidden, 'credential expired');
      return 'expired';
    }
    // graphql-ws has already reserved the new operation's id in ctx.subscriptions.
    if (Object.keys(ctx.subscriptions).length > this.config.wsMaxSubscriptionsPerSocket)
      return new SubscriptionLimitError(this.config.wsMaxSubscriptionsPerSocket);
    return null;
  }

  /** The credential failed its re-check on subscribe (revoked, expired, tenant gone): the socket goes. */
  refuse(ctx: WsContext, reason: string): void {
    ctx.extra.socket?.close(CloseCode.Forbidden, reason.slice(0, 100));
  }

  release(ctx: WsContext): void {
    const session = this.sessions.get(ctx);
    if (!session) return;
    clearTimeout(session.timer);
    this.sessions.delete(ctx);
    const open = this.byCredential.get(session.credential);
    open?.delete(ctx);
    if (open?.size === 0) this.byCredential.delete(session.credential);
  }

  private armExpiry(ctx: WsContext, session: Session, expiresAt: number, now: number): void {
    session.timer = setTimeout(
      () => {
        if (Date.now() >= expiresAt) ctx.extra.socket?.close(CloseCode.Forbidden, 'credential expired');
        else this.armExpiry(ctx, session, expiresAt, Date.now());
      },
      Math.min(Math.max(expiresAt - now, 0), MAX_TIMER_MS),
    );
    session.timer.unref();
  }

  /** The key's own sockets and those of the portal sessions it created (a revocation is rare: a scan is fine). */
  private closeRevoked(apiKeyId: string): void {
    for (const [ctx, session] of this.sessions) {
      if (session.apiKeyId === apiKeyId) ctx.extra.socket?.close(CloseCode.Forbidden, 'API key revoked');
    }
  }
}

/**
 * Sockets are counted per API key, per portal session (not against its creator key's share), and per user of a
 * tenant for admin JWTs (a new token is the same user).
 */
function credentialOf(principal: Principal): string {
  if (principal.portalSession) return `portal:${principal.portalSession.id}`;
  return principal.apiKeyId ? `key:${principal.apiKeyId}` : `user:${principal.tenantId}\u0000${principal.actorId}`;
}

/**
 * When an authenticated credential stops being valid: a JWT's `exp` in ms, a portal session's expiresAt; undefined
 * for an API key (valid until revoked).
 * Only called once AuthService has verified the token, so decoding without verifying again is safe.
 */
export function credentialExpiry(authorization: unknown, principal?: Principal): number | undefined {
  if (principal?.portalSession) return principal.portalSession.expiresAt.getTime();
  const token = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1] : undefined;
  if (!token || token.startsWith(API_KEY_PREFIX) || token.startsWith(PORTAL_TOKEN_PREFIX)) return undefined;
  const claims = decode(token, { json: true });
  return typeof claims?.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined;
}
