import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { CommonModule } from '../common/common.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { workerOnly } from '../config/roles';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { InboundEventsModule } from '../inbound-events/inbound-events.module';
import { RetentionMetrics } from './retention-metrics';
import { RetentionPolicies } from './retention-policies.service';
import { RetentionPolicyEntity } from './retention-policy.entity';
import { RetentionPurger } from './retention-purger';
import { RetentionResolver } from './retention.resolver';
import { RetentionSweeper } from './retention-sweeper.service';

/** Retention policies (GraphQL) and the sweep that applies them (worker role), through each owner's purge service. */
@Module({
  imports: [
    TypeOrmModule.forFeature([RetentionPolicyEntity]),
    CommonModule,
    AuthModule,
    IdempotencyModule,
    DeliveriesModule,
    InboundEventsModule,
  ],
  providers: [RetentionPolicies, RetentionResolver, ...workerOnly(RetentionMetrics, RetentionPurger, RetentionSweeper)],
})
export class RetentionModule {}
