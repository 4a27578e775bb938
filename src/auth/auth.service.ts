import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { API_KEY_PREFIX, ApiKeysService } from './api-keys.service';
import { CredentialTooLongError, MalformedAuthorizationError, MissingCredentialsError } from './auth.errors';
import { verifyAdminJwt } from './jwt';
import { PORTAL_TOKEN_PREFIX, PortalSessionsService } from './portal-sessions.service';
import { ActorType, Principal } from './principal';
import { TenantsService } from './tenants.service';

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly apiKeys: ApiKeysService,
    private readonly tenants: TenantsService,
    private readonly portalSessions: PortalSessionsService,
  ) {}

  /** `Bearer whk_...` is an API key, `Bearer whp_...` a portal session; any other bearer credential is an admin JWT. */
  async authenticate(authorization: unknown): Promise<Principal> {
    if (typeof authorization !== 'string' || authorization.length === 0) throw new MissingCredentialsError();
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw new MalformedAuthorizationError();
    const credential = match[1];
    if (credential.length > 4096) throw new CredentialTooLongError();
    if (credential.startsWith(API_KEY_PREFIX)) return this.apiKeys.authenticate(credential);
    if (credential.startsWith(PORTAL_TOKEN_PREFIX)) return this.portalSessions.authenticate(credential);
    const claims = verifyAdminJwt(credential, this.config.jwtSecret, this.config.jwtMaxLifetimeSeconds);
    await this.tenants.ensure(claims.tenantId);
    return {
      tenantId: claims.tenantId,
      actorType: ActorType.User,
      actorId: claims.sub,
      permissions: claims.permissions,
    };
  }
}
