import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ChannelScoped, CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { Permission, Principal } from '../auth/principal';
import { SaveFilterReducerInput } from './dto/save-filter-reducer.input';
import { ValidateFilterInput } from './dto/validate-filter.input';
import { ValidateReducerInput } from './dto/validate-reducer.input';
import {
  FilterReducerConfig,
  FilterValidationResult,
  ReducerValidationResult,
  toFilterReducerConfigModel,
} from './filter-reducer.model';
import { FiltersService } from './filters.service';

@Resolver()
@RequirePermission(Permission.ManageWebhooks)
@ChannelScoped()
export class FiltersResolver {
  constructor(private readonly filters: FiltersService) {}

  @Query(() => FilterValidationResult)
  validateFilter(@Args('input') input: ValidateFilterInput): FilterValidationResult {
    return this.filters.validateFilter(input);
  }

  @Query(() => ReducerValidationResult)
  validateReducer(@Args('input') input: ValidateReducerInput): ReducerValidationResult {
    return this.filters.validateReducer(input);
  }

  @Mutation(() => FilterReducerConfig)
  async saveFilterReducer(
    @CurrentPrincipal() principal: Principal,
    @Args('endpointId', { type: () => ID }) endpointId: string,
    @Args('input') input: SaveFilterReducerInput,
  ): Promise<FilterReducerConfig> {
    return toFilterReducerConfigModel(await this.filters.save(principal, endpointId, input));
  }

  @Mutation(() => Boolean)
  async deleteFilterReducer(
    @CurrentPrincipal() principal: Principal,
    @Args('endpointId', { type: () => ID }) endpointId: string,
    @Args('eventType') eventType: string,
  ): Promise<boolean> {
    return this.filters.delete(principal, endpointId, eventType);
  }
}
