import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventTypeEntity } from './event-type.entity';
import { EventTypeMirror } from './event-type-mirror';
import { EventTypesResolver } from './event-types.resolver';
import { EventTypesService } from './event-types.service';
import { PayloadValidator } from './payload-validator';

/**
 * The event-type catalog: the shipped definitions (catalog/*.json), the event_types table that mirrors them, the
 * rules for publishing and subscribing, and payload validation. Other modules use EventTypesService; nothing else
 * reads event_types.
 */
@Module({
  imports: [TypeOrmModule.forFeature([EventTypeEntity])],
  providers: [EventTypesService, EventTypeMirror, EventTypesResolver, PayloadValidator],
  exports: [EventTypesService],
})
export class EventTypesModule {}
