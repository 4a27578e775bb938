import { Args, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { Permission } from '../auth/principal';
import { EventType, toEventTypeModel } from './event-type.model';
import { EventTypesService } from './event-types.service';

@Resolver(() => EventType)
@RequirePermission(Permission.ManageWebhooks)
export class EventTypesResolver {
  constructor(private readonly service: EventTypesService) {}

  @Query(() => [EventType])
  async eventTypes(@Args('includeArchived', { type: () => Boolean, nullable: true }) includeArchived?: boolean): Promise<EventType[]> {
    return (await this.service.list(includeArchived ?? false)).map(toEventTypeModel);
  }

  @Query(() => EventType, { nullable: true })
  async eventType(@Args('name') name: string): Promise<EventType> {
    return toEventTypeModel(await this.service.find(name));
  }
}
