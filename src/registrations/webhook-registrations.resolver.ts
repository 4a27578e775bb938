import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { Permission, Principal } from '../auth/principal';
import { IdempotencyKeyHeader } from '../common/idempotency/idempotency-key.decorator';
import { DeleteEndpointPayload } from '../endpoints/endpoint-payloads.model';
import { CreateWebhookRegistrationInput } from './dto/create-webhook-registration.input';
import { UpdateWebhookRegistrationInput } from './dto/update-webhook-registration.input';
import {
  CreateWebhookRegistrationPayload,
  RotateWebhookRegistrationSecretPayload,
  toWebhookRegistrationConnection,
  toWebhookRegistrationModel,
  WebhookRegistration,
  WebhookRegistrationConnection,
} from './webhook-registration.model';
import { WebhookRegistrationsService } from './webhook-registrations.service';

@Resolver(() => WebhookRegistration)
@RequirePermission(Permission.ManageWebhooks)
export class WebhookRegistrationsResolver {
  constructor(private readonly service: WebhookRegistrationsService) {}

  @Query(() => WebhookRegistrationConnection)
  async webhookRegistrations(
    @CurrentPrincipal() principal: Principal,
    @Args('shopId', { type: () => String, nullable: true }) shopId?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<WebhookRegistrationConnection> {
    return toWebhookRegistrationConnection(await this.service.list(principal.tenantId, shopId, { first, after }));
  }

  @Query(() => WebhookRegistration, { nullable: true })
  async webhookRegistration(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<WebhookRegistration> {
    return toWebhookRegistrationModel(await this.service.find(principal.tenantId, id));
  }

  @Mutation(() => CreateWebhookRegistrationPayload)
  async createWebhookRegistration(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateWebhookRegistrationInput,
    @IdempotencyKeyHeader() idempotencyKey?: string,
  ): Promise<CreateWebhookRegistrationPayload> {
    const created = await this.service.create(principal, input, idempotencyKey);
    return { registration: toWebhookRegistrationModel(created), secret: created.secret };
  }

  @Mutation(() => WebhookRegistration)
  async updateWebhookRegistration(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateWebhookRegistrationInput,
  ): Promise<WebhookRegistration> {
    return toWebhookRegistrationModel(await this.service.update(principal, id, input));
  }

  @Mutation(() => DeleteEndpointPayload)
  async deleteWebhookRegistration(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<DeleteEndpointPayload> {
    return this.service.remove(principal, id);
  }

  @Mutation(() => RotateWebhookRegistrationSecretPayload)
  async rotateWebhookRegistrationSecret(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<RotateWebhookRegistrationSecretPayload> {
    const r = await this.service.rotate(principal, id);
    return {
      registration: toWebhookRegistrationModel(r),
      secret: r.secret,
      previousSecretExpiresAt: r.previousSecretExpiresAt,
    };
  }
}
