import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { withDeadline } from '../deadline';

/** Pseudo-tenant for platform-wide notices (e.g. key revocations) that every api process listens to. */
export const GLOBAL_CHANNEL = '_global';

export enum Topic {
  DeliveryUpdated = 'deliveryUpdated',
  TrackedJobUpdated = 'trackedJobUpdated',
  InboundEventUpdated = 'inboundEventUpdated',
  /** An API key was revoked: live subscriptions authenticated with it are closed. */
  ApiKeyRevoked = 'apiKeyRevoked',
  /** A tenant's event-type catalog changed: every process drops its cached copy of that tenant's types. */
  EventTypesChanged = 'eventTypesChanged',
}

/**
 * Redis-backed pub/sub: an update published by any process (api or worker) reaches subscribers connected
 * to any api process. Channels are namespaced by the queue prefix so test runs stay apart.
 */
@Injectable()
export class PubSubService implements OnModuleDestroy {
  readonly pubsub: RedisPubSub;
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = `${config.queuePrefix}:pubsub:`;
    const options = { maxRetriesPerRequest: null, lazyConnect: false };
    // Status changes come in batches (a claim or result batch resolves together): auto-pipelining sends the
    // PUBLISHes of one tick in one write instead of a syscall each.
    const publisher = new Redis(config.redisUrl, { ...options, enableAutoPipelining: true });
    const subscriber = new Redis(config.redisUrl, options);
    // ioredis reconnects by itself; without listeners its errors would be reported as unhandled.
    publisher.on('error', () => undefined);
    subscriber.on('error', () => undefined);
    this.pubsub = new RedisPubSub({
      publisher,
      subscriber,
      reviver: (key: string, value: unknown) => value,
    });
  }

  channel(topic: Topic, tenantId: string): string {
    return `${this.prefix}${topic}:${tenantId}`;
  }

  /**
   * Best effort: a pub/sub hiccup must never fail the state change that was already committed, and a Redis that is
   * down must not hold the caller (a worker recording results, a shutdown draining them) for longer than 2 s.
   */
  async publish(topic: Topic, tenantId: string, payload: Record<string, unknown>): Promise<void> {
    try {
      await withDeadline(this.pubsub.publish(this.channel(topic, tenantId), { [topic]: payload }), 2_000, 'Redis');
    } catch {
      // Postgres holds the truth; a client re-reads it on reconnect.
    }
  }

  async subscribe(
    topic: Topic,
    tenantId: string,
    onMessage: (payload: Record<string, unknown>) => void,
  ): Promise<number> {
    return this.pubsub.subscribe(this.channel(topic, tenantId), (message: Record<string, Record<string, unknown>>) =>
      onMessage(message[topic]),
    );
  }

  asyncIterator<T>(topic: Topic, tenantId: string): AsyncIterator<T> {
    return this.pubsub.asyncIterator<T>(this.channel(topic, tenantId));
  }

  async onModuleDestroy(): Promise<void> {
    await this.pubsub.close().catch(() => undefined);
  }
}
