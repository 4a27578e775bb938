import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommonModule } from '../common/common.module';
import { QueueModule } from '../common/queue/queue.module';
import { workerOnly } from '../config/roles';
import { TrackedJobEntity } from './tracked-job.entity';
import { TrackedJobsProcessor } from './tracked-jobs.processor';
import { TrackedJobsQueue } from './tracked-jobs.queue';
import { TrackedJobsResolver } from './tracked-jobs.resolver';
import { TrackedJobsService } from './tracked-jobs.service';

@Module({
  imports: [TypeOrmModule.forFeature([TrackedJobEntity]), CommonModule, QueueModule],
  providers: [TrackedJobsService, TrackedJobsQueue, TrackedJobsResolver, ...workerOnly(TrackedJobsProcessor)],
  exports: [TrackedJobsService],
})
export class TrackedJobsModule {}
