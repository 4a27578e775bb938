import type { Principal } from './principal';
import { ActorType } from './principal';
import type { AppConfig } from '../config/app-config';
import type { PubSubService } from '../common/graphql/pubsub';
import type { WsContext } from '../common/graphql/graphql-context';
import { SubscriptionLimitError } from '../common/graphql/graphql.errors';
import { SubscriptionAuthService, TOO_MANY_SOCKETS } from './subscription-auth.service';

const config = { wsMaxSubscriptionsPerSocket: 2, wsMaxSocketsPerCredential: 2 } as AppConfig;
const principal: Principal = { tenantId: 't1', actorType: ActorType.User, actorId: 'u1', permissions: [] };

function socketCtx(): { ctx: WsContext; closes: [number, string][] } {
  const closes: [number, string][] = [];
  const ctx = {
    connectionInitReceived: true,
    acknowledged: false,
    subscriptions: {},
    extra: { socket: { close: (code: number, reason: string) => closes.push([code, reason]) } },
  } as unknown as WsContext;
  return { ctx, closes };
}

describe('SubscriptionAuthService', () => {
  const service = new SubscriptionAuthService({} as PubSubService, config);
  afterAll(() => service.onModuleDestroy());

  it('admits up to the per-credential socket cap, then closes with 4429; a released socket frees its slot', () => {
    const a = socketCtx();
    const b = socketCtx();
    const c = socketCtx();
    expect(service.admit(a.ctx, principal, undefined)).toBe(true);
    expect(service.admit(b.ctx, principal, undefined)).toBe(true);
    expect(service.admit(c.ctx, principal, undefined)).toBe(false);
    expect(c.closes[0][0]).toBe(TOO_MANY_SOCKETS);
    expect(service.admit(socketCtx().ctx, { ...principal, actorId: 'u2' }, undefined)).toBe(true);
    service.release(a.ctx);
    expect(service.admit(c.ctx, principal, undefined)).toBe(true);
    service.release(b.ctx);
    service.release(c.ctx);
  });

  it('refuses a subscribe over the per-socket cap, and closes 4403 once the credential has expired', () => {
    const { ctx, closes } = socketCtx();
    const now = 1_000_000;
    expect(service.admit(ctx, { ...principal, actorId: 'u3' }, now + 60_000, now)).toBe(true);
    (ctx.subscriptions as Record<string, null>).s1 = null;
    (ctx.subscriptions as Record<string, null>).s2 = null;
    expect(service.checkSubscribe(ctx, now)).toBeNull();
    (ctx.subscriptions as Record<string, null>).s3 = null;
    expect(service.checkSubscribe(ctx, now)).toBeInstanceOf(SubscriptionLimitError);
    expect(service.checkSubscribe(ctx, now + 60_000)).toBe('expired');
    expect(closes).toEqual([[4403, 'credential expired']]);
    service.release(ctx);
  });

  it('does not admit a credential that is already past its expiry', () => {
    const { ctx, closes } = socketCtx();
    expect(service.admit(ctx, { ...principal, actorId: 'u4' }, 999, 1_000)).toBe(false);
    expect(closes).toEqual([[4403, 'credential expired']]);
  });
});
