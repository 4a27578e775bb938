import {
  DescriptionTooLongError,
  InvalidHeadersError,
  InvalidListError,
  InvalidMetadataError,
  InvalidRateLimitError,
} from './endpoints.errors';

export const MAX_LIST_ENTRIES = 100;
export const MAX_LIST_ENTRY_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 500;
export const MAX_HEADERS = 20;
export const MAX_HEADER_VALUE_BYTES = 1024;
export const MAX_METADATA_BYTES = 8 * 1024;
export const MIN_RATE_LIMIT = 1;
export const MAX_RATE_LIMIT = 10_000;

export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
/** RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MAX_HEADER_NAME_LENGTH = 256;
/** Visible ASCII and space: no CR/LF (header injection) and nothing undici would refuse at send time. */
const HEADER_VALUE = /^[\u0020-\u007e]*$/;
/**
 * Framing and hop-by-hop headers belong to the HTTP client; signature headers to the platform. So do the headers that
 * describe the body: the body is always uncompressed JSON, and a Content-Encoding: gzip would make receivers misread it.
 */
const RESERVED_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'expect',
  'content-length',
  'content-type',
  'content-encoding',
  'content-range',
]);
const RESERVED_HEADER_PREFIXES = ['proxy-', 'webhook-', 'svix-'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** Non-empty strings of at most 200 characters without control characters, at most 100, duplicates dropped (first kept). */
export function normalizeList(field: string, values: readonly unknown[]): string[] {
  if (!Array.isArray(values)) throw new InvalidListError(field, 'must be a list of strings');
  if (values.length > MAX_LIST_ENTRIES)
    throw new InvalidListError(field, `must have at most ${MAX_LIST_ENTRIES} entries`);
  for (const value of values) {
    if (typeof value !== 'string' || value.length === 0)
      throw new InvalidListError(field, 'entries must be non-empty strings');
    if (value.length > MAX_LIST_ENTRY_LENGTH)
      throw new InvalidListError(field, `entries must be at most ${MAX_LIST_ENTRY_LENGTH} characters`);
    if (CONTROL_CHARS.test(value)) throw new InvalidListError(field, 'entries must not contain control characters');
  }
  return [...new Set(values as string[])];
}

export function checkHeaderName(name: string): string | null {
  if (name.length === 0 || name.length > MAX_HEADER_NAME_LENGTH || !HEADER_NAME.test(name))
    return `"${name.slice(0, 50)}" is not a valid HTTP header name`;
  const lower = name.toLowerCase();
  if (RESERVED_HEADERS.has(lower)) return `${name} is set by the platform and cannot be overridden`;
  if (RESERVED_HEADER_PREFIXES.some((prefix) => lower.startsWith(prefix)))
    return `${name} is reserved (${RESERVED_HEADER_PREFIXES.join('*, ')}* headers cannot be set)`;
  return null;
}

/** An object of at most 20 header names (HTTP tokens, not reserved, unique ignoring case) to printable values of at most 1 KiB. */
export function normalizeHeaders(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) throw new InvalidHeadersError('must be an object of header names to string values');
  const entries = Object.entries(value);
  if (entries.length > MAX_HEADERS) throw new InvalidHeadersError(`must have at most ${MAX_HEADERS} entries`);
  const seen = new Set<string>();
  const out: Record<string, string> = {};
  for (const [name, v] of entries) {
    const refusal = checkHeaderName(name);
    if (refusal) throw new InvalidHeadersError(refusal, name.slice(0, 50));
    if (seen.has(name.toLowerCase()))
      throw new InvalidHeadersError(`${name} is given twice (header names ignore case)`, name);
    seen.add(name.toLowerCase());
    if (typeof v !== 'string') throw new InvalidHeadersError(`the value of ${name} must be a string`, name);
    if (!HEADER_VALUE.test(v))
      throw new InvalidHeadersError(
        `the value of ${name} must be printable ASCII, without CR, LF or other control characters`,
        name,
      );
    if (v.length > MAX_HEADER_VALUE_BYTES)
      throw new InvalidHeadersError(`the value of ${name} must be at most ${MAX_HEADER_VALUE_BYTES} bytes`, name);
    out[name] = v;
  }
  return out;
}

/** A JSON object of at most 8 KiB once serialised. */
export function normalizeMetadata(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw new InvalidMetadataError('must be a JSON object');
  const size = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (size > MAX_METADATA_BYTES)
    throw new InvalidMetadataError(`must be at most ${MAX_METADATA_BYTES} bytes as JSON (got ${size})`);
  return value;
}

export function checkDescription(value: string): string {
  if (value.length > MAX_DESCRIPTION_LENGTH) throw new DescriptionTooLongError(MAX_DESCRIPTION_LENGTH);
  return value;
}

export function checkRateLimit(value: number): number {
  if (!Number.isInteger(value) || value < MIN_RATE_LIMIT || value > MAX_RATE_LIMIT) {
    throw new InvalidRateLimitError(MIN_RATE_LIMIT, MAX_RATE_LIMIT);
  }
  return value;
}
