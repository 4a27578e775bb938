import { Global, Module } from '@nestjs/common';
import { PubSubService } from './graphql/pubsub';
import { SubscriptionAuthService } from './graphql/subscription-auth.service';
import { HealthService } from './health/health.service';
import { MetricsService } from './metrics/metrics.service';

@Global()
@Module({
  providers: [PubSubService, MetricsService, HealthService, SubscriptionAuthService],
  exports: [PubSubService, MetricsService, HealthService, SubscriptionAuthService],
})
export class CommonModule {}
