import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { isUuid } from '../common/ids';
import { PubSubService, Topic } from '../common/graphql/pubsub';
import { TrackedJobEntity, TrackedJobStatus } from './tracked-job.entity';
import { toTrackedJobModel } from './tracked-job.model';
import { TrackedJobsQueue } from './tracked-jobs.queue';
import { TrackedJobNotFoundError } from './tracked-jobs.errors';

export class TrackedJobCancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

export interface TrackedJobContext {
  job: TrackedJobEntity;
  /** Records progress (and the total when it becomes known); throws TrackedJobCancelledError once cancelled. */
  progress(done: number, total?: number): Promise<void>;
}

/** A kind of background work that reports progress; handlers must be safe to run again after a crash. */
export type TrackedJobHandler = (ctx: TrackedJobContext) => Promise<Record<string, unknown>>;

const PROGRESS_PUBLISH_INTERVAL_MS = 250;

@Injectable()
export class TrackedJobsService {
  private readonly logger = new Logger(TrackedJobsService.name);
  private readonly handlers = new Map<string, TrackedJobHandler>();

  constructor(
    @InjectRepository(TrackedJobEntity) private readonly jobs: Repository<TrackedJobEntity>,
    private readonly queue: TrackedJobsQueue,
    private readonly pubsub: PubSubService,
  ) {}

  registerHandler(type: string, handler: TrackedJobHandler): void {
    this.handlers.set(type, handler);
  }

  /** Creates the row (QUEUED) in the caller's transaction when given one; call enqueue() after commit. */
  async create(
    tenantId: string,
    type: string,
    params: Record<string, unknown>,
    manager?: EntityManager,
  ): Promise<TrackedJobEntity> {
    const repo = manager ? manager.getRepository(TrackedJobEntity) : this.jobs;
    return repo.save(
      repo.create({ tenantId, type, params, status: TrackedJobStatus.QUEUED, progress: 0, total: null }),
    );
  }

  async enqueue(job: TrackedJobEntity): Promise<void> {
    await this.queue.add(job.id);
  }

  async start(tenantId: string, type: string, params: Record<string, unknown>): Promise<TrackedJobEntity> {
    const job = await this.create(tenantId, type, params);
    await this.enqueue(job);
    return job;
  }

  async find(tenantId: string, id: string): Promise<TrackedJobEntity> {
    const job = isUuid(id) ? await this.jobs.findOneBy({ tenantId, id }) : null;
    if (!job) throw new TrackedJobNotFoundError(id);
    return job;
  }

  /** The oldest job of this type that has not finished (QUEUED, or RUNNING when its process died): to resume it. */
  async findUnfinished(tenantId: string, type: string): Promise<TrackedJobEntity | null> {
    return this.jobs.findOne({
      where: { tenantId, type, status: In([TrackedJobStatus.QUEUED, TrackedJobStatus.RUNNING]) },
      order: { createdAt: 'ASC' },
    });
  }

  async cancel(tenantId: string, id: string): Promise<TrackedJobEntity> {
    const job = await this.find(tenantId, id);
    if (job.status === TrackedJobStatus.QUEUED) {
      await this.finish(job, TrackedJobStatus.FAILED, { result: job.result, error: 'cancelled' });
    } else if (job.status === TrackedJobStatus.RUNNING) {
      await this.jobs.update({ tenantId, id }, { cancelRequested: true });
      job.cancelRequested = true;
    }
    return job;
  }

  /** Runs one tracked job; a job already finished is left alone, so a repeated queue job does no harm. */
  async run(id: string): Promise<void> {
    const job = await this.jobs.findOneBy({ id });
    if (!job || job.status === TrackedJobStatus.COMPLETED || job.status === TrackedJobStatus.FAILED) return;
    const handler = this.handlers.get(job.type);
    if (!handler) {
      await this.finish(job, TrackedJobStatus.FAILED, { error: `no handler for job type ${job.type}` });
      return;
    }
    job.status = TrackedJobStatus.RUNNING;
    job.startedAt = new Date();
    await this.jobs.update({ id }, { status: job.status, startedAt: job.startedAt });
    await this.publish(job);

    let lastPublish = 0;
    const ctx: TrackedJobContext = {
      job,
      progress: async (done, total) => {
        job.progress = done;
        if (total !== undefined) job.total = total;
        const row = await this.jobs.findOne({ where: { id }, select: { id: true, cancelRequested: true } });
        await this.jobs.update({ id }, { progress: job.progress, total: job.total });
        if (Date.now() - lastPublish >= PROGRESS_PUBLISH_INTERVAL_MS || done === job.total) {
          lastPublish = Date.now();
          await this.publish(job);
        }
        if (row?.cancelRequested) throw new TrackedJobCancelledError();
      },
    };
    try {
      const result = await handler(ctx);
      await this.finish(job, TrackedJobStatus.COMPLETED, { result });
    } catch (error) {
      if (error instanceof TrackedJobCancelledError) {
        await this.finish(job, TrackedJobStatus.FAILED, { error: 'cancelled', result: job.result });
        return;
      }
      this.logger.warn({
        msg: 'tracked job failed',
        trackedJobId: id,
        error: error instanceof Error ? error.message : String(error),
      });
      await this.finish(job, TrackedJobStatus.FAILED, {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async finish(
    job: TrackedJobEntity,
    status: TrackedJobStatus,
    out: { result?: Record<string, unknown> | null; error?: string },
  ): Promise<void> {
    job.status = status;
    job.result = out.result ?? job.result ?? null;
    job.error = out.error ?? null;
    job.finishedAt = new Date();
    await this.jobs.update({ id: job.id, status: In([TrackedJobStatus.QUEUED, TrackedJobStatus.RUNNING]) }, {
      status,
      result: job.result,
      error: job.error,
      finishedAt: job.finishedAt,
      progress: job.progress,
      total: job.total,
    } as QueryDeepPartialEntity<TrackedJobEntity>);
    await this.publish(job);
  }

  private async publish(job: TrackedJobEntity): Promise<void> {
    await this.pubsub.publish(Topic.TrackedJobUpdated, job.tenantId, { ...toTrackedJobModel(job) });
  }
}
