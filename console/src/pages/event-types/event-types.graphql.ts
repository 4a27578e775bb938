/** The catalog's GraphQL documents (schema.gql: eventTypes and the tenant catalog mutations). */
const FIELDS = 'name description groupName source deprecated archived schema samplePayload createdAt updatedAt';

export const EVENT_TYPES = `query EventTypes($includeArchived: Boolean) { eventTypes(includeArchived: $includeArchived) { ${FIELDS} } }`;

export const CREATE_EVENT_TYPE = `mutation CreateEventType($input: CreateEventTypeInput!) { createEventType(input: $input) { ${FIELDS} } }`;

export const UPDATE_EVENT_TYPE = `mutation UpdateEventType($name: String!, $input: UpdateEventTypeInput!) { updateEventType(name: $name, input: $input) { ${FIELDS} } }`;

export const ARCHIVE_EVENT_TYPE = `mutation ArchiveEventType($name: String!) { archiveEventType(name: $name) { ${FIELDS} } }`;

export const UNARCHIVE_EVENT_TYPE = `mutation UnarchiveEventType($name: String!) { unarchiveEventType(name: $name) { ${FIELDS} } }`;

export const IMPORT_EVENT_TYPES = `mutation ImportEventTypes($input: ImportEventTypesInput!) { importEventTypes(input: $input) { created updated unchanged } }`;

export type EventTypeSource = 'BUILT_IN' | 'OPERATIONAL' | 'TENANT';

export interface EventTypeView {
  name: string;
  description: string;
  groupName: string | null;
  source: EventTypeSource;
  deprecated: boolean;
  archived: boolean;
  schema: unknown;
  samplePayload: unknown;
  createdAt: string | null;
  updatedAt: string | null;
}

/** The largest JSON text a form field takes (the API bounds it too; this keeps the page from parsing megabytes). */
export const MAX_JSON_TEXT = 256 * 1024;

/** A JSON form field: empty is "not given", otherwise it must parse. */
export function parseJsonField(text: string, label: string): { value?: unknown; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  if (trimmed.length > MAX_JSON_TEXT) return { error: `${label}: at most ${MAX_JSON_TEXT} characters` };
  try {
    return { value: JSON.parse(trimmed) as unknown };
  } catch (e) {
    return { error: `${label} is not valid JSON: ${(e as Error).message}` };
  }
}
