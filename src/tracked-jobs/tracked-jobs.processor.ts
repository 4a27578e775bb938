import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobName, QueueName, RunTrackedJobJob } from '../common/queue/queue.constants';
import { TrackedJobsService } from './tracked-jobs.service';

@Processor(QueueName.TrackedJobs)
export class TrackedJobsProcessor {
  constructor(private readonly trackedJobs: TrackedJobsService) {}

  @Process({ name: JobName.RunTrackedJob, concurrency: 4 })
  async run(job: Job<RunTrackedJobJob>): Promise<void> {
    await this.trackedJobs.run(job.data.trackedJobId);
  }
}
