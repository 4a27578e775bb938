import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { workerOnly } from '../config/roles';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { EventTypesModule } from '../event-types/event-types.module';
import { FiltersModule } from '../filters/filters.module';
import { DeliveriesResolver, EventFieldsResolver } from './deliveries.resolver';
import { DeliveriesService } from './deliveries.service';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DeliveryEntity } from './delivery.entity';
import { DeliveryNotifier } from './delivery-notifier';
import { DeliveryQueue } from './delivery-queue';
import { DispatchProcessor } from './dispatch.processor';
import { DispatchService } from './dispatch.service';
import { AttemptRunner } from './attempt-runner';
import { DeadLetterAnnouncer, EndpointHealthReaction } from './attempt-reactions.listener';
import { DeliveryStore } from './delivery-store';
import { EndpointLifecycleListener } from './endpoint-lifecycle.listener';
import { EndpointStatsResolver } from './endpoint-stats.resolver';
import { EventEntity } from './event.entity';
import { FanoutService } from './fanout.service';
import { ReconcilerService } from './reconciler.service';

@Module({
  imports: [TypeOrmModule.forFeature([EventEntity, DeliveryEntity, DeliveryAttemptEntity]), EndpointsModule, EventTypesModule, FiltersModule],
  providers: [DeliveriesService, FanoutService, DeliveryQueue, DeliveryNotifier, DeliveriesResolver, EventFieldsResolver, EndpointStatsResolver, EndpointLifecycleListener, ...workerOnly(DispatchService, DispatchProcessor, ReconcilerService, DeliveryStore, AttemptRunner, EndpointHealthReaction, DeadLetterAnnouncer)],
  exports: [DeliveriesService],
})
export class DeliveriesModule {}
