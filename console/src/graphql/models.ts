import type { DeliveryStatus, Health } from '../components/badges';

/** The shapes the pages read, as the public schema (schema.gql) defines them. */
export interface PageInfo {
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount?: number;
}

export interface EndpointSummary {
  id: string;
  url: string;
  description: string | null;
  health: Health;
  disableAt: string | null;
  disabledReason: string | null;
  isActive: boolean;
  eventTypes: string[];
  channels: string[];
  rateLimitPerSecond: number | null;
  verifiedAt: string | null;
  createdAt: string;
}

export const ENDPOINT_FIELDS = `
  id url description health disableAt disabledReason isActive eventTypes channels rateLimitPerSecond verifiedAt createdAt
`;

export interface DeliveryRow {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attemptCount: number;
  lastResponseStatus: number | null;
  lastResponseTimeMs: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  isTest: boolean;
  replayOfId: string | null;
  createdAt: string;
  updatedAt: string;
}

export const DELIVERY_ROW_FIELDS = `
  id endpointId eventId eventType status attemptCount lastResponseStatus lastResponseTimeMs lastError nextAttemptAt
  isTest replayOfId createdAt updatedAt
`;

export const DELIVERY_STATUSES: DeliveryStatus[] = [
  'PENDING',
  'IN_FLIGHT',
  'RETRYING',
  'SUCCEEDED',
  'FAILED',
  'DEAD_LETTER',
  'HELD',
];

export const PAGE_SIZE = 20;

/** "a, b  c" → ["a", "b", "c"]: the list inputs of the forms. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}
