import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { DEFAULT_JOB_OPTIONS, JobName, QueueName, RunTrackedJobJob } from '../common/queue/queue.constants';

/** The only place that adds tracked-job runs. jobId = tracked job id, so a repeated add is one run. */
@Injectable()
export class TrackedJobsQueue {
  constructor(@InjectQueue(QueueName.TrackedJobs) private readonly queue: Queue<RunTrackedJobJob>) {}

  async add(trackedJobId: string): Promise<void> {
    await this.queue.add(
      JobName.RunTrackedJob,
      { trackedJobId },
      { ...DEFAULT_JOB_OPTIONS, jobId: trackedJobId, attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
    );
  }
}
