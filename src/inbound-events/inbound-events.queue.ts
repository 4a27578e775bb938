import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { DEFAULT_JOB_OPTIONS, JobName, ProcessInboundEventJob, QueueName } from '../common/queue/queue.constants';

/** The only place that adds inbound processing jobs. jobId = event id: a second add of the same event is one job. */
@Injectable()
export class InboundEventsQueue {
  constructor(@InjectQueue(QueueName.InboundEvents) private readonly queue: Queue<ProcessInboundEventJob>) {}

  async add(inboundEventId: string): Promise<void> {
    await this.queue.add(
      JobName.ProcessInboundEvent,
      { inboundEventId },
      { ...DEFAULT_JOB_OPTIONS, jobId: inboundEventId },
    );
  }
}
