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

  /** One message for many payloads of a tenant (status changes of one batch); see manyIterator. */
  async publishMany(topic: Topic, tenantId: string, payloads: Record<string, unknown>[]): Promise<void> {
    if (payloads.length === 0) return;
    try {
      await withDeadline(this.pubsub.publish(this.channel(topic, tenantId), { [topic]: payloads }), 2_000, 'Redis');
    } catch {
      // Best effort, as publish.
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

  /**
   * A subscriber's iterator for a topic published with publishMany (or publish): each payload of a message comes
   * out on its own, as `{ [topic]: payload }`, so a subscription's filter and resolver see one item at a time.
   */
  manyIterator<T>(topic: Topic, tenantId: string): AsyncIterableIterator<T> {
    return flattened<T>(this.pubsub.asyncIterator<Record<string, unknown>>(this.channel(topic, tenantId)), topic);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pubsub.close().catch(() => undefined);
  }
}

function flattened<T>(inner: AsyncIterator<Record<string, unknown>>, topic: Topic): AsyncIterableIterator<T> {
  const buffered: T[] = [];
  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      while (buffered.length === 0) {
        const result = await inner.next();
        if (result.done) return { done: true, value: undefined };
        const items = result.value[topic];
        if (Array.isArray(items)) for (const item of items) buffered.push({ [topic]: item } as T);
        else buffered.push(result.value as T);
      }
      return { done: false, value: buffered.shift() as T };
    },
    async return(): Promise<IteratorResult<T>> {
      buffered.length = 0;
      await inner.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown): Promise<IteratorResult<T>> {
      buffered.length = 0;
      await inner.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
