import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager, In, MoreThan } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { deletedCount, purgeInBatches, PurgeResult, untilEmpty } from '../purge-batches';
import { IdempotencyKeyEntity, IdempotencyState } from './idempotency-key.entity';
import { IdempotencyInFlightError, IdempotencyKeyReusedError, InvalidIdempotencyKeyError } from './idempotency.errors';

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** An in-progress row older than this belongs to a process that died mid-work: it may be taken over. */
const ABANDONED_AFTER_MS = 5 * 60_000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const PURGE_BATCH = 5_000;

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function fingerprint(input: unknown): string {
  return createHash('sha256').update(stableStringify(input)).digest('hex');
}

export interface IdempotentCall<T> {
  tenantId: string;
  operation: string;
  key: string | null | undefined;
  /** The input that must match on a repeat (without the key itself). */
  input: unknown;
  /** Does the work inside a transaction; returns the result and a reference to store. */
  work: (manager: EntityManager) => Promise<{ result: T; ref: Record<string, unknown> }>;
  /** Rebuilds the result of a completed call from its stored reference. */
  replay: (ref: Record<string, unknown>) => Promise<T>;
}

/**
 * Same key + same input within 24 h returns the first result without doing the work again; same key with
 * other input is CONFLICT; a repeat while the first call is still running is CONFLICT with a retry hint.
 */
@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  validateKey(key: string | null | undefined, field = 'idempotencyKey'): void {
    if (key === null || key === undefined) return;
    if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
      throw new InvalidIdempotencyKeyError(field, `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    if (/[\u0000-\u001f\u007f]/.test(key))
      throw new InvalidIdempotencyKeyError(field, 'must not contain control characters');
  }

  async run<T>(call: IdempotentCall<T>): Promise<T> {
    if (call.key === null || call.key === undefined) {
      return this.dataSource.transaction(async (m) => (await call.work(m)).result);
    }
    this.validateKey(call.key);
    const print = fingerprint(call.input);
    const repo = this.dataSource.getRepository(IdempotencyKeyEntity);
    const id = { tenantId: call.tenantId, operation: call.operation, key: call.key };

    for (let attempt = 0; attempt < 3; attempt++) {
      const claimed = await repo
        .createQueryBuilder()
        .insert()
        .values({
          ...id,
          fingerprint: print,
          state: IdempotencyState.InProgress,
          result: null,
          expiresAt: new Date(Date.now() + IDEMPOTENCY_TTL_MS),
        })
        .orIgnore()
        .returning(['key'])
        .execute();
      if (claimed.raw.length > 0) return this.doWork(call, print);

      const existing = await repo.findOneBy(id);
      if (!existing) continue; // released between our insert and read: try again
      const abandoned =
        existing.state === IdempotencyState.InProgress &&
        Date.now() - existing.createdAt.getTime() > ABANDONED_AFTER_MS;
      if (existing.expiresAt.getTime() <= Date.now() || abandoned) {
        await repo.delete({ ...id, createdAt: existing.createdAt });
        continue;
      }
      if (existing.fingerprint !== print) {
        throw new IdempotencyKeyReusedError('idempotency key already used with different input', 'idempotencyKey');
      }
      if (existing.state === IdempotencyState.InProgress || !existing.result) {
        throw new IdempotencyInFlightError('a request with this idempotency key is still in flight; retry shortly');
      }
      return call.replay(existing.result);
    }
    throw new IdempotencyInFlightError('a request with this idempotency key is still in flight; retry shortly');
  }

  private async doWork<T>(call: IdempotentCall<T>, print: string): Promise<T> {
    const id = { tenantId: call.tenantId, operation: call.operation, key: call.key as string };
    try {
      return await this.dataSource.transaction(async (manager) => {
        const { result, ref } = await call.work(manager);
        await manager.update(IdempotencyKeyEntity, { ...id, fingerprint: print }, {
          state: IdempotencyState.Completed,
          result: ref,
        } as QueryDeepPartialEntity<IdempotencyKeyEntity>);
        return result;
      });
    } catch (error) {
      // The work did not commit: free the key so the caller can retry.
      await this.dataSource.getRepository(IdempotencyKeyEntity).delete({ ...id, state: IdempotencyState.InProgress });
      throw error;
    }
  }

  /**
   * For batch operations that run in one transaction: the stored reference of each item whose key was already
   * used with the same input (null for new keys or items without a key); CONFLICT when input differs or the
   * first call is still running.
   */
  async findCompletedInBatch(
    manager: EntityManager,
    tenantId: string,
    operation: string,
    items: ({ key: string; input: unknown } | null)[],
  ): Promise<(Record<string, unknown> | null)[]> {
    const keys = items.filter((i): i is { key: string; input: unknown } => !!i).map((i) => i.key);
    if (keys.length === 0) return items.map(() => null);
    const rows = await manager
      .getRepository(IdempotencyKeyEntity)
      .find({ where: { tenantId, operation, key: In(keys), expiresAt: MoreThan(new Date()) } });
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return items.map((item, index) => {
      if (!item) return null;
      const row = byKey.get(item.key);
      if (!row) return null;
      if (row.fingerprint !== fingerprint(item.input))
        throw new IdempotencyKeyReusedError(
          `idempotency key of inputs[${index}] already used with different input`,
          `inputs[${index}].idempotencyKey`,
        );
      if (row.state !== IdempotencyState.Completed || !row.result)
        throw new IdempotencyInFlightError(
          `a request with the idempotency key of inputs[${index}] is still in flight; retry shortly`,
        );
      return row.result;
    });
  }

  /** Records completed keys inside the caller's transaction; a key taken concurrently aborts the whole batch. */
  async recordInBatch(
    manager: EntityManager,
    tenantId: string,
    operation: string,
    items: { key: string; input: unknown; ref: Record<string, unknown> }[],
  ): Promise<void> {
    if (items.length === 0) return;
    await manager.query(
      'DELETE FROM idempotency_keys WHERE tenant_id = $1 AND operation = $2 AND key = ANY($3) AND expires_at <= now()',
      [tenantId, operation, items.map((i) => i.key)],
    );
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(IdempotencyKeyEntity)
      .values(
        items.map(
          (i) =>
            ({
              tenantId,
              operation,
              key: i.key,
              fingerprint: fingerprint(i.input),
              state: IdempotencyState.Completed,
              result: i.ref,
              expiresAt: new Date(Date.now() + IDEMPOTENCY_TTL_MS),
            }) as QueryDeepPartialEntity<IdempotencyKeyEntity>,
        ),
      )
      .orIgnore()
      .returning(['key'])
      .execute();
    if (inserted.raw.length !== items.length)
      throw new IdempotencyInFlightError(
        'a request with one of these idempotency keys is still in flight; retry shortly',
      );
  }

  /**
   * Deletes keys past their 24 h, at most `batchSize` rows a statement (on the expires_at index), so a large
   * backlog never holds locks or the pool for long. Run by the retention sweep.
   */
  async purgeExpired(
    now: Date = new Date(),
    batchSize = PURGE_BATCH,
    onBatch?: (deleted: number) => void,
  ): Promise<PurgeResult> {
    return purgeInBatches(async () => {
      const result: unknown = await this.dataSource.query(
        `DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM idempotency_keys WHERE expires_at < $1 LIMIT $2))`,
        [now, batchSize],
      );
      return untilEmpty(deletedCount(result));
    }, onBatch);
  }
}
