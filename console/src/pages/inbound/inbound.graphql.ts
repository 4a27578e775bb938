/** The inbound pages' GraphQL documents (schema.gql: integrations, inboundEvents and their operations). */
export const INTEGRATIONS = `query Integrations { integrations { id name provider isActive inboundPath createdAt } }`;

export const INTEGRATION = `query Integration($id: ID!) {
  integration(id: $id) { id name provider isActive inboundPath createdAt updatedAt }
  inboundEventStats(integrationId: $id) { total pending processing processed failed skipped }
}`;

export const INBOUND_EVENTS = `query InboundEvents($filter: InboundEventFilter!, $orderBy: InboundEventOrder, $first: Int, $after: String) {
  inboundEvents(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    edges { cursor node { id eventCode externalId status attempts lastError receivedAt processedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const INBOUND_EVENT = `query InboundEvent($id: ID!) {
  inboundEvent(id: $id) { id eventCode externalId status attempts lastError jsonData headers receivedAt processedAt producedEventId }
}`;

export const INBOUND_EVENT_UPDATED = `subscription InboundEventUpdated($id: ID!) { inboundEventUpdated(integrationId: $id) { id status } }`;

export const PROCESS_PENDING = `mutation ProcessPending($id: ID!) { processPendingInboundEvents(integrationId: $id) { processed failed skipped } }`;
export const RETRY_FAILED = `mutation RetryFailed($id: ID!) { retryFailedInboundEvents(integrationId: $id) { processed failed skipped } }`;
export const PROCESS_ONE = `mutation ProcessOne($id: ID!) { processInboundEvent(id: $id) { id status attempts lastError processedAt } }`;
export const REPROCESS_ONE = `mutation ReprocessOne($id: ID!) { reprocessInboundEvent(id: $id) { id status attempts lastError processedAt } }`;

export const BULK_REPROCESS = `mutation BulkReprocess($input: BulkReprocessInboundInput!) {
  bulkReprocessInboundEvents(input: $input) { affected trackedJob { id status progress total } }
}`;
export const BULK_DELETE = `mutation BulkDelete($input: BulkDeleteInboundInput!) { bulkDeleteInboundEvents(input: $input) { deleted } }`;
export const DELETE_ALL = `mutation DeleteAll($id: ID!, $confirmation: String!, $dryRun: Boolean!) {
  deleteAllInboundEvents(integrationId: $id, confirmation: $confirmation, dryRun: $dryRun) { deleted }
}`;

export const PROVIDER_SUBSCRIPTIONS = `query ProviderSubscriptions($id: ID!) { providerSubscriptions(integrationId: $id) { eventCode description subscribed updatedAt } }`;
export const ENABLE_SUBSCRIPTION = `mutation EnableSubscription($id: ID!, $code: String!) { enableProviderSubscription(integrationId: $id, eventCode: $code) { eventCode subscribed updatedAt } }`;
export const DISABLE_SUBSCRIPTION = `mutation DisableSubscription($id: ID!, $code: String!) { disableProviderSubscription(integrationId: $id, eventCode: $code) { eventCode subscribed updatedAt } }`;
export const ENABLE_ALL = `mutation EnableAll($id: ID!) { enableAllProviderSubscriptions(integrationId: $id) { id status progress total } }`;

const JOB_FIELDS = 'id type status progress total result error finishedAt';
export const TRACKED_JOB = `query TrackedJob($id: ID!) { trackedJob(id: $id) { ${JOB_FIELDS} } }`;
export const TRACKED_JOB_UPDATED = `subscription TrackedJobUpdated($id: ID!) { trackedJobUpdated(id: $id) { ${JOB_FIELDS} } }`;

export const STATUSES = ['PENDING', 'PROCESSING', 'PROCESSED', 'FAILED', 'SKIPPED'] as const;
export type InboundStatus = (typeof STATUSES)[number];
export const SORT_FIELDS = ['RECEIVED_AT', 'PROCESSED_AT', 'STATUS', 'EVENT_CODE', 'ATTEMPTS'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export type SortDirection = 'ASC' | 'DESC';

/** The confirmation word the API requires for deletions. */
export const DELETE_WORD = 'YES';

export interface IntegrationView {
  id: string;
  name: string;
  provider: string;
  isActive: boolean;
  inboundPath: string;
  createdAt: string;
  updatedAt?: string;
}

export interface InboundStats {
  total: number;
  pending: number;
  processing: number;
  processed: number;
  failed: number;
  skipped: number;
}

export interface InboundRow {
  id: string;
  eventCode: string;
  externalId: string | null;
  status: InboundStatus;
  attempts: number;
  lastError: string | null;
  receivedAt: string;
  processedAt: string | null;
}

export interface InboundEventFull extends InboundRow {
  jsonData: unknown;
  headers: unknown;
  producedEventId: string | null;
}

export interface EventFilter {
  integrationId: string;
  status?: InboundStatus[];
  eventCode?: string;
  receivedAfter?: string;
  receivedBefore?: string;
}

export interface TrackedJobView {
  id: string;
  type?: string;
  status: 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  progress: number;
  total: number | null;
  result?: unknown;
  error?: string | null;
}

export interface ProcessCounts {
  processed: number;
  failed: number;
  skipped: number;
}
