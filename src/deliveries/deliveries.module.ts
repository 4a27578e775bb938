import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommonModule } from '../common/common.module';
import { QueueModule } from '../common/queue/queue.module';
import { HttpModule } from '../common/http/http.module';
import { AuthModule } from '../auth/auth.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { TrackedJobsModule } from '../tracked-jobs/tracked-jobs.module';
import { workerOnly } from '../config/roles';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { EventTypesModule } from '../event-types/event-types.module';
import { FiltersModule } from '../filters/filters.module';
import { DeliveriesResolver, EventFieldsResolver } from './deliveries.resolver';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DeliveryQueries } from './delivery-queries.service';
import { DeliveryRetention } from './delivery-retention.service';
import { DeliveryRecovery } from './delivery-recovery.service';
import { DeliveryStatistics } from './delivery-statistics.service';
import { DeliveryEntity } from './delivery.entity';
import { DeliveryNotifier } from './delivery-notifier';
import { DeliveryQueue } from './deliveries.queue';
import { DispatchProcessor } from './dispatch.processor';
import { DispatchService } from './dispatch.service';
import { AttemptRecorder } from './attempt-recorder';
import { AttemptRunner } from './attempt-runner';
import { DeadLetterAnnouncer, EndpointHealthReaction, ReactionWrites } from './attempt-reactions.listener';
import { DeliveryStore } from './delivery-store';
import { EndpointLifecycleListener } from './endpoint-lifecycle.listener';
import { EndpointStatsResolver } from './endpoint-stats.resolver';
import { EventEntity } from './event.entity';
import { EventPublisher } from './event-publisher.service';
import { FanoutService } from './fanout.service';
import { FanoutTargeting } from './fanout-targeting';
import { ReconcilerService } from './reconciler.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([EventEntity, DeliveryEntity, DeliveryAttemptEntity]),
    CommonModule,
    QueueModule,
    HttpModule,
    AuthModule,
    IdempotencyModule,
    TrackedJobsModule,
    EventTypesModule,
    EndpointsModule,
    FiltersModule,
  ],
  providers: [
    EventPublisher,
    DeliveryRecovery,
    DeliveryQueries,
    DeliveryStatistics,
    FanoutService,
    FanoutTargeting,
    DeliveryQueue,
    DeliveryNotifier,
    DeliveriesResolver,
    EventFieldsResolver,
    EndpointStatsResolver,
    EndpointLifecycleListener,
    DeliveryRetention,
    ...workerOnly(
      DispatchService,
      DispatchProcessor,
      ReconcilerService,
      DeliveryStore,
      AttemptRunner,
      AttemptRecorder,
      EndpointHealthReaction,
      DeadLetterAnnouncer,
      ReactionWrites,
    ),
  ],
  exports: [EventPublisher, DeliveryRecovery, DeliveryQueries, DeliveryStatistics, DeliveryRetention],
})
export class DeliveriesModule {}
