import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobName, ProcessInboundEventJob, QueueName } from '../common/queue/queue.constants';
import { SpanName, TraceAttribute, withSpan } from '../common/telemetry/tracing';
import { InboundProcessingService } from './inbound-processing.service';

@Processor(QueueName.InboundEvents)
export class InboundEventsProcessor {
  constructor(private readonly processing: InboundProcessingService) {}

  /** Failures are recorded on the row (FAILED, lastError), so the job itself never fails or retries. */
  @Process({ name: JobName.ProcessInboundEvent, concurrency: 10 })
  async process(job: Job<ProcessInboundEventJob>): Promise<void> {
    const attributes = { [TraceAttribute.InboundEventId]: job.data.inboundEventId };
    await withSpan(SpanName.InboundProcess, attributes, () => this.processing.process(job.data.inboundEventId));
  }
}
