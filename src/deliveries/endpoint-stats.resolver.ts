import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { Permission } from '../auth/principal';
import type { GraphqlContext } from '../common/graphql/graphql-context';
import { Endpoint } from '../endpoints/endpoint.model';
import { DeliveryStatistics } from './delivery-statistics.service';
import { DeliveryStats } from './delivery.model';

@Resolver(() => Endpoint)
@RequirePermission(Permission.ManageWebhooks)
export class EndpointStatsResolver {
  constructor(private readonly statistics: DeliveryStatistics) {}

  /** Batched: a page of endpoints costs one statement per (since, until), not three per endpoint. */
  @ResolveField(() => DeliveryStats)
  async stats(
    @Parent() endpoint: Endpoint,
    @Context() ctx: GraphqlContext,
    @Args('since', { type: () => Date, nullable: true }) since?: Date,
    @Args('until', { type: () => Date, nullable: true }) until?: Date,
  ): Promise<DeliveryStats> {
    const scope = `${since?.toISOString() ?? ''}/${until?.toISOString() ?? ''}`;
    return ctx.loaders.load(
      'endpoint.stats',
      endpoint.tenantId,
      endpoint.id,
      (tenantId, ids) => this.statistics.statsByEndpoint(tenantId, ids, since, until),
      scope,
    );
  }
}
