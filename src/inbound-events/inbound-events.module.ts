import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommonModule } from '../common/common.module';
import { QueueModule } from '../common/queue/queue.module';
import { AuthModule } from '../auth/auth.module';
import { TrackedJobsModule } from '../tracked-jobs/tracked-jobs.module';
import { InboundEventsQueue } from './inbound-events.queue';
import { workerOnly } from '../config/roles';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { EventTypesModule } from '../event-types/event-types.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { InboundEventEntity } from './inbound-event.entity';
import { InboundEventsProcessor } from './inbound-events.processor';
import { InboundEventsResolver } from './inbound-events.resolver';
import { InboundDeletion } from './inbound-deletion.service';
import { InboundEventQueries } from './inbound-event-queries.service';
import { InboundOperations } from './inbound-operations.service';
import { InboundProcessingService } from './inbound-processing.service';
import { InboundReceiverService } from './inbound-receiver.service';
import { InboundRetention } from './inbound-retention.service';
import { InboundSweeperService } from './inbound-sweeper.service';
import { InboundController } from './inbound.controller';

@Module({
  imports: [
    TypeOrmModule.forFeature([InboundEventEntity]),
    CommonModule,
    QueueModule,
    AuthModule,
    TrackedJobsModule,
    EventTypesModule,
    IntegrationsModule,
    DeliveriesModule,
  ],
  controllers: [InboundController],
  providers: [
    InboundReceiverService,
    InboundEventsQueue,
    InboundProcessingService,
    InboundEventQueries,
    InboundOperations,
    InboundDeletion,
    InboundEventsResolver,
    InboundRetention,
    ...workerOnly(InboundEventsProcessor, InboundSweeperService),
  ],
  exports: [InboundEventQueries, InboundRetention],
})
export class InboundEventsModule {}
