import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ChannelScoped, CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { Permission, Principal } from '../auth/principal';
import { CreateEventTypeInput } from './dto/create-event-type.input';
import { ImportEventTypesResult } from './dto/import-event-types-result.model';
import { ImportEventTypesInput } from './dto/import-event-types.input';
import { UpdateEventTypeInput } from './dto/update-event-type.input';
import { EventTypeAuthoringService } from './event-type-authoring.service';
import { EventTypeImportService } from './event-type-import.service';
import { EventType, toTenantEventTypeModel } from './event-type.model';
import { EventTypesService } from './event-types.service';

@Resolver(() => EventType)
@RequirePermission(Permission.ManageWebhooks)
export class EventTypesResolver {
  constructor(
    private readonly service: EventTypesService,
    private readonly authoring: EventTypeAuthoringService,
    private readonly importer: EventTypeImportService,
  ) {}

  @Query(() => [EventType])
  @ChannelScoped()
  eventTypes(
    @CurrentPrincipal() principal: Principal,
    @Args('includeArchived', { type: () => Boolean, nullable: true }) includeArchived?: boolean,
  ): Promise<EventType[]> {
    return this.service.list(principal.tenantId, includeArchived ?? false);
  }

  @Query(() => EventType, { nullable: true })
  @ChannelScoped()
  eventType(@CurrentPrincipal() principal: Principal, @Args('name') name: string): Promise<EventType> {
    return this.service.get(principal.tenantId, name);
  }

  @Mutation(() => EventType)
  async createEventType(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateEventTypeInput,
  ): Promise<EventType> {
    return toTenantEventTypeModel(await this.authoring.create(principal, input));
  }

  @Mutation(() => EventType)
  async updateEventType(
    @CurrentPrincipal() principal: Principal,
    @Args('name') name: string,
    @Args('input') input: UpdateEventTypeInput,
  ): Promise<EventType> {
    return toTenantEventTypeModel(await this.authoring.update(principal, name, input));
  }

  @Mutation(() => EventType)
  async archiveEventType(@CurrentPrincipal() principal: Principal, @Args('name') name: string): Promise<EventType> {
    return toTenantEventTypeModel(await this.authoring.setArchived(principal, name, true));
  }

  @Mutation(() => EventType)
  async unarchiveEventType(@CurrentPrincipal() principal: Principal, @Args('name') name: string): Promise<EventType> {
    return toTenantEventTypeModel(await this.authoring.setArchived(principal, name, false));
  }

  @Mutation(() => ImportEventTypesResult)
  importEventTypes(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ImportEventTypesInput,
  ): Promise<ImportEventTypesResult> {
    return this.importer.import(principal, input);
  }
}
