import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, AppConfig, hasApiRole, RateLimitPolicy } from '../../config/app-config';
import { largestRequest, retryAfterMs, Window, Windows, windowsOf } from './rate-limit-windows';

/** Whose budget a request spends. */
export enum RateLimitScope {
  /** GraphQL (HTTP and graphql-ws) and MCP, per credential. */
  Api = 'api',
  /** Provider callbacks, per integration. */
  Inbound = 'inbound',
}

export type RateLimitDecision =
  | { allowed: true }
  | { allowed: false; retryAfterMs: number }
  /** More points than any window holds: waiting never helps. */
  | { allowed: false; retryAfterMs: null; largest: number };

/**
 * rate-limiter-flexible's increment, changed so that a refusal spends nothing: a request that does not fit whole
 * leaves the counter as it was (the library still sees the total it would have reached, and refuses). Without
 * this, a refused batch of 100 events would eat 100 points of what the credential has left.
 * ARGV: points, window seconds, window points (what the library passes to a custom script).
 */
const SPEND_WHOLE_OR_NOTHING = `redis.call('set', KEYS[1], 0, 'EX', ARGV[2], 'NX')
local total = tonumber(redis.call('get', KEYS[1])) + tonumber(ARGV[1])
if total <= tonumber(ARGV[3]) then redis.call('incrby', KEYS[1], ARGV[1]) end
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('expire', KEYS[1], ARGV[2])
  ttl = 1000 * ARGV[2]
end
return {total, ttl}`;

interface Limiters {
  windows: Windows;
  steady: RateLimiterRedis;
  burst: RateLimiterRedis | null;
}

/**
 * The API's and the callbacks' token buckets, in Redis and so shared by every api process (README "Rate limits"):
 * a steady fixed window plus a burst allowance, as rate-limiter-flexible's BurstyRateLimiter composes them, each
 * insured by an in-memory limiter of the same windows for when Redis cannot answer (fail open to a per-process
 * limit, never to none). The counters have a Redis connection of their own (RATE_LIMIT_REDIS_URL).
 */
@Injectable()
export class RateLimitsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RateLimitsService.name);
  private readonly redis: Redis;
  private readonly limiters: Record<RateLimitScope, Limiters>;
  private readonly connect: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connect = hasApiRole(config.role);
    // No offline queue and a short command timeout: while Redis is away a request is decided in memory at once
    // instead of waiting for a reconnect.
    this.redis = new Redis(config.rateLimitRedisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 1000,
    });
    this.redis.on('error', () => undefined); // ioredis reconnects by itself; the insurance limiter covers the gap
    const prefix = `${config.queuePrefix}:ratelimit`;
    this.limiters = {
      [RateLimitScope.Api]: this.build(`${prefix}:api`, config.apiRateLimit),
      [RateLimitScope.Inbound]: this.build(`${prefix}:inbound`, config.inboundRateLimit),
    };
  }

  async onModuleInit(): Promise<void> {
    if (!this.connect) return; // workers never limit requests
    await this.redis.connect().catch((error: unknown) => {
      this.logger.warn({
        msg: 'rate-limit Redis unreachable; limiting per process until it is back',
        error: String(error),
      });
    });
  }

  /** Spends `points` of `key`'s budget in `scope`, whole or not at all. */
  async consume(scope: RateLimitScope, key: string, points: number): Promise<RateLimitDecision> {
    const { windows, steady, burst } = this.limiters[scope];
    if (points > largestRequest(windows))
      return { allowed: false, retryAfterMs: null, largest: largestRequest(windows) };
    const fromSteady = await spend(steady, key, points);
    if (fromSteady === true) return { allowed: true };
    const fromBurst = burst ? await spend(burst, key, points) : null;
    if (fromBurst === true) return { allowed: true };
    const wait = retryAfterMs(points, windows, {
      steady: fromSteady.msBeforeNext,
      burst: fromBurst?.msBeforeNext ?? null,
    });
    return wait === null
      ? { allowed: false, retryAfterMs: null, largest: largestRequest(windows) }
      : { allowed: false, retryAfterMs: wait };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'wait' || this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private build(prefix: string, policy: RateLimitPolicy): Limiters {
    const windows = windowsOf(policy);
    const limiter = (window: Window, name: string) =>
      new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${prefix}:${name}`,
        points: window.points,
        duration: window.seconds,
        customIncrTtlLuaScript: SPEND_WHOLE_OR_NOTHING,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points: window.points, duration: window.seconds }),
      });
    return {
      windows,
      steady: limiter(windows.steady, 'steady'),
      burst: windows.burst ? limiter(windows.burst, 'burst') : null,
    };
  }
}

/** true when spent; the refusal (with msBeforeNext, its window's reset) otherwise. */
async function spend(limiter: RateLimiterRedis, key: string, points: number): Promise<true | RateLimiterRes> {
  try {
    await limiter.consume(key, points);
    return true;
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) return refusal;
    throw refusal;
  }
}
