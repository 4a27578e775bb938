import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { addCounts, SecretTable } from '../common/crypto/secret-reencryption';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EndpointSecretTable } from '../endpoints/endpoint-secret-table';
import { IntegrationSecretTable } from '../integrations/integration-secret-table';
import { TrackedJobEntity } from '../tracked-jobs/tracked-job.entity';
import { TrackedJobContext, TrackedJobsService } from '../tracked-jobs/tracked-jobs.service';
import { ReencryptionIncompleteError } from './key-rotation.errors';

export const SECRETS_REENCRYPT_JOB = 'secrets.reencrypt';
/**
 * The key ring is the platform's, not a tenant's: the job's row is kept under this tenant id, which no credential
 * has (tenant ids of real tenants are UUIDs), so no tenant can see or cancel it.
 */
export const PLATFORM_TENANT_ID = 'platform';
const BATCH_ROWS = 200;

/** What a finished run reports (the tracked job's result). */
export interface ReencryptionResult extends Record<string, unknown> {
  currentKeyId: string;
  resealed: Record<string, number>;
}

/**
 * `secrets:reencrypt` as a tracked job: walks every table that stores secrets (each module's SecretTable) and
 * reseals what is not under the current key. Resumable by construction: the work is "rows not on the current key",
 * read from Postgres each time, so a rerun after a crash does only what is left, and resumes the crashed job's row
 * (its progress carried on). Fails, naming the key ids, when secrets remain that it could not move.
 */
@Injectable()
export class SecretsReencryptJob implements OnModuleInit {
  private readonly tables: SecretTable[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly trackedJobs: TrackedJobsService,
    endpoints: EndpointSecretTable,
    integrations: IntegrationSecretTable,
  ) {
    this.tables = [endpoints, integrations];
  }

  onModuleInit(): void {
    this.trackedJobs.registerHandler(SECRETS_REENCRYPT_JOB, (ctx) => this.reencrypt(ctx));
  }

  /** The unfinished job of an interrupted run, or a new one. */
  async startOrResume(): Promise<{ job: TrackedJobEntity; resumed: boolean }> {
    const unfinished = await this.trackedJobs.findUnfinished(PLATFORM_TENANT_ID, SECRETS_REENCRYPT_JOB);
    if (unfinished) return { job: unfinished, resumed: true };
    const job = await this.trackedJobs.create(PLATFORM_TENANT_ID, SECRETS_REENCRYPT_JOB, {
      currentKeyId: this.currentKeyId(),
    });
    return { job, resumed: false };
  }

  /** Runs the job in this process (the CLI); a worker runs the same handler for a queued one. */
  async run(jobId: string): Promise<TrackedJobEntity> {
    await this.trackedJobs.run(jobId);
    return this.trackedJobs.find(PLATFORM_TENANT_ID, jobId);
  }

  find(jobId: string): Promise<TrackedJobEntity> {
    return this.trackedJobs.find(PLATFORM_TENANT_ID, jobId);
  }

  private currentKeyId(): string {
    return this.config.secretKeys[0].id;
  }

  private async reencrypt(ctx: TrackedJobContext): Promise<ReencryptionResult> {
    let pending = 0;
    for (const table of this.tables) pending += await table.pendingRows();
    let done = ctx.job.progress; // rows an interrupted run already moved stay counted
    await ctx.progress(done, done + pending);
    const resealed: Record<string, number> = {};
    for (const table of this.tables) {
      resealed[table.table] = 0;
      for (let after: string | null = null; ;) {
        const batch = await table.reencryptBatch(after, BATCH_ROWS);
        if (batch.lastId === null) break;
        after = batch.lastId;
        resealed[table.table] += batch.resealed;
        done += batch.scanned;
        await ctx.progress(done);
      }
    }
    const remaining: Record<string, number> = {};
    for (const table of this.tables) addCounts(remaining, await table.pendingByKeyId());
    const incomplete = incompleteness(
      remaining,
      this.config.secretKeys.map((k) => k.id),
    );
    if (incomplete) throw incomplete;
    return { currentKeyId: this.currentKeyId(), resealed };
  }
}

/**
 * What is left after a pass, by key id, told apart: ids not in the ring (those secrets cannot be opened) and ids in
 * it (rewritten under an old key while the job ran). Null when nothing is left.
 */
export function incompleteness(
  remaining: Record<string, number>,
  ringIds: readonly string[],
): ReencryptionIncompleteError | null {
  const entries = Object.entries(remaining).filter(([, n]) => n > 0);
  if (entries.length === 0) return null;
  const ring = new Set(ringIds);
  return new ReencryptionIncompleteError(
    Object.fromEntries(entries.filter(([id]) => !ring.has(id))),
    Object.fromEntries(entries.filter(([id]) => ring.has(id))),
  );
}
