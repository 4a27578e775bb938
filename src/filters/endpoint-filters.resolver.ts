import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { Permission } from '../auth/principal';
import { Endpoint } from '../endpoints/endpoint.model';
import { FilterReducerConfig, toFilterReducerConfigModel } from './filter-reducer.model';
import { FiltersService } from './filters.service';

/** Endpoint.filters, scoped by the tenant of the endpoint that was already loaded for the caller. */
@Resolver(() => Endpoint)
@RequirePermission(Permission.ManageWebhooks)
export class EndpointFiltersResolver {
  constructor(private readonly filtersService: FiltersService) {}

  @ResolveField(() => [FilterReducerConfig])
  async filters(@Parent() endpoint: Endpoint): Promise<FilterReducerConfig[]> {
    return (await this.filtersService.listForEndpoint(endpoint.tenantId, endpoint.id)).map(toFilterReducerConfigModel);
  }
}
