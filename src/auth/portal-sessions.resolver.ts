import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from './auth.decorators';
import { CreatePortalSessionInput } from './dto/create-portal-session.input';
import { PortalSession, toPortalSessionModel } from './portal-session.model';
import { PortalSessionsService } from './portal-sessions.service';
import { Permission, Principal } from './principal';

@Resolver()
@RequirePermission(Permission.ManageWebhooks)
export class PortalSessionsResolver {
  constructor(private readonly sessions: PortalSessionsService) {}

  @Mutation(() => PortalSession)
  async createPortalSession(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { type: () => CreatePortalSessionInput, nullable: true }) input?: CreatePortalSessionInput,
  ): Promise<PortalSession> {
    const { entity, token, url } = await this.sessions.create(principal, input);
    return toPortalSessionModel(entity, token, url);
  }
}
