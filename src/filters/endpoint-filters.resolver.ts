import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { Permission } from '../auth/principal';
import type { GraphqlContext } from '../common/graphql/graphql-context';
import { Endpoint } from '../endpoints/endpoint.model';
import { FilterReducerConfig, toFilterReducerConfigModel } from './filter-reducer.model';
import { FiltersService } from './filters.service';

/** Endpoint.filters, scoped by the tenant of the endpoint that was already loaded for the caller; batched per operation. */
@Resolver(() => Endpoint)
@RequirePermission(Permission.ManageWebhooks)
export class EndpointFiltersResolver {
  constructor(private readonly filtersService: FiltersService) {}

  @ResolveField(() => [FilterReducerConfig])
  async filters(@Parent() endpoint: Endpoint, @Context() ctx: GraphqlContext): Promise<FilterReducerConfig[]> {
    return (
      await ctx.loaders.load('endpoint.filters', endpoint.tenantId, endpoint.id, (tenantId, ids) =>
        this.filtersService.listForEndpoints(tenantId, ids),
      )
    ).map(toFilterReducerConfigModel);
  }
}
