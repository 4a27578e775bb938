/**
 * The port by which each module that stores secrets moves them to the current key (`secrets:reencrypt`): the module
 * owns its table and its SQL; the job only walks the tables. Every method works from what the rows hold now, so a
 * run interrupted anywhere is finished by the next one, and a row written meanwhile is already on the current key.
 */
export interface ReencryptionBatch {
  /** The last row id looked at (the next batch starts after it); null when there was none: the table is done. */
  lastId: string | null;
  /** Rows looked at in this batch: resealed, skipped because their key is missing, or changed meanwhile. */
  scanned: number;
  /** Rows whose every secret is now under the current key. */
  resealed: number;
  /** Secret values that could not be opened, by the key id they carry (not in the ring). */
  missing: Record<string, number>;
}

export interface SecretTable {
  /** A name for progress and errors, e.g. `endpoints`. */
  readonly table: string;
  /** Rows holding at least one secret not under the current key. */
  pendingRows(): Promise<number>;
  /** Secret values not under the current key, by key id. */
  pendingByKeyId(): Promise<Record<string, number>>;
  /** Reseals the next `limit` pending rows after `afterId` (keyset order by id), each row in one statement. */
  reencryptBatch(afterId: string | null, limit: number): Promise<ReencryptionBatch>;
}

export function addCounts(into: Record<string, number>, from: Record<string, number>): Record<string, number> {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
  return into;
}
