/** What one purge removed, and in how many statements (each its own short transaction). */
export interface PurgeResult {
  deleted: number;
  statements: number;
}

/** Where one tenant's purge stops: its rows from before this moment may go. */
export interface TenantCutoff {
  tenantId: string;
  before: Date;
}

/** A page of cut-offs as a relation `c(tenant_id, before)` in SQL, bound as $1 and $2 by `cutoffParams`. */
export const CUTOFFS_SQL = 'unnest($1::text[], $2::timestamptz[]) AS c(tenant_id, before)';

export function cutoffParams(cutoffs: TenantCutoff[]): [string[], Date[]] {
  return [cutoffs.map((c) => c.tenantId), cutoffs.map((c) => c.before)];
}

/** The cut-offs of the tenants a "which of these have anything due" query named, in their order. */
export function onlyDue(cutoffs: TenantCutoff[], rows: { tenant_id: string }[]): TenantCutoff[] {
  const due = new Set(rows.map((r) => r.tenant_id));
  return cutoffs.filter((c) => due.has(c.tenantId));
}

/** Adds one purge's counts to a running total. */
export function addPurge(total: PurgeResult, more: PurgeResult): PurgeResult {
  total.deleted += more.deleted;
  total.statements += more.statements;
  return total;
}

/** One bounded statement of a purge: the rows it removed, and whether there may be more to look at. */
export interface PurgeBatch {
  deleted: number;
  more: boolean;
}

/**
 * Runs `batch` until it reports nothing more, each call one bounded statement, so a large backlog never holds locks
 * or a pooled connection for long. `onBatch` sees every statement as it ends (a metric can then move during a sweep).
 */
export async function purgeInBatches(
  batch: () => Promise<PurgeBatch>,
  onBatch: (deleted: number) => void = () => undefined,
): Promise<PurgeResult> {
  const result: PurgeResult = { deleted: 0, statements: 0 };
  for (;;) {
    const { deleted, more } = await batch();
    result.deleted += deleted;
    result.statements += 1;
    onBatch(deleted);
    if (!more) return result;
  }
}

/** A batch that deletes rows by a cut-off: there may be more while it still deletes something. */
export function untilEmpty(deleted: number): PurgeBatch {
  // Not `< batchSize`: another process (or a row lock skipped) can leave a batch short while rows remain.
  return { deleted, more: deleted > 0 };
}

/** The row count of a DELETE run through `DataSource.query` (TypeORM's postgres driver answers `[rows, count]`). */
export function deletedCount(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  throw new Error('expected the [rows, count] answer of a DELETE');
}
