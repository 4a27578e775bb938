import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

/**
 * Fixed one-second windows in Redis, shared by every worker process, on a connection of its own (not Bull's
 * client: a burst of rate-limit round trips must not queue behind job commands, nor the other way round).
 * Closed in onApplicationShutdown, after the dispatcher's shutdown has released every attempt that waits here.
 */
@Injectable()
export class RateLimiter implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = `${config.queuePrefix}:ratelimit:`;
    this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    // ioredis reconnects by itself; without a listener its errors would be reported as unhandled.
    this.redis.on('error', () => undefined);
  }

  /**
   * Waits for a window of `key` with room for one more (at most `limit` a second), but not past `giveUpAt` nor once
   * `stop()` says so: false means "give the work back and try again later".
   */
  async acquire(key: string, limit: number, giveUpAt: number, stop: () => boolean): Promise<boolean> {
    for (;;) {
      if (stop()) return false;
      const second = Math.floor(Date.now() / 1000);
      const window = `${this.prefix}${key}:${second}`;
      const [[, count]] = (await this.redis.multi().incr(window).pexpire(window, 2000).exec()) as [
        [Error | null, number],
        unknown,
      ];
      if (count <= limit) return true;
      const nextWindow = (second + 1) * 1000 + 1;
      if (nextWindow > giveUpAt) return false;
      await new Promise((r) => setTimeout(r, nextWindow - Date.now()));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'wait') return; // never connected (lazyConnect): nothing to close
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
