import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { workerOnly } from '../config/roles';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { EventTypesModule } from '../event-types/event-types.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { InboundEventEntity } from './inbound-event.entity';
import { InboundEventsProcessor } from './inbound-events.processor';
import { InboundEventsResolver } from './inbound-events.resolver';
import { InboundEventsService } from './inbound-events.service';
import { InboundProcessingService } from './inbound-processing.service';
import { InboundReceiverService } from './inbound-receiver.service';
import { InboundSweeperService } from './inbound-sweeper.service';
import { InboundController } from './inbound.controller';

@Module({
  imports: [TypeOrmModule.forFeature([InboundEventEntity]), IntegrationsModule, DeliveriesModule, EventTypesModule],
  controllers: [InboundController],
  providers: [
    InboundReceiverService,
    InboundProcessingService,
    InboundEventsService,
    InboundEventsResolver,
    ...workerOnly(InboundEventsProcessor, InboundSweeperService),
  ],
})
export class InboundEventsModule {}
