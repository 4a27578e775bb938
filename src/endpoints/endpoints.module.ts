import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { HttpModule } from '../common/http/http.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { EndpointEntity } from './endpoint.entity';
import { EndpointsResolver } from './endpoints.resolver';
import { EndpointsService } from './endpoints.service';
import { EventTypeEntity } from './event-type.entity';
import { EventTypesResolver } from './event-types.resolver';
import { EventTypesService } from './event-types.service';
import { PayloadValidator } from './event-types/payload-validator';

/** Endpoints, their secrets and health, the event-type catalog.  */
@Module({
  imports: [TypeOrmModule.forFeature([EndpointEntity, EventTypeEntity]), HttpModule, AuthModule, IdempotencyModule],
  providers: [EndpointsService, EndpointsResolver, EventTypesService, EventTypesResolver, PayloadValidator],
  exports: [EndpointsService, EventTypesService, PayloadValidator],
})
export class EndpointsModule {}
