import safeRegex from 'safe-regex';
import { EventTypeSchemaTooLargeError, InvalidEventTypeSchemaError, RemoteSchemaRefError } from './event-types.errors';

/** A tenant schema, as JSON text, may not be larger than this. */
export const MAX_SCHEMA_BYTES = 64 * 1024;

const REF_KEYWORDS = ['$ref', '$dynamicRef'];
/** Keywords whose value is a regular expression Ajv would compile and run on every publish. */
const PATTERN_KEYWORD = 'pattern';
const PATTERN_MAP_KEYWORD = 'patternProperties';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pointer(segments: readonly string[]): string {
  return segments.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * What a tenant's schema must be before Ajv sees it: an object of at most 64 KiB, whose refs stay inside the
 * document (a remote one would make the service fetch a URL: SSRF), without `$id` (one tenant's id would collide
 * with another's in the shared compiler), and whose regular expressions cannot backtrack exponentially (each
 * publish runs them). Throws the named error with the JSON pointer of the fault.
 */
export function checkSchemaShape(schema: unknown, field: string): asserts schema is Record<string, unknown> {
  if (!isObject(schema)) throw new InvalidEventTypeSchemaError(field, '', 'must be a JSON Schema object');
  const size = Buffer.byteLength(JSON.stringify(schema));
  if (size > MAX_SCHEMA_BYTES) throw new EventTypeSchemaTooLargeError(field, size, MAX_SCHEMA_BYTES);
  const stack: { node: unknown; path: string[] }[] = [{ node: schema, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: string[] };
    if (Array.isArray(node)) {
      node.forEach((child, i) => stack.push({ node: child, path: [...path, String(i)] }));
      continue;
    }
    if (!isObject(node)) continue;
    for (const [key, value] of Object.entries(node)) {
      const at = [...path, key];
      if (REF_KEYWORDS.includes(key) && typeof value === 'string' && !value.startsWith('#')) {
        throw new RemoteSchemaRefError(field, pointer(at), value);
      }
      if (key === '$id') throw new InvalidEventTypeSchemaError(field, pointer(at), '$id is not allowed');
      if (key === PATTERN_KEYWORD && typeof value === 'string') checkPattern(field, at, value);
      if (key === PATTERN_MAP_KEYWORD && isObject(value)) {
        for (const pattern of Object.keys(value)) checkPattern(field, [...at, pattern], pattern);
      }
      stack.push({ node: value, path: at });
    }
  }
}

function checkPattern(field: string, path: string[], pattern: string): void {
  if (!safeRegex(pattern)) {
    throw new InvalidEventTypeSchemaError(field, pointer(path), 'pattern may backtrack exponentially');
  }
}
