import { EndpointEntity } from '../endpoints/endpoint.entity';
import { DisableCause } from '../endpoints/endpoint.events';

/** Payloads of the platform's own events, shaped by their catalog schemas (event-types/catalog/operational/). */

export function endpointDisabledPayload(
  endpoint: EndpointEntity,
  cause: DisableCause,
  lastError: string | null,
): Record<string, unknown> {
  return {
    endpointId: endpoint.id,
    url: endpoint.url,
    health: 'DISABLED',
    reason: cause,
    detail: endpoint.disabledReason,
    disabledAt: new Date().toISOString(),
    lastError,
  };
}

export function endpointFailingPayload(
  endpoint: EndpointEntity,
  lastError: string | null,
  lastAttemptAt: Date,
): Record<string, unknown> {
  return {
    endpointId: endpoint.id,
    url: endpoint.url,
    health: 'FAILING',
    failingSince: endpoint.firstFailureAt?.toISOString() ?? null,
    disableAt: endpoint.disableAt?.toISOString() ?? null,
    consecutiveFailures: endpoint.consecutiveFailures,
    lastError,
    lastAttemptAt: lastAttemptAt.toISOString(),
  };
}

export function deadLetteredPayload(d: {
  deliveryId: string;
  endpointId: string;
  url: string;
  eventId: string;
  eventType: string;
  attempts: number;
  lastError: string | null;
  lastResponseStatus: number | null;
}): Record<string, unknown> {
  return { ...d, deadLetteredAt: new Date().toISOString() };
}
