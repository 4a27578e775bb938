import { Module } from '@nestjs/common';
import { QueueModule } from './queue/queue.module';
import { PubSubService } from './graphql/pubsub';
import { MetricsService } from './metrics/metrics.service';

/** The Redis pub/sub of live updates and the Prometheus registry: one of each per process. */
@Module({
  imports: [QueueModule],
  providers: [PubSubService, MetricsService],
  exports: [PubSubService, MetricsService],
})
export class CommonModule {}
