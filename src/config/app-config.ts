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

export enum AppRole {
  Api = 'api',
  Worker = 'worker',
  All = 'all',
}

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

  /** How often expired idempotency keys (24 h) are deleted, in bounded batches. */
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  IDEMPOTENCY_PURGE_INTERVAL_MS = 3_600_000;

  /** Attempts are I/O-bound: many in flight per process, and larger claim/record batches in Postgres. */
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_CONCURRENCY = 200;

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

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  databaseUrl: string;
  redisUrl: string;
  role: AppRole;
  jwtSecret: string;
  encryptionKey: string;
  retryScheduleMs: number[];
  deliveryTimeoutMs: number;
  allowPrivateTargets: boolean;
  migrationsRun: boolean;
  queuePrefix: string;
  workerConcurrency: number;
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
  idempotencyPurgeIntervalMs: number;
  /** OTEL_EXPORTER_OTLP_ENDPOINT; null: tracing off. */
  otlpEndpoint: string | null;
  otelServiceName: string;
}

export class ConfigError extends Error {}

const NUMERIC = [
  'PORT',
  'DELIVERY_TIMEOUT_MS',
  'WORKER_CONCURRENCY',
  'ENDPOINT_CONCURRENCY',
  'TENANT_CONCURRENCY',
  'MAX_ENDPOINTS_PER_TENANT',
  'RECONCILE_INTERVAL_MS',
  'DELIVERY_LEASE_GRACE_MS',
  'WS_MAX_SUBSCRIPTIONS_PER_SOCKET',
  'WS_MAX_SOCKETS_PER_CREDENTIAL',
  'WS_CONNECTION_INIT_TIMEOUT_MS',
  'JWT_MAX_LIFETIME_SECONDS',
  'IDEMPOTENCY_PURGE_INTERVAL_MS',
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

  const production = env.NODE_ENV === 'production';
  const dataDir = resolve(env.DATA_DIR);
  let jwtSecret = env.AUTH_JWT_SECRET;
  let encryptionKey = env.SECRETS_ENCRYPTION_KEY;
  if (production) {
    if (!jwtSecret)
      throw new ConfigError('Missing environment variable AUTH_JWT_SECRET (required when NODE_ENV=production)');
    if (!encryptionKey)
      throw new ConfigError('Missing environment variable SECRETS_ENCRYPTION_KEY (required when NODE_ENV=production)');
  } else if (!jwtSecret || !encryptionKey) {
    const dev = developmentSecrets(dataDir);
    jwtSecret ??= dev.AUTH_JWT_SECRET;
    encryptionKey ??= dev.SECRETS_ENCRYPTION_KEY;
  }

  return {
    env: env.NODE_ENV as AppConfig['env'],
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    role: env.APP_ROLE,
    jwtSecret: jwtSecret as string,
    encryptionKey: encryptionKey as string,
    retryScheduleMs,
    deliveryTimeoutMs: env.DELIVERY_TIMEOUT_MS,
    allowPrivateTargets: env.ALLOW_PRIVATE_TARGETS,
    migrationsRun: env.MIGRATIONS_RUN,
    queuePrefix: env.QUEUE_PREFIX,
    workerConcurrency: env.WORKER_CONCURRENCY,
    endpointConcurrency: env.ENDPOINT_CONCURRENCY,
    tenantConcurrency: env.TENANT_CONCURRENCY,
    maxEndpointsPerTenant: env.MAX_ENDPOINTS_PER_TENANT,
    reconcileIntervalMs: env.RECONCILE_INTERVAL_MS,
    idempotencyPurgeIntervalMs: env.IDEMPOTENCY_PURGE_INTERVAL_MS,
    leaseGraceMs: env.DELIVERY_LEASE_GRACE_MS,
    logLevel: env.LOG_LEVEL as AppConfig['logLevel'],
    dataDir,
    wsMaxSubscriptionsPerSocket: env.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
    wsMaxSocketsPerCredential: env.WS_MAX_SOCKETS_PER_CREDENTIAL,
    wsConnectionInitTimeoutMs: env.WS_CONNECTION_INIT_TIMEOUT_MS,
    jwtMaxLifetimeSeconds: env.JWT_MAX_LIFETIME_SECONDS,
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
