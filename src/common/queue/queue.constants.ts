/** Every Bull queue and job name, and the payload each job carries (ids, never payloads). */
export enum QueueName {
  Deliveries = 'deliveries',
  InboundEvents = 'inbound-events',
  TrackedJobs = 'tracked-jobs',
}

export enum JobName {
  /** One endpoint's deliveries (up to DELIVERY_JOB_BATCH_SIZE): what every enqueue makes now. */
  AttemptDeliveries = 'attempt-deliveries',
  /** One delivery: still worked, for jobs queued by a version before batches. */
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
/** Ids only: each delivery is still claimed, leased, attempted and recorded on its own in Postgres. */
export interface AttemptDeliveriesJob {
  endpointId: string;
  tenantId: string;
  deliveryIds: string[];
}
export interface ProcessInboundEventJob {
  inboundEventId: string;
}
export interface RunTrackedJobJob {
  trackedJobId: string;
}

/** Completed jobs are removed; failed ones are kept briefly for inspection. Postgres is the truth either way. */
export const DEFAULT_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: 1000 } as const;
