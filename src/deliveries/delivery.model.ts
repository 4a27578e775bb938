import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, Page } from '../common/graphql/pagination';
import { JsonScalar } from '../common/graphql/scalars';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DeliveryEntity, DeliveryStatus } from './delivery.entity';
import { EventEntity } from './event.entity';

registerEnumType(DeliveryStatus, {
  name: 'DeliveryStatus',
  valuesMap: {
    HELD: {
      description: 'Kept, not attempted, while its endpoint is disabled; released when the endpoint is enabled again',
    },
  },
});

export enum TimeBucket {
  MINUTE = 'minute',
  HOUR = 'hour',
  DAY = 'day',
}
registerEnumType(TimeBucket, { name: 'TimeBucket' });

@ObjectType('DeliveryAttempt')
export class DeliveryAttempt {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  attemptNumber: number;

  @Field()
  startedAt: Date;

  @Field(() => Int, { nullable: true })
  responseStatus: number | null;

  @Field(() => Int, { nullable: true })
  responseTimeMs: number | null;

  @Field(() => String, { nullable: true, description: 'Truncated response body.' })
  responseBody: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Network error, timeout or refusal, when there was no HTTP response.',
  })
  error: string | null;
}

@ObjectType('Delivery')
export class Delivery {
  @Field(() => ID)
  id: string;

  tenantId: string;

  @Field(() => ID)
  endpointId: string;

  @Field(() => ID)
  eventId: string;

  @Field()
  eventType: string;

  @Field(() => DeliveryStatus)
  status: DeliveryStatus;

  @Field(() => Int)
  attemptCount: number;

  @Field(() => Date, { nullable: true })
  nextAttemptAt: Date | null;

  @Field(() => Int, { nullable: true })
  lastResponseStatus: number | null;

  @Field(() => Int, { nullable: true })
  lastResponseTimeMs: number | null;

  @Field(() => String, { nullable: true })
  lastError: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Set on a delivery created by replayDelivery: the delivery it replays.',
  })
  replayOfId: string | null;

  @Field()
  isTest: boolean;

  @Field(() => JsonScalar, { description: 'The JSON body sent to the endpoint (after any reducer).' })
  payload: Record<string, unknown>;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType()
export class DeliveryConnection extends Connection(Delivery, 'Delivery') {}

@ObjectType('Event')
export class Event {
  @Field(() => ID)
  id: string;

  tenantId: string;

  @Field()
  eventType: string;

  @Field(() => JsonScalar)
  payload: Record<string, unknown>;

  @Field(() => [String])
  channels: string[];

  @Field(() => String, { nullable: true })
  orderingKey: string | null;

  @Field(() => String, { nullable: true })
  idempotencyKey: string | null;

  @Field()
  createdAt: Date;
}

@ObjectType()
export class EventConnection extends Connection(Event, 'Event') {}

@ObjectType('DeliveryStats')
export class DeliveryStats {
  @Field(() => Int)
  total: number;

  @Field(() => Int)
  succeeded: number;

  @Field(() => Int, { description: 'FAILED + DEAD_LETTER' })
  failed: number;

  @Field(() => Int, { description: 'PENDING + IN_FLIGHT + RETRYING' })
  pending: number;

  @Field(() => Int, { description: 'HELD while the endpoint is disabled' })
  held: number;

  @Field(() => Float, { nullable: true, description: 'succeeded / (succeeded + failed); null when both are 0' })
  successRate: number | null;

  @Field(() => Float, { nullable: true })
  avgResponseTimeMs: number | null;

  @Field(() => Float, { nullable: true })
  p95ResponseTimeMs: number | null;
}

@ObjectType('ResponseTimePoint')
export class ResponseTimePoint {
  @Field()
  bucketStart: Date;

  @Field(() => Int)
  attempts: number;

  @Field(() => Int)
  successCount: number;

  @Field(() => Int)
  failureCount: number;

  @Field(() => Float, { nullable: true })
  avgResponseTimeMs: number | null;

  @Field(() => Float, { nullable: true })
  p95ResponseTimeMs: number | null;
}

@ObjectType('PurgeDeliveriesPayload')
export class PurgeDeliveriesPayload {
  @Field(() => Int)
  count: number;
}

export function toDeliveryModel(d: DeliveryEntity): Delivery {
  return { ...deliveryModelFields(d), payload: d.payload };
}

/**
 * A pushed Delivery whose body travels as the stored JSON text (`payloadJson`), so the worker never parses and
 * re-serialises it; the subscriber's api parses it for the subscriptions that get it (withPushedPayload).
 */
export type PushedDelivery = Omit<Delivery, 'payload'> & { payload?: Record<string, unknown>; payloadJson?: string };

export function withPushedPayload(d: PushedDelivery): Delivery {
  if (typeof d.payloadJson !== 'string') return d as Delivery;
  const { payloadJson, ...rest } = d;
  return { ...rest, payload: JSON.parse(payloadJson) as Record<string, unknown> };
}

/** Every field of the model but the payload. */
export function deliveryModelFields(d: DeliveryEntity): Omit<Delivery, 'payload'> {
  return {
    id: d.id,
    tenantId: d.tenantId,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attemptCount: d.attemptCount,
    nextAttemptAt: d.status === DeliveryStatus.PENDING || d.status === DeliveryStatus.RETRYING ? d.nextAttemptAt : null,
    lastResponseStatus: d.lastResponseStatus,
    lastResponseTimeMs: d.lastResponseTimeMs,
    lastError: d.lastError,
    replayOfId: d.replayOfId,
    isTest: d.isTest,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

export function toDeliveryAttemptModel(a: DeliveryAttemptEntity): DeliveryAttempt {
  return {
    id: a.id,
    attemptNumber: a.attemptNumber,
    startedAt: a.startedAt,
    responseStatus: a.responseStatus,
    responseTimeMs: a.responseTimeMs,
    responseBody: a.responseBody,
    error: a.error,
  };
}

export function toEventModel(e: EventEntity): Event {
  return {
    id: e.id,
    tenantId: e.tenantId,
    eventType: e.eventType,
    payload: e.payload,
    channels: e.channels,
    orderingKey: e.orderingKey,
    idempotencyKey: e.idempotencyKey,
    createdAt: e.createdAt,
  };
}

export function toEventConnection(page: Page<EventEntity>): EventConnection {
  return { ...page, edges: page.edges.map((e) => ({ node: toEventModel(e.node), cursor: e.cursor })) };
}

export function toDeliveryConnection(page: Page<DeliveryEntity>): DeliveryConnection {
  return { ...page, edges: page.edges.map((e) => ({ node: toDeliveryModel(e.node), cursor: e.cursor })) };
}
