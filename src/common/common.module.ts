import { Module } from '@nestjs/common';
import { QueueModule } from './queue/queue.module';
import { PubSubService } from './graphql/pubsub';
import { MetricsService } from './metrics/metrics.service';
import { RateLimitsService } from './rate-limits/rate-limits.service';

/** The Redis pub/sub of live updates, the Prometheus registry and the API rate limits: one of each per process. */
@Module({
  imports: [QueueModule],
  providers: [PubSubService, MetricsService, RateLimitsService],
  exports: [PubSubService, MetricsService, RateLimitsService],
})
export class CommonModule {}
