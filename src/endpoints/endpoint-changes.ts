import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { UpdateEndpointInput } from './dto/update-endpoint.input';
import { EndpointEntity } from './endpoint.entity';
import { checkDescription, checkRateLimit, normalizeHeaders, normalizeList, normalizeMetadata } from './endpoint-rules';

type EndpointPatch = QueryDeepPartialEntity<EndpointEntity>;

/** Only the fields present in the input; null clears (or empties the lists). */
export function updateValues(
  current: EndpointEntity,
  input: UpdateEndpointInput,
  url: string | undefined,
  channels: string[] | undefined,
): Partial<EndpointEntity> {
  const patch: Partial<EndpointEntity> = {};
  const { description, eventTypes, rateLimitPerSecond, headers, metadata } = input;
  if (url !== undefined && url !== current.url) Object.assign(patch, { url, verifiedAt: null });
  if (description !== undefined) patch.description = description === null ? null : checkDescription(description);
  if (eventTypes !== undefined) {
    patch.eventTypes = normalizeList('eventTypes', eventTypes ?? []);
  }
  if (channels !== undefined) patch.channels = channels;
  if (rateLimitPerSecond !== undefined) {
    patch.rateLimitPerSecond = rateLimitPerSecond === null ? null : checkRateLimit(rateLimitPerSecond);
  }
  if (headers !== undefined) patch.headers = headers === null ? null : normalizeHeaders(headers);
  if (metadata !== undefined) patch.metadata = metadata === null ? null : normalizeMetadata(metadata);
  return patch;
}

/** What the audit log keeps of a change: header names and metadata keys only (values may be credentials). */
export function auditFields(values: Partial<EndpointEntity> | EndpointPatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (key === 'headers') out.headerNames = value === null ? null : Object.keys(value as object);
    else if (key === 'metadata') out.metadataKeys = value === null ? null : Object.keys(value as object);
    else out[key] = value;
  }
  return out;
}
