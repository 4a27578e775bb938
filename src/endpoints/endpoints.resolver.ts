import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ChannelScoped, CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import { channelScope, Permission, Principal } from '../auth/principal';
import { IdempotencyKeyHeader } from '../common/idempotency/idempotency-key.decorator';
import { CreateEndpointInput } from './dto/create-endpoint.input';
import { EndpointFilter } from './dto/endpoint-filter.input';
import { UpdateEndpointInput } from './dto/update-endpoint.input';
import { Endpoint, EndpointConnection, toEndpointModel } from './endpoint.model';
import {
  CreateEndpointPayload,
  DeleteEndpointPayload,
  RevealedEndpointSecret,
  RotateEndpointSecretPayload,
  toCreateEndpointPayload,
  toEndpointConnection,
  toRotateEndpointSecretPayload,
  toVerificationResult,
  VerificationResult,
} from './endpoint-payloads.model';
import { EndpointSecrets } from './endpoint-secrets.service';
import { EndpointVerifier } from './endpoint-verifier.service';
import { EndpointsService } from './endpoints.service';

@Resolver(() => Endpoint)
@RequirePermission(Permission.ManageWebhooks)
@ChannelScoped()
export class EndpointsResolver {
  constructor(
    private readonly service: EndpointsService,
    private readonly secrets: EndpointSecrets,
    private readonly verifier: EndpointVerifier,
  ) {}

  @Query(() => EndpointConnection)
  async endpoints(
    @CurrentPrincipal() principal: Principal,
    @Args('filter', { type: () => EndpointFilter, nullable: true }) filter?: EndpointFilter,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<EndpointConnection> {
    return toEndpointConnection(
      await this.service.list(principal.tenantId, filter, { first, after }, channelScope(principal)),
    );
  }

  @Query(() => Endpoint, { nullable: true })
  async endpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Endpoint> {
    return toEndpointModel(await this.service.find(principal.tenantId, id, channelScope(principal)));
  }

  @Mutation(() => CreateEndpointPayload)
  async createEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateEndpointInput,
    @IdempotencyKeyHeader() idempotencyKey?: string,
  ): Promise<CreateEndpointPayload> {
    return toCreateEndpointPayload(await this.service.create(principal, input, idempotencyKey));
  }

  @Mutation(() => Endpoint)
  async updateEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateEndpointInput,
  ): Promise<Endpoint> {
    return toEndpointModel(await this.service.update(principal, id, input));
  }

  @Mutation(() => DeleteEndpointPayload)
  async deleteEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<DeleteEndpointPayload> {
    return this.service.remove(principal, id);
  }

  @Mutation(() => Endpoint)
  async toggleEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Endpoint> {
    return toEndpointModel(await this.service.toggle(principal, id));
  }

  @Mutation(() => RotateEndpointSecretPayload)
  async rotateEndpointSecret(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<RotateEndpointSecretPayload> {
    return toRotateEndpointSecretPayload(await this.secrets.rotate(principal, id));
  }

  @Mutation(() => RevealedEndpointSecret, {
    description: 'Requires the permission reveal_webhook_secrets besides manage_webhooks; audited, never logged',
  })
  async revealEndpointSecret(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<RevealedEndpointSecret> {
    return this.secrets.reveal(principal, id);
  }

  @Mutation(() => VerificationResult)
  async verifyEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<VerificationResult> {
    return toVerificationResult(await this.verifier.verify(principal, id));
  }
}
