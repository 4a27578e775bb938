import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: the same value gives the same text, whatever its key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 of the canonical JSON, for the audit log (jsonb reorders keys; the hash does not change with them). */
export function schemaHash(schema: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(schema)).digest('hex')}`;
}
