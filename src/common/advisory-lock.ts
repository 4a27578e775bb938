/**
 * Every Postgres advisory lock id the service takes, in one place so that no two tasks can collide on a number.
 * Session locks (`pg_advisory_lock`) and transaction locks (`pg_advisory_xact_lock`) share this key space.
 */
export enum AdvisoryLock {
  /** One booting process runs the migrations. */
  Migrations = 727_100_001,
  /** One process reconciles deliveries at a time. */
  DeliveryReconcile = 727_100_002,
  /** One process re-queues stuck inbound events at a time. */
  InboundSweep = 727_100_003,
  /** One process deletes what is past the retention policies at a time. */
  RetentionSweep = 727_100_004,
}
