import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysService } from './api-keys.service';
import { AuditLogEntity } from './audit-log.entity';
import { AuditService } from './audit.service';
import { AuthGuard } from './auth.guard';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { TenantEntity } from './tenant.entity';
import { TenantsService } from './tenants.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([TenantEntity, ApiKeyEntity, AuditLogEntity])],
  providers: [TenantsService, ApiKeysService, AuditService, AuthService, AuthResolver, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TenantsService, ApiKeysService, AuditService, AuthService],
})
export class AuthModule {}
