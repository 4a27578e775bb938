import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { Permission, Principal } from '../auth/principal';
import { TrackedJob, toTrackedJobModel } from '../tracked-jobs/tracked-job.model';
import { CreateIntegrationInput } from './dto/create-integration.input';
import { UpdateIntegrationInput } from './dto/update-integration.input';
import { DeleteIntegrationPayload, IntegrationInstance, toIntegrationModel } from './integration.model';
import { IntegrationsService } from './integrations.service';
import { ProviderSubscription } from './provider-subscription.model';
import { ProviderSubscriptionsService } from './provider-subscriptions.service';

@Resolver(() => IntegrationInstance)
@RequirePermission(Permission.ManageWebhooks)
export class IntegrationsResolver {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly subscriptions: ProviderSubscriptionsService,
  ) {}

  @Query(() => [IntegrationInstance], { name: 'integrations' })
  async listIntegrations(@CurrentPrincipal() principal: Principal): Promise<IntegrationInstance[]> {
    return (await this.integrations.list(principal.tenantId)).map(toIntegrationModel);
  }

  @Query(() => IntegrationInstance, { nullable: true })
  async integration(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<IntegrationInstance> {
    return toIntegrationModel(await this.integrations.find(principal.tenantId, id));
  }

  @Mutation(() => IntegrationInstance)
  async createIntegration(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateIntegrationInput,
  ): Promise<IntegrationInstance> {
    return toIntegrationModel(await this.integrations.create(principal, input));
  }

  @Mutation(() => IntegrationInstance)
  async updateIntegration(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateIntegrationInput,
  ): Promise<IntegrationInstance> {
    return toIntegrationModel(await this.integrations.update(principal, id, input));
  }

  @Mutation(() => IntegrationInstance)
  async deactivateIntegration(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<IntegrationInstance> {
    return toIntegrationModel(await this.integrations.deactivate(principal, id));
  }

  @Mutation(() => DeleteIntegrationPayload)
  async deleteIntegration(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<DeleteIntegrationPayload> {
    return this.integrations.delete(principal, id);
  }

  @Query(() => [ProviderSubscription])
  async providerSubscriptions(
    @CurrentPrincipal() principal: Principal,
    @Args('integrationId', { type: () => ID }) integrationId: string,
  ): Promise<ProviderSubscription[]> {
    return this.subscriptions.list(principal.tenantId, integrationId);
  }

  @Mutation(() => ProviderSubscription)
  async enableProviderSubscription(
    @CurrentPrincipal() principal: Principal,
    @Args('integrationId', { type: () => ID }) integrationId: string,
    @Args('eventCode') eventCode: string,
  ): Promise<ProviderSubscription> {
    return this.subscriptions.enable(principal, integrationId, eventCode);
  }

  @Mutation(() => ProviderSubscription)
  async disableProviderSubscription(
    @CurrentPrincipal() principal: Principal,
    @Args('integrationId', { type: () => ID }) integrationId: string,
    @Args('eventCode') eventCode: string,
  ): Promise<ProviderSubscription> {
    return this.subscriptions.disable(principal, integrationId, eventCode);
  }

  @Mutation(() => TrackedJob)
  async enableAllProviderSubscriptions(
    @CurrentPrincipal() principal: Principal,
    @Args('integrationId', { type: () => ID }) integrationId: string,
  ): Promise<TrackedJob> {
    return toTrackedJobModel(await this.subscriptions.enableAll(principal, integrationId));
  }
}
