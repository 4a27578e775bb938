import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HttpModule } from '../common/http/http.module';
import { EndpointEntity } from './endpoint.entity';
import { EndpointsResolver } from './endpoints.resolver';
import { EndpointsService } from './endpoints.service';
import { EventTypesModule } from '../event-types/event-types.module';

/** Endpoints, their secrets and health. HttpModule is global: its client is shared. */
@Module({
  imports: [HttpModule, TypeOrmModule.forFeature([EndpointEntity]), EventTypesModule],
  providers: [EndpointsService, EndpointsResolver],
  exports: [EndpointsService],
})
export class EndpointsModule {}
