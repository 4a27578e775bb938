import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DEFAULT_JOB_OPTIONS, QueueName } from './queue.constants';
import { QueueDepths } from './queue-depths';
import { RateLimiter } from './rate-limiter';

const queues = BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name })));

/**
 * Bull on REDIS_URL; the only module that configures Bull. Also the Redis rate limiter, on its own connection, and
 * the queue depths metrics read. Modules that add or process jobs import it (one *.queue.ts / *.processor.ts each).
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        url: config.redisUrl,
        prefix: config.queuePrefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
        settings: { stalledInterval: 5_000, maxStalledCount: 2, lockDuration: 60_000 },
      }),
    }),
    queues,
  ],
  providers: [RateLimiter, QueueDepths],
  exports: [queues, RateLimiter, QueueDepths],
})
export class QueueModule {}
