import { DELIVERY_ROW_FIELDS, ENDPOINT_FIELDS } from '../../graphql/models';

const STATS = 'total succeeded failed pending held successRate avgResponseTimeMs p95ResponseTimeMs';

export const ENDPOINT = `
  query ConsoleEndpoint($id: ID!) {
    endpoint(id: $id) {
      ${ENDPOINT_FIELDS}
      filters { id eventType filter reducer updatedAt }
    }
  }`;

export const STATS_QUERY = `
  query ConsoleStats($endpointId: ID!, $since: DateTime, $until: DateTime) {
    deliveryStats(endpointId: $endpointId, since: $since, until: $until) { ${STATS} }
  }`;

export const SERIES = `
  query ConsoleSeries($endpointId: ID!, $bucket: TimeBucket, $from: DateTime!, $to: DateTime!) {
    responseTimeSeries(endpointId: $endpointId, bucket: $bucket, from: $from, to: $to) {
      bucketStart attempts successCount failureCount avgResponseTimeMs p95ResponseTimeMs
    }
  }`;

export const DELIVERIES = `
  query ConsoleDeliveries($first: Int, $after: String, $filter: DeliveryFilter) {
    deliveries(first: $first, after: $after, filter: $filter) {
      pageInfo { endCursor hasNextPage }
      edges { cursor node { ${DELIVERY_ROW_FIELDS} } }
    }
  }`;

export const DELIVERY_UPDATED = `
  subscription ConsoleDeliveryUpdated($endpointId: ID) {
    deliveryUpdated(endpointId: $endpointId) { ${DELIVERY_ROW_FIELDS} }
  }`;

export const UPDATE_ENDPOINT = `
  mutation ConsoleUpdateEndpoint($id: ID!, $input: UpdateEndpointInput!) {
    updateEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} }
  }`;

export const TOGGLE_ENDPOINT = `mutation ConsoleToggleEndpoint($id: ID!) { toggleEndpoint(id: $id) { ${ENDPOINT_FIELDS} } }`;

export const ROTATE_SECRET = `
  mutation ConsoleRotateSecret($id: ID!) {
    rotateEndpointSecret(id: $id) { secret previousSecretExpiresAt endpoint { id } }
  }`;

export const DELETE_ENDPOINT = `mutation ConsoleDeleteEndpoint($id: ID!) { deleteEndpoint(id: $id) { id deletedAt } }`;

export const VERIFY_ENDPOINT = `mutation ConsoleVerifyEndpoint($id: ID!) { verifyEndpoint(id: $id) { verified reason } }`;

export const SEND_TEST = `
  mutation ConsoleSendTest($endpointId: ID!, $eventType: String) {
    sendTestDelivery(endpointId: $endpointId, eventType: $eventType) { id status }
  }`;

export const EVENT_TYPES = `query ConsoleEventTypeNames { eventTypes { name } }`;

export const EVENT_TYPE_SAMPLE = `query ConsoleEventTypeSample($name: String!) { eventType(name: $name) { name samplePayload } }`;

export const VALIDATE_FILTER = `
  query ConsoleValidateFilter($input: ValidateFilterInput!) {
    validateFilter(input: $input) { success filterResult message }
  }`;

export const VALIDATE_REDUCER = `
  query ConsoleValidateReducer($input: ValidateReducerInput!) {
    validateReducer(input: $input) { success reducerResult message }
  }`;

export const SAVE_FILTER_REDUCER = `
  mutation ConsoleSaveFilterReducer($endpointId: ID!, $input: SaveFilterReducerInput!) {
    saveFilterReducer(endpointId: $endpointId, input: $input) { id eventType filter reducer updatedAt }
  }`;

export const DELETE_FILTER_REDUCER = `
  mutation ConsoleDeleteFilterReducer($endpointId: ID!, $eventType: String!) {
    deleteFilterReducer(endpointId: $endpointId, eventType: $eventType)
  }`;

export interface Stats {
  total: number;
  succeeded: number;
  failed: number;
  pending: number;
  held: number;
  successRate: number | null;
  avgResponseTimeMs: number | null;
  p95ResponseTimeMs: number | null;
}

export interface FilterConfig {
  id: string;
  eventType: string;
  filter: unknown;
  reducer: unknown;
  updatedAt: string;
}

export interface SeriesPoint {
  bucketStart: string;
  attempts: number;
  successCount: number;
  failureCount: number;
  avgResponseTimeMs: number | null;
  p95ResponseTimeMs: number | null;
}
