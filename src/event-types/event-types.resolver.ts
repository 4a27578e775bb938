import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { Permission, Principal } from '../auth/principal';
import { EventType, toEventTypeModel } from './event-type.model';
import { EventTypesService } from './event-types.service';

@Resolver(() => EventType)
@RequirePermission(Permission.ManageWebhooks)
export class EventTypesResolver {
  constructor(private readonly service: EventTypesService) {}

  @Query(() => [EventType])
  async eventTypes(
    @CurrentPrincipal() principal: Principal,
    @Args('includeArchived', { type: () => Boolean, nullable: true }) includeArchived?: boolean,
  ): Promise<EventType[]> {
    return (await this.service.list(principal.tenantId, includeArchived ?? false)).map(toEventTypeModel);
  }

  @Query(() => EventType, { nullable: true })
  async eventType(@CurrentPrincipal() principal: Principal, @Args('name') name: string): Promise<EventType> {
    return toEventTypeModel(await this.service.get(principal.tenantId, name));
  }
}
