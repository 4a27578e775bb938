import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { workerOnly } from '../../config/roles';
import { TrackedJobEntity } from './tracked-job.entity';
import { TrackedJobsProcessor } from './tracked-jobs.processor';
import { TrackedJobsResolver } from './tracked-jobs.resolver';
import { TrackedJobsService } from './tracked-jobs.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([TrackedJobEntity])],
  providers: [TrackedJobsService, TrackedJobsResolver, ...workerOnly(TrackedJobsProcessor)],
  exports: [TrackedJobsService],
})
export class TrackedJobsModule {}
