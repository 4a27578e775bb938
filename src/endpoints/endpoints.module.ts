import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HttpModule } from '../common/http/http.module';
import { EndpointEntity } from './endpoint.entity';
import { EndpointsResolver } from './endpoints.resolver';
import { EndpointsService } from './endpoints.service';
import { EventTypeEntity } from './event-type.entity';
import { EventTypesResolver } from './event-types.resolver';
import { EventTypesService } from './event-types.service';
import { PayloadValidator } from './event-types/payload-validator';

/** Endpoints, their secrets and health, the event-type catalog. HttpModule is global: its client is shared. */
@Module({
  imports: [HttpModule, TypeOrmModule.forFeature([EndpointEntity, EventTypeEntity])],
  providers: [EndpointsService, EndpointsResolver, EventTypesService, EventTypesResolver, PayloadValidator],
  exports: [EndpointsService, EventTypesService, PayloadValidator],
})
export class EndpointsModule {}
