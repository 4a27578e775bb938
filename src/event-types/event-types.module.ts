import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { CommonModule } from '../common/common.module';
import { EventTypeAuthoringService } from './event-type-authoring.service';
import { EventTypeEntity } from './event-type.entity';
import { EventTypeImportService } from './event-type-import.service';
import { EventTypeMirror } from './event-type-mirror';
import { EventTypesResolver } from './event-types.resolver';
import { EventTypesService } from './event-types.service';
import { PayloadValidator } from './payload-validator';
import { TenantCatalogCache } from './tenant-catalog.cache';
import { TenantEventTypeEntity } from './tenant-event-type.entity';

/**
 * The event-type catalog: the shipped definitions (catalog/*.json) and the event_types table that mirrors them,
 * the tenant's own types (tenant_event_types, cached per tenant in memory), the rules for publishing and
 * subscribing, and payload validation. Other modules use EventTypesService; nothing else reads these tables.
 */
@Module({
  imports: [TypeOrmModule.forFeature([EventTypeEntity, TenantEventTypeEntity]), AuthModule, CommonModule],
  providers: [
    EventTypesService,
    EventTypeMirror,
    EventTypesResolver,
    PayloadValidator,
    TenantCatalogCache,
    EventTypeAuthoringService,
    EventTypeImportService,
  ],
  exports: [EventTypesService],
})
export class EventTypesModule {}
