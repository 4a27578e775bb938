import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { Permission } from '../auth/principal';
import { Endpoint } from '../endpoints/endpoint.model';
import { DeliveriesService } from './deliveries.service';
import { DeliveryStats } from './delivery.model';

@Resolver(() => Endpoint)
@RequirePermission(Permission.ManageWebhooks)
export class EndpointStatsResolver {
  constructor(private readonly deliveries: DeliveriesService) {}

  @ResolveField(() => DeliveryStats)
  async stats(@Parent() endpoint: Endpoint, @Args('since', { type: () => Date, nullable: true }) since?: Date, @Args('until', { type: () => Date, nullable: true }) until?: Date): Promise<DeliveryStats> {
    return this.deliveries.stats(endpoint.tenantId, endpoint.id, since, until);
  }
}
