import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { HttpModule } from '../common/http/http.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { EndpointAdmission } from './endpoint-admission.service';
import { EndpointEntity } from './endpoint.entity';
import { EndpointHealthTracker } from './endpoint-health-tracker.service';
import { EndpointSecrets } from './endpoint-secrets.service';
import { EndpointVerifier } from './endpoint-verifier.service';
import { EndpointsResolver } from './endpoints.resolver';
import { EndpointsService } from './endpoints.service';
import { EventTypeEntity } from './event-type.entity';
import { EventTypesResolver } from './event-types.resolver';
import { EventTypesService } from './event-types.service';
import { PayloadValidator } from './event-types/payload-validator';

/**
 * Endpoints (EndpointsService: CRUD; EndpointSecrets; EndpointVerifier; EndpointHealthTracker; the fan-out rules in
 * endpoint-targeting.ts), the event-type catalog.
 */
@Module({
  imports: [TypeOrmModule.forFeature([EndpointEntity, EventTypeEntity]), HttpModule, AuthModule, IdempotencyModule],
  providers: [
    EndpointsService,
    EndpointAdmission,
    EndpointSecrets,
    EndpointVerifier,
    EndpointHealthTracker,
    EndpointsResolver,
    EventTypesService,
    EventTypesResolver,
    PayloadValidator,
  ],
  exports: [EndpointsService, EndpointSecrets, EndpointHealthTracker, EventTypesService, PayloadValidator],
})
export class EndpointsModule {}
