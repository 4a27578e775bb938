import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Context } from 'graphql-ws';
import { CloseCode } from 'graphql-ws';
import { GLOBAL_CHANNEL, PubSubService, Topic } from './pubsub';
import type { WsExtra } from './graphql-context';

interface SocketExtra extends WsExtra {
  socket?: { close(code: number, reason: string): void };
}

/** Closes live WebSocket connections whose API key gets revoked (in any api process). */
@Injectable()
export class SubscriptionAuthService implements OnModuleInit {
  private readonly byApiKey = new Map<string, Set<Context<Record<string, unknown> | undefined, WsExtra>>>();

  constructor(private readonly pubsub: PubSubService) {}

  async onModuleInit(): Promise<void> {
    await this.pubsub.subscribe(Topic.ApiKeyRevoked, GLOBAL_CHANNEL, (payload) => {
      const apiKeyId = typeof payload?.apiKeyId === 'string' ? payload.apiKeyId : null;
      if (apiKeyId) this.closeFor(apiKeyId);
    });
  }

  track(ctx: Context<Record<string, unknown> | undefined, WsExtra>): void {
    const keyId = ctx.extra.principal?.apiKeyId;
    if (!keyId) return;
    const set = this.byApiKey.get(keyId) ?? new Set();
    set.add(ctx);
    this.byApiKey.set(keyId, set);
  }

  untrack(ctx: Context<Record<string, unknown> | undefined, WsExtra>): void {
    const keyId = ctx.extra.principal?.apiKeyId;
    if (!keyId) return;
    this.byApiKey.get(keyId)?.delete(ctx);
    if (this.byApiKey.get(keyId)?.size === 0) this.byApiKey.delete(keyId);
  }

  private closeFor(apiKeyId: string): void {
    for (const ctx of this.byApiKey.get(apiKeyId) ?? []) {
      (ctx.extra as SocketExtra).socket?.close(CloseCode.Forbidden, 'API key revoked');
    }
    this.byApiKey.delete(apiKeyId);
  }
}
