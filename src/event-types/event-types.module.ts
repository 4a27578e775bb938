import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventTypeEntity } from './event-type.entity';
import { EventTypesResolver } from './event-types.resolver';
import { EventTypesService } from './event-types.service';
import { PayloadValidator } from './payload-validator';

/** The event-type catalog: its definitions, the event_types table that mirrors them, payload validation. */
@Module({
  imports: [TypeOrmModule.forFeature([EventTypeEntity])],
  providers: [EventTypesService, EventTypesResolver, PayloadValidator],
  exports: [EventTypesService, PayloadValidator],
})
export class EventTypesModule {}
