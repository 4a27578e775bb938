import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly, CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { Permission, Principal } from '../auth/principal';
import { RetentionPolicyInput } from './dto/retention-policy.input';
import { RetentionPolicy, toRetentionPolicyModel } from './retention-policy.model';
import { RetentionPolicies } from './retention-policies.service';

@Resolver(() => RetentionPolicy)
@RequirePermission(Permission.ManageWebhooks)
export class RetentionResolver {
  constructor(private readonly policies: RetentionPolicies) {}

  @Query(() => RetentionPolicy, { description: "The caller's tenant's policy (the service defaults unless changed)" })
  async retentionPolicy(@CurrentPrincipal() principal: Principal): Promise<RetentionPolicy> {
    return toRetentionPolicyModel(await this.policies.get(principal.tenantId));
  }

  @Mutation(() => RetentionPolicy, { description: 'Admin JWT only' })
  @AdminOnly()
  async updateRetentionPolicy(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: RetentionPolicyInput,
  ): Promise<RetentionPolicy> {
    return toRetentionPolicyModel(await this.policies.update(principal, input));
  }
}
