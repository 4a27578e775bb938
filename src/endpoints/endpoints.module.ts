import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { HttpModule } from '../common/http/http.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { EndpointAdmission } from './endpoint-admission.service';
import { EndpointEntity } from './endpoint.entity';
import { EndpointHealthTracker } from './endpoint-health-tracker.service';
import { EndpointSecrets } from './endpoint-secrets.service';
import { EndpointSecretTable } from './endpoint-secret-table';
import { EndpointVerifier } from './endpoint-verifier.service';
import { EndpointsResolver } from './endpoints.resolver';
import { EndpointsService } from './endpoints.service';
import { RegistrationEndpoints } from './registration-endpoints.service';
import { EventTypesModule } from '../event-types/event-types.module';

/** Endpoints: CRUD (EndpointsService), admission, secrets, the verification handshake and health. */
@Module({
  imports: [TypeOrmModule.forFeature([EndpointEntity]), HttpModule, AuthModule, IdempotencyModule, EventTypesModule],
  providers: [
    EndpointsService,
    EndpointAdmission,
    EndpointSecrets,
    EndpointVerifier,
    EndpointHealthTracker,
    EndpointsResolver,
    RegistrationEndpoints,
    EndpointSecretTable,
  ],
  exports: [EndpointsService, EndpointSecrets, EndpointHealthTracker, RegistrationEndpoints, EndpointSecretTable],
})
export class EndpointsModule {}
