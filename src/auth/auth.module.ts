import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommonModule } from '../common/common.module';
import { CALLER_CREDENTIALS } from '../common/graphql/caller-credentials';
import { SOCKET_AUTHENTICATOR } from '../common/graphql/socket-authenticator';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysService } from './api-keys.service';
import { AuditLogEntity } from './audit-log.entity';
import { AuditService } from './audit.service';
import { AuthGuard } from './auth.guard';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { CallerCredentialsAdapter } from './caller-credentials.adapter';
import { GraphqlSocketAuth } from './graphql-socket-auth';
import { PortalSessionEntity } from './portal-session.entity';
import { PortalSessionsResolver } from './portal-sessions.resolver';
import { PortalSessionsService } from './portal-sessions.service';
import { SubscriptionAuthService } from './subscription-auth.service';
import { TenantEntity } from './tenant.entity';
import { TenantsService } from './tenants.service';

@Module({
  imports: [TypeOrmModule.forFeature([TenantEntity, ApiKeyEntity, AuditLogEntity, PortalSessionEntity]), CommonModule],
  providers: [
    TenantsService,
    ApiKeysService,
    AuditService,
    AuthService,
    AuthResolver,
    PortalSessionsService,
    PortalSessionsResolver,
    SubscriptionAuthService,
    { provide: SOCKET_AUTHENTICATOR, useClass: GraphqlSocketAuth },
    { provide: CALLER_CREDENTIALS, useClass: CallerCredentialsAdapter },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TenantsService, ApiKeysService, AuditService, AuthService, SOCKET_AUTHENTICATOR, CALLER_CREDENTIALS],
})
export class AuthModule {}
