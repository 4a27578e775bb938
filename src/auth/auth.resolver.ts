import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly, CurrentPrincipal, RequirePermission } from './auth.decorators';
import { ApiKey, CreateApiKeyPayload, toApiKeyModel } from './api-key.model';
import { ApiKeysService } from './api-keys.service';
import { AuditLogConnection, toAuditLogEntry } from './audit-log.model';
import { AuditService } from './audit.service';
import { CreateApiKeyInput } from './dto/create-api-key.input';
import { Permission, Principal } from './principal';

@Resolver()
@RequirePermission(Permission.ManageWebhooks)
export class AuthResolver {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly audit: AuditService,
  ) {}

  @Query(() => [ApiKey])
  @AdminOnly()
  async apiKeys(@CurrentPrincipal() principal: Principal): Promise<ApiKey[]> {
    return (await this.keys.list(principal.tenantId)).map(toApiKeyModel);
  }

  @Mutation(() => CreateApiKeyPayload)
  @AdminOnly()
  async createApiKey(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateApiKeyInput,
  ): Promise<CreateApiKeyPayload> {
    const { entity, key } = await this.keys.create(principal, input.name, input.permissions);
    return { apiKey: toApiKeyModel(entity), key };
  }

  @Mutation(() => ApiKey)
  @AdminOnly()
  async revokeApiKey(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ApiKey> {
    return toApiKeyModel(await this.keys.revoke(principal, id));
  }

  @Query(() => AuditLogConnection)
  async auditLogs(
    @CurrentPrincipal() principal: Principal,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('action', { nullable: true }) action?: string,
    @Args('targetId', { nullable: true }) targetId?: string,
  ): Promise<AuditLogConnection> {
    const page = await this.audit.list(principal.tenantId, { first, after, action, targetId });
    return { ...page, edges: page.edges.map((e) => ({ node: toAuditLogEntry(e.node), cursor: e.cursor })) };
  }
}
