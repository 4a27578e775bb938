import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { EventTypesModule } from '../event-types/event-types.module';
import { EndpointFiltersResolver } from './endpoint-filters.resolver';
import { FilterReducerEntity } from './filter-reducer.entity';
import { FiltersResolver } from './filters.resolver';
import { FiltersService } from './filters.service';

@Module({
  imports: [TypeOrmModule.forFeature([FilterReducerEntity]), AuthModule, EndpointsModule, EventTypesModule],
  providers: [FiltersService, FiltersResolver, EndpointFiltersResolver],
  exports: [FiltersService],
})
export class FiltersModule {}
