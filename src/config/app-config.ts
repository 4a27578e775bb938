import { plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  validateSync,
} from 'class-validator';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseRetrySchedule } from './duration';
import { KeyRingError, parseKeyRing, SecretKey } from './secret-key-ring';
import { parseFrameAncestors } from './frame-ancestors';

export enum AppRole {
  Api = 'api',
  Worker = 'worker',
  All = 'all',
}

/** The bounds of every retention period, in days (the env defaults and a tenant's own policy alike). */
export const RETENTION_MIN_DAYS = 1;
export const RETENTION_MAX_DAYS = 3650;

const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

/** An OTLP collector: the operator's, on any host (loopback and private networks included). */
const OTLP_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/** The environment, as the contract's configuration table names it. */
class EnvSchema {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV = 'development';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// connection string' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/hookline';

  @IsString()
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// connection string' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @IsIn(Object.values(AppRole))
  APP_ROLE: AppRole = AppRole.All;

  @IsOptional()
  @IsString()
  @Matches(/^.{32,}$/s, { message: 'must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'must be 32 bytes, base64 encoded (44 characters)' })
  SECRETS_ENCRYPTION_KEY?: string;

  /** The key ring, `id:base64key,...`; the first key encrypts (parsed and checked by parseKeyRing). */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  SECRETS_ENCRYPTION_KEYS?: string;

  @IsString()
  DELIVERY_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

  @IsInt()
  @Min(100)
  @Max(120_000)
  DELIVERY_TIMEOUT_MS = 15_000;

  @IsBoolean()
  ALLOW_PRIVATE_TARGETS = false;

  @IsBoolean()
  MIGRATIONS_RUN = true;

  /** Prefix of every Bull key in Redis; lets test runs share a Redis without seeing each other's jobs. */
  @IsString()
  @Matches(/^[a-z0-9_:-]{1,40}$/)
  QUEUE_PREFIX = 'hookline';

  /** Retention defaults, for every tenant that has not set its own policy: days kept after a row is finished. */
  @IsInt()
  @Min(RETENTION_MIN_DAYS)
  @Max(RETENTION_MAX_DAYS)
  RETENTION_DELIVERIES_DAYS = 30;

  @IsInt()
  @Min(RETENTION_MIN_DAYS)
  @Max(RETENTION_MAX_DAYS)
  RETENTION_INBOUND_DAYS = 30;

  @IsInt()
  @Min(RETENTION_MIN_DAYS)
  @Max(RETENTION_MAX_DAYS)
  RETENTION_AUDIT_DAYS = 365;

  /** How often the retention sweep (worker role) deletes what is past the policies, and expired idempotency keys. */
  @IsInt()
  @Min(200)
  @Max(604_800_000)
  RETENTION_INTERVAL_MS = 3_600_000;

  /** Rows one retention statement deletes at most (each statement is its own short transaction). */
  @IsInt()
  @Min(100)
  @Max(50_000)
  RETENTION_BATCH_SIZE = 5_000;

  /** Attempts are I/O-bound: many in flight per process, and larger claim/record batches in Postgres. */
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_CONCURRENCY = 200;

  /** Deliveries named by one queue job (one endpoint's): Bull's own per-job Redis work is shared by all of them. */
  @IsInt()
  @Min(1)
  @Max(1000)
  DELIVERY_JOB_BATCH_SIZE = 100;

  /** APP_ROLE=worker only: worker processes this one starts and supervises (one core each). */
  @IsInt()
  @Min(1)
  @Max(64)
  WORKER_PROCESSES = 1;

  /** In-flight attempts allowed per endpoint, so one slow endpoint cannot take every worker slot. */
  @IsInt()
  @Min(1)
  @Max(500)
  ENDPOINT_CONCURRENCY = 20;

  /** In-flight attempts allowed per tenant per worker, so one tenant's dead endpoints cannot take every slot. */
  @IsInt()
  @Min(1)
  @Max(1000)
  TENANT_CONCURRENCY = 50;

  /** Endpoints one tenant may have; creating one more is BAD_USER_INPUT (limit exceeded). */
  @IsInt()
  @Min(1)
  @Max(100_000)
  MAX_ENDPOINTS_PER_TENANT = 500;

  @IsInt()
  @Min(200)
  @Max(600_000)
  RECONCILE_INTERVAL_MS = 15_000;

  /** How long past its HTTP deadline an IN_FLIGHT attempt is presumed lost (its worker died) and retried. */
  @IsInt()
  @Min(500)
  @Max(600_000)
  DELIVERY_LEASE_GRACE_MS = 30_000;

  @IsIn(['debug', 'info', 'warn', 'error', 'silent'])
  LOG_LEVEL = 'info';

  @IsString()
  DATA_DIR = '.data';

  /** The service's public base URL, as browsers reach it (portal links); default http://localhost:<PORT>. */
  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/[^\s#?]{1,500}$/, { message: 'must be an http(s) URL without query or fragment' })
  PUBLIC_BASE_URL?: string;

  /** graphql-ws: live subscriptions one socket may hold. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET = 50;

  /** graphql-ws: open sockets per credential (API key, or JWT tenant + subject) in one api process. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  WS_MAX_SOCKETS_PER_CREDENTIAL = 20;

  /** graphql-ws: a socket that has not sent connection_init by then is closed (4408). */
  @IsInt()
  @Min(100)
  @Max(600_000)
  WS_CONNECTION_INIT_TIMEOUT_MS = 10_000;

  /** Longest validity an admin JWT may claim (exp − iat, and exp − now). */
  @IsInt()
  @Min(60)
  @Max(31_536_000)
  JWT_MAX_LIFETIME_SECONDS = 86_400;

  /** Steady rate of the API per credential (API key, JWT subject, portal session), shared by all api processes. */
  @IsInt()
  @Min(1)
  @Max(6_000_000)
  API_RATE_LIMIT_PER_MINUTE = 1200;

  /** Points a credential may draw beyond the steady rate, once per minute (README "Rate limits"). */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  API_RATE_LIMIT_BURST = 100;

  /** Steady rate of provider callbacks per integration. */
  @IsInt()
  @Min(1)
  @Max(6_000_000)
  INBOUND_RATE_LIMIT_PER_MINUTE = 1200;

  @IsInt()
  @Min(0)
  @Max(1_000_000)
  INBOUND_RATE_LIMIT_BURST = 100;

  /** Where the rate-limit counters live; REDIS_URL when unset. */
  @IsOptional()
  @IsString()
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// connection string' })
  RATE_LIMIT_REDIS_URL?: string;

  /** CSP frame-ancestors of the console (src/config/frame-ancestors.ts says what is accepted). */
  @IsString()
  CONSOLE_FRAME_ANCESTORS = "'none'";

  /** The built console (npm run build); unset: dist/console at the repository root. */
  @IsOptional()
  @IsString()
  CONSOLE_DIR?: string;

  /** Set: spans are exported over OTLP/HTTP to this collector (README "Tracing"). Unset: tracing is off. */
  @IsOptional()
  @IsUrl(OTLP_URL, { message: '$property must be an http:// or https:// URL' })
  @MaxLength(2048)
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** Read by the exporter itself; validated here so a typo fails the boot instead of every export. */
  @IsOptional()
  @IsUrl(OTLP_URL, { message: '$property must be an http:// or https:// URL' })
  @MaxLength(2048)
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  @IsString()
  @Matches(/^[\w.-]{1,100}$/, { message: '$property must be 1 to 100 letters, digits, dots, dashes or underscores' })
  OTEL_SERVICE_NAME = 'hookline';
}

/** A token bucket of the rate limiter: its steady rate and its burst (README "Rate limits"). */
export interface RateLimitPolicy {
  perMinute: number;
  burst: number;
}

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  databaseUrl: string;
  redisUrl: string;
  role: AppRole;
  jwtSecret: string;
  /** Secrets at rest: the first key encrypts, each decrypts what carries its id (SECRETS_ENCRYPTION_KEYS). */
  secretKeys: readonly SecretKey[];
  retryScheduleMs: number[];
  deliveryTimeoutMs: number;
  allowPrivateTargets: boolean;
  migrationsRun: boolean;
  queuePrefix: string;
  workerConcurrency: number;
  deliveryJobBatchSize: number;
  workerProcesses: number;
  endpointConcurrency: number;
  tenantConcurrency: number;
  maxEndpointsPerTenant: number;
  reconcileIntervalMs: number;
  leaseGraceMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  dataDir: string;
  wsMaxSubscriptionsPerSocket: number;
  wsMaxSocketsPerCredential: number;
  wsConnectionInitTimeoutMs: number;
  jwtMaxLifetimeSeconds: number;
  retention: {
    deliveriesDays: number;
    inboundEventsDays: number;
    auditLogDays: number;
    intervalMs: number;
    batchSize: number;
  };
  /** No trailing slash. */
  publicBaseUrl: string;
  apiRateLimit: RateLimitPolicy;
  inboundRateLimit: RateLimitPolicy;
  rateLimitRedisUrl: string;
  consoleFrameAncestors: string;
  consoleDir: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT; null: tracing off. */
  otlpEndpoint: string | null;
  otelServiceName: string;
}

export class ConfigError extends Error {}

const NUMERIC = [
  'PORT',
  'DELIVERY_TIMEOUT_MS',
  'WORKER_CONCURRENCY',
  'DELIVERY_JOB_BATCH_SIZE',
  'WORKER_PROCESSES',
  'ENDPOINT_CONCURRENCY',
  'TENANT_CONCURRENCY',
  'MAX_ENDPOINTS_PER_TENANT',
  'RECONCILE_INTERVAL_MS',
  'DELIVERY_LEASE_GRACE_MS',
  'WS_MAX_SUBSCRIPTIONS_PER_SOCKET',
  'WS_MAX_SOCKETS_PER_CREDENTIAL',
  'WS_CONNECTION_INIT_TIMEOUT_MS',
  'JWT_MAX_LIFETIME_SECONDS',
  'RETENTION_DELIVERIES_DAYS',
  'RETENTION_INBOUND_DAYS',
  'RETENTION_AUDIT_DAYS',
  'RETENTION_INTERVAL_MS',
  'RETENTION_BATCH_SIZE',
  'API_RATE_LIMIT_PER_MINUTE',
  'API_RATE_LIMIT_BURST',
  'INBOUND_RATE_LIMIT_PER_MINUTE',
  'INBOUND_RATE_LIMIT_BURST',
] as const;

/** Reads and validates the environment; throws ConfigError with one line naming the variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined && value !== '') raw[key] = value;
  for (const key of NUMERIC) {
    if (typeof raw[key] === 'string') raw[key] = /^-?\d+$/.test(raw[key] as string) ? Number(raw[key]) : raw[key];
  }
  for (const key of ['ALLOW_PRIVATE_TARGETS', 'MIGRATIONS_RUN']) if (key in raw) raw[key] = toBool({ value: raw[key] });

  const env = plainToInstance(EnvSchema, raw, { excludeExtraneousValues: false });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const first = errors[0];
    const reason = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(`Invalid environment variable ${first.property}: ${reason.replace(/^\S+ /, '')}`);
  }
  const retryScheduleMs = parseRetrySchedule(env.DELIVERY_RETRY_SCHEDULE);
  if (!retryScheduleMs) {
    throw new ConfigError('Invalid environment variable DELIVERY_RETRY_SCHEDULE: expected durations like 5s,5m,30m,2h');
  }

  const consoleFrameAncestors = parseFrameAncestors(env.CONSOLE_FRAME_ANCESTORS);
  if (!consoleFrameAncestors) {
    throw new ConfigError(
      "Invalid environment variable CONSOLE_FRAME_ANCESTORS: expected 'none', or 'self' and origins like https://shop.example.com",
    );
  }

  const production = env.NODE_ENV === 'production';
  const dataDir = resolve(env.DATA_DIR);
  let jwtSecret = env.AUTH_JWT_SECRET;
  let encryptionKey = env.SECRETS_ENCRYPTION_KEY;
  const keyRing = env.SECRETS_ENCRYPTION_KEYS;
  if (production) {
    if (!jwtSecret)
      throw new ConfigError('Missing environment variable AUTH_JWT_SECRET (required when NODE_ENV=production)');
    if (!encryptionKey && !keyRing)
      throw new ConfigError(
        'Missing environment variable SECRETS_ENCRYPTION_KEYS (or SECRETS_ENCRYPTION_KEY; required when NODE_ENV=production)',
      );
  } else if (!jwtSecret || (!encryptionKey && !keyRing)) {
    const dev = developmentSecrets(dataDir);
    jwtSecret ??= dev.AUTH_JWT_SECRET;
    if (!keyRing) encryptionKey ??= dev.SECRETS_ENCRYPTION_KEY;
  }
  let secretKeys: SecretKey[];
  try {
    secretKeys = parseKeyRing(keyRing, encryptionKey);
  } catch (error) {
    if (error instanceof KeyRingError) throw new ConfigError(`Invalid environment variable ${error.message}`);
    throw error;
  }

  return {
    env: env.NODE_ENV as AppConfig['env'],
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    role: env.APP_ROLE,
    jwtSecret: jwtSecret as string,
    secretKeys,
    retryScheduleMs,
    deliveryTimeoutMs: env.DELIVERY_TIMEOUT_MS,
    allowPrivateTargets: env.ALLOW_PRIVATE_TARGETS,
    migrationsRun: env.MIGRATIONS_RUN,
    queuePrefix: env.QUEUE_PREFIX,
    workerConcurrency: env.WORKER_CONCURRENCY,
    deliveryJobBatchSize: env.DELIVERY_JOB_BATCH_SIZE,
    workerProcesses: env.WORKER_PROCESSES,
    endpointConcurrency: env.ENDPOINT_CONCURRENCY,
    tenantConcurrency: env.TENANT_CONCURRENCY,
    maxEndpointsPerTenant: env.MAX_ENDPOINTS_PER_TENANT,
    reconcileIntervalMs: env.RECONCILE_INTERVAL_MS,
    leaseGraceMs: env.DELIVERY_LEASE_GRACE_MS,
    logLevel: env.LOG_LEVEL as AppConfig['logLevel'],
    dataDir,
    wsMaxSubscriptionsPerSocket: env.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
    wsMaxSocketsPerCredential: env.WS_MAX_SOCKETS_PER_CREDENTIAL,
    wsConnectionInitTimeoutMs: env.WS_CONNECTION_INIT_TIMEOUT_MS,
    jwtMaxLifetimeSeconds: env.JWT_MAX_LIFETIME_SECONDS,
    retention: {
      deliveriesDays: env.RETENTION_DELIVERIES_DAYS,
      inboundEventsDays: env.RETENTION_INBOUND_DAYS,
      auditLogDays: env.RETENTION_AUDIT_DAYS,
      intervalMs: env.RETENTION_INTERVAL_MS,
      batchSize: env.RETENTION_BATCH_SIZE,
    },
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    apiRateLimit: { perMinute: env.API_RATE_LIMIT_PER_MINUTE, burst: env.API_RATE_LIMIT_BURST },
    inboundRateLimit: { perMinute: env.INBOUND_RATE_LIMIT_PER_MINUTE, burst: env.INBOUND_RATE_LIMIT_BURST },
    rateLimitRedisUrl: env.RATE_LIMIT_REDIS_URL ?? env.REDIS_URL,
    consoleFrameAncestors,
    consoleDir: resolve(env.CONSOLE_DIR ?? join(__dirname, '..', '..', 'dist', 'console')),
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    otelServiceName: env.OTEL_SERVICE_NAME,
  };
}

/** Development and tests get generated secrets, persisted so that restarts can still decrypt and verify. */
function developmentSecrets(dataDir: string): { AUTH_JWT_SECRET: string; SECRETS_ENCRYPTION_KEY: string } {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secrets = {
    AUTH_JWT_SECRET: randomBytes(48).toString('base64url'),
    SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  } catch {
    return JSON.parse(readFileSync(file, 'utf8')); // another process wrote it first
  }
  return secrets;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function hasWorkerRole(role: AppRole): boolean {
  return role === AppRole.Worker || role === AppRole.All;
}
export function hasApiRole(role: AppRole): boolean {
  return role === AppRole.Api || role === AppRole.All;
}
