import { DELIVERY_ROW_FIELDS, DeliveryRow } from '../../graphql/models';

export const DELIVERY = `
  query ConsoleDelivery($id: ID!) {
    delivery(id: $id) {
      ${DELIVERY_ROW_FIELDS}
      payload
      attempts { id attemptNumber startedAt responseStatus responseTimeMs responseBody error }
    }
  }`;

export const DELIVERY_CHANGED = `
  subscription ConsoleDeliveryChanged($endpointId: ID) {
    deliveryUpdated(endpointId: $endpointId) { id status updatedAt }
  }`;

export const REPLAY = `mutation ConsoleReplay($id: ID!) { replayDelivery(id: $id) { id status } }`;

export interface Attempt {
  id: string;
  attemptNumber: number;
  startedAt: string;
  responseStatus: number | null;
  responseTimeMs: number | null;
  responseBody: string | null;
  error: string | null;
}

export type DeliveryDetail = DeliveryRow & { payload: unknown; attempts: Attempt[] };
