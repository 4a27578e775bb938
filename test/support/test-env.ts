/**
 * Environment for e2e tests: real Postgres and Redis (from `npm test`'s with-services, or the local defaults),
 * a test database of its own, and a Bull/pubsub key prefix per run so parallel runs never see each other's jobs.
 */
export function applyTestEnv(): void {
  process.env.NODE_ENV = 'test';
  const dbName = process.env.HOOKLINE_TEST_DB ?? 'hookline_test';
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hookline_test');
  url.pathname = `/${dbName}`;
  process.env.DATABASE_URL = url.toString();
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  process.env.QUEUE_PREFIX ??= `hlt${process.pid}x${Date.now().toString(36)}`;
  process.env.ALLOW_PRIVATE_TARGETS ??= 'true';
  process.env.DELIVERY_RETRY_SCHEDULE ??= '1s,1s,1s';
  process.env.DELIVERY_TIMEOUT_MS ??= '3000';
  process.env.RECONCILE_INTERVAL_MS ??= '1000';
  process.env.DELIVERY_LEASE_GRACE_MS ??= '2000';
  process.env.LOG_LEVEL ??= 'error';
  process.env.MIGRATIONS_RUN ??= 'false';
  // Suites share a few credentials across hundreds of requests; test/e2e/rate-limits.e2e-spec.ts sets its own limits.
  process.env.API_RATE_LIMIT_PER_MINUTE ??= '6000000';
  process.env.API_RATE_LIMIT_BURST ??= '1000000';
  process.env.INBOUND_RATE_LIMIT_PER_MINUTE ??= '6000000';
  process.env.INBOUND_RATE_LIMIT_BURST ??= '1000000';
}
