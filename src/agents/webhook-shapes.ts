import { z } from 'zod';
import { DeliveryAttemptEntity } from '../deliveries/delivery-attempt.entity';
import { DeliveryEntity, DeliveryStatus } from '../deliveries/delivery.entity';
import { EndpointEntity, EndpointHealth } from '../endpoints/endpoint.entity';
import { iso, isoDate } from './agent-tool';

/** The structured results the tools share: a webhook (endpoint), a delivery with its attempts. */

export const webhookShape = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(z.string()).describe('Empty: every business event type'),
  channels: z.array(z.string()).describe('Empty: every channel'),
  isActive: z.boolean(),
  health: z.enum(EndpointHealth),
  disabledReason: z.string().nullable(),
  rateLimitPerSecond: z.number().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export type Webhook = z.infer<typeof webhookShape>;

export function toWebhook(e: EndpointEntity): Webhook {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    channels: e.channels,
    isActive: e.isActive,
    health: e.health,
    disabledReason: e.disabledReason,
    rateLimitPerSecond: e.rateLimitPerSecond,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

export const attemptShape = z.object({
  attemptNumber: z.number(),
  startedAt: isoDate,
  responseStatus: z.number().nullable().describe('HTTP status the receiver answered; null when none came'),
  responseTimeMs: z.number().nullable(),
  outcome: z.enum(['success', 'failure']),
  error: z.string().nullable().describe('Why the attempt failed without an HTTP answer (timeout, refused, ...)'),
});

export const deliveryShape = z.object({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(DeliveryStatus),
  attemptCount: z.number(),
  nextAttemptAt: isoDate.nullable(),
  lastResponseStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  isTest: z.boolean(),
  replayOfId: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  attempts: z.array(attemptShape).optional().describe('Oldest first'),
});

export type DeliveryResult = z.infer<typeof deliveryShape>;

export function toDelivery(d: DeliveryEntity, attempts?: DeliveryAttemptEntity[]): DeliveryResult {
  return {
    id: d.id,
    webhookId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attemptCount: d.attemptCount,
    nextAttemptAt: iso(d.nextAttemptAt),
    lastResponseStatus: d.lastResponseStatus ?? null,
    lastError: d.lastError ?? null,
    isTest: d.isTest ?? false,
    replayOfId: d.replayOfId ?? null,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    ...(attempts ? { attempts: attempts.map(toAttempt) } : {}),
  };
}

function toAttempt(a: DeliveryAttemptEntity): z.infer<typeof attemptShape> {
  return {
    attemptNumber: a.attemptNumber,
    startedAt: a.startedAt.toISOString(),
    responseStatus: a.responseStatus ?? null,
    responseTimeMs: a.responseTimeMs ?? null,
    outcome: a.success ? 'success' : 'failure',
    error: a.error ?? null,
  };
}
