/** Every Bull queue and job name, and the payload each job carries (ids, never payloads). */
export enum QueueName {
  Deliveries = 'deliveries',
  InboundEvents = 'inbound-events',
  TrackedJobs = 'tracked-jobs',
}

export enum JobName {
  AttemptDelivery = 'attempt-delivery',
  ProcessInboundEvent = 'process-inbound-event',
  RunTrackedJob = 'run-tracked-job',
}

export interface AttemptDeliveryJob {
  deliveryId: string;
  /** Lets the worker apply the per-endpoint concurrency cap before touching the database. */
  endpointId: string;
  /** The same for the per-tenant cap; absent in jobs queued before it existed. */
  tenantId?: string;
}
export interface ProcessInboundEventJob {
  inboundEventId: string;
}
export interface RunTrackedJobJob {
  trackedJobId: string;
}

/** Completed jobs are removed; failed ones are kept briefly for inspection. Postgres is the truth either way. */
export const DEFAULT_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: 1000 } as const;
