import type { DataSource } from 'typeorm';
import { SecretKeyMissingError } from './crypto.errors';
import { keyIdSql, SecretBox } from './secret-box';
import { addCounts, ReencryptionBatch, SecretTable } from './secret-reencryption';

/** The lowest uuid: keyset pagination starts after it. */
const BEFORE_ALL = '00000000-0000-0000-0000-000000000000';
const SQL_NAME = /^[a-z][a-z0-9_]*$/;

/** Which table and columns a module hands over for resealing: its own, named by the module that owns them. */
export interface ResealableColumns {
  table: string;
  /** SecretBox columns (text, nullable or not); the table also has `id uuid` and `tenant_id`. */
  columns: readonly string[];
}

/**
 * Moves the SecretBox columns of one table to the current key, for the module that owns the table. Batches go in
 * id order; each row is read, resealed in memory and written back in one statement that only applies if the row
 * still holds what was read (compare and set), so a concurrent rotation wins and nothing is ever half written.
 * A value whose key is not in the ring is left as it is and counted by key id.
 */
export class ResealableTable implements SecretTable {
  readonly table: string;
  private readonly columns: readonly string[];

  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    spec: ResealableColumns,
  ) {
    for (const name of [spec.table, ...spec.columns]) {
      if (!SQL_NAME.test(name)) throw new Error(`ResealableTable: not an SQL name: ${name}`);
    }
    if (spec.columns.length === 0) throw new Error('ResealableTable: no columns');
    this.table = spec.table;
    this.columns = spec.columns;
  }

  /** Rows with a value not under key id $1. */
  private pendingCondition(param: string): string {
    return `(${this.columns.map((c) => `${keyIdSql(c)} <> ${param}`).join(' OR ')})`;
  }

  async pendingRows(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${this.table} WHERE ${this.pendingCondition('$1')}`,
      [this.box.currentKeyId],
    );
    return row.n;
  }

  async pendingByKeyId(): Promise<Record<string, number>> {
    const union = this.columns.map((c) => `SELECT ${keyIdSql(c)} AS key_id FROM ${this.table}`).join(' UNION ALL ');
    const rows = await this.dataSource.query<{ key_id: string; n: number }[]>(
      `SELECT key_id, count(*)::int AS n FROM (${union}) v WHERE key_id <> $1 GROUP BY key_id ORDER BY key_id`,
      [this.box.currentKeyId],
    );
    return Object.fromEntries(rows.map((r) => [r.key_id, r.n]));
  }

  async reencryptBatch(afterId: string | null, limit: number): Promise<ReencryptionBatch> {
    const cols = this.columns.join(', ');
    const rows = await this.dataSource.query<Record<string, string | null>[]>(
      `SELECT id, tenant_id, ${cols} FROM ${this.table}
        WHERE id > $1::uuid AND ${this.pendingCondition('$2')} ORDER BY id LIMIT $3`,
      [afterId ?? BEFORE_ALL, this.box.currentKeyId, limit],
    );
    const batch: ReencryptionBatch = { lastId: null, scanned: rows.length, resealed: 0, missing: {} };
    for (const row of rows) {
      batch.lastId = row.id;
      const { values, missing } = this.reseal(row);
      addCounts(batch.missing, missing);
      if (await this.writeIfUnchanged(row, values)) batch.resealed += Object.keys(missing).length === 0 ? 1 : 0;
    }
    return batch;
  }

  /** Each column resealed, or kept as it is when its key is missing. */
  private reseal(row: Record<string, string | null>): { values: (string | null)[]; missing: Record<string, number> } {
    const missing: Record<string, number> = {};
    const values = this.columns.map((c) => {
      const stored = row[c];
      if (stored === null) return null;
      try {
        return this.box.reseal(stored);
      } catch (error) {
        if (!(error instanceof SecretKeyMissingError)) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new Error(`${this.table} ${row.id} ${c}: ${reason}`, { cause: error });
        }
        missing[error.keyId] = (missing[error.keyId] ?? 0) + 1;
        return stored;
      }
    });
    return { values, missing };
  }

  /** One statement; false when the row changed since it was read (it was written under the current key then). */
  private async writeIfUnchanged(row: Record<string, string | null>, values: (string | null)[]): Promise<boolean> {
    const n = this.columns.length;
    if (values.every((v, i) => v === row[this.columns[i]])) return false;
    const set = this.columns.map((c, i) => `${c} = $${i + 3}`).join(', ');
    const same = this.columns.map((c, i) => `${c} IS NOT DISTINCT FROM $${i + 3 + n}`).join(' AND ');
    const [, affected] = (await this.dataSource.query(
      `UPDATE ${this.table} SET ${set} WHERE id = $1 AND tenant_id = $2 AND ${same}`,
      [row.id, row.tenant_id, ...values, ...this.columns.map((c) => row[c])],
    )) as [unknown, number];
    return affected === 1;
  }
}
