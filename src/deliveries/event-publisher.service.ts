import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { channelScope, Principal } from '../auth/principal';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { EndpointsService } from '../endpoints/endpoints.service';
import { UnknownEventTypeError } from '../event-types/event-types.errors';
import { EventTypesService } from '../event-types/event-types.service';
import { TEST_EVENT_TYPE } from '../event-types/platform-event-types';
import { EndpointFiltersOutTypeError, InvalidBatchError, InvalidPayloadError } from './deliveries.errors';
import { findEventOf } from './delivery-lookups';
import { DeliveryEntity } from './delivery.entity';
import { EventEntity } from './event.entity';
import { FanoutService, NewEvent } from './fanout.service';
import { SpanName, TraceAttribute, withSpan } from '../common/telemetry/tracing';

export const MAX_BATCH = 100;
export const MAX_PAYLOAD_BYTES = 256 * 1024;
const MAX_PAYLOAD_DEPTH = 32;
const OPERATION = 'publishEvent';

export interface PublishInput {
  eventType: string;
  payload: unknown;
  channels?: string[] | null;
  orderingKey?: string | null;
  idempotencyKey?: string | null;
}

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_PAYLOAD_DEPTH) return depth;
  const children = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : null;
  if (!children) return depth;
  return children.reduce<number>((max, v) => Math.max(max, depthOf(v, depth + 1)), depth + 1);
}

/** What an idempotency record compares: the event as published, without its key. */
function withoutKey(event: NewEvent): Record<string, unknown> {
  return { ...event, idempotencyKey: undefined };
}

/**
 * Publishes events: checks them as a user publishes them, stores them with their deliveries (FanoutService) once
 * per idempotency key, and queues the deliveries after the commit. Also sends an endpoint its test delivery.
 */
@Injectable()
export class EventPublisher {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly fanout: FanoutService,
    private readonly endpoints: EndpointsService,
    private readonly eventTypes: EventTypesService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
  ) {}

  /** `hookline.publish` spans parent the event spans of the fan-out (publish-tracing.ts). */
  publish(principal: Principal, input: PublishInput, headerKey?: string): Promise<EventEntity> {
    const attributes = { [TraceAttribute.TenantId]: principal.tenantId, [TraceAttribute.EventCount]: 1 };
    return withSpan(SpanName.Publish, attributes, () => this.publishOne(principal, input, headerKey));
  }

  private async publishOne(principal: Principal, input: PublishInput, headerKey?: string): Promise<EventEntity> {
    const key = input.idempotencyKey ?? headerKey ?? null;
    this.idempotency.validateKey(key);
    const event = await this.toNewEvent(principal.tenantId, { ...input, idempotencyKey: key });
    if (key === null) {
      // No transaction needed: fan-out reads, then stores the event and its deliveries in one atomic statement.
      const result = await this.fanout.store(this.dataSource.manager, principal.tenantId, [event]);
      await this.fanout.dispatch(result.deliveries);
      return result.events[0];
    }
    let deliveries: DeliveryEntity[] = [];
    const stored = await this.idempotency.run({
      tenantId: principal.tenantId,
      operation: OPERATION,
      key,
      input: withoutKey(event),
      work: async (manager) => {
        const result = await this.fanout.store(manager, principal.tenantId, [event]);
        deliveries = result.deliveries;
        return { result: result.events[0], ref: { eventId: result.events[0].id } };
      },
      replay: async (ref) => findEventOf(this.dataSource.manager, principal.tenantId, String(ref.eventId)),
    });
    await this.fanout.dispatch(deliveries);
    return stored;
  }

  /** Up to 100 events in one transaction. Items with an idempotency key already used return their first event. */
  publishMany(principal: Principal, inputs: PublishInput[]): Promise<EventEntity[]> {
    const attributes = { [TraceAttribute.TenantId]: principal.tenantId, [TraceAttribute.EventCount]: inputs.length };
    return withSpan(SpanName.Publish, attributes, () => this.publishBatch(principal, inputs));
  }

  private async publishBatch(principal: Principal, inputs: PublishInput[]): Promise<EventEntity[]> {
    if (inputs.length === 0 || inputs.length > MAX_BATCH)
      throw new InvalidBatchError(`must hold 1 to ${MAX_BATCH} events`);
    const events: NewEvent[] = [];
    for (const [i, input] of inputs.entries()) {
      this.idempotency.validateKey(input.idempotencyKey, `inputs[${i}].idempotencyKey`);
      events.push(await this.toNewEvent(principal.tenantId, input, `inputs[${i}]`));
    }
    const keys = events.map((e) => e.idempotencyKey).filter((k): k is string => !!k);
    if (new Set(keys).size !== keys.length)
      throw new InvalidBatchError('an idempotency key appears twice in one batch');

    const tenantId = principal.tenantId;
    const { stored, deliveries } = await this.dataSource.transaction(async (manager) => {
      const keyed = events.map((e) => (e.idempotencyKey ? { key: e.idempotencyKey, input: withoutKey(e) } : null));
      const previous = await this.idempotency.findCompletedInBatch(manager, tenantId, OPERATION, keyed);
      const fresh = events.filter((_, i) => !previous[i]);
      const result =
        fresh.length > 0 ? await this.fanout.store(manager, tenantId, fresh) : { events: [], deliveries: [] };
      const records = result.events
        .filter((e) => e.idempotencyKey)
        .map((e) => ({
          key: e.idempotencyKey as string,
          input: withoutKey(fresh[result.events.indexOf(e)]),
          ref: { eventId: e.id },
        }));
      await this.idempotency.recordInBatch(manager, tenantId, OPERATION, records);
      const reused = previous.filter((p): p is { eventId: string } => !!p).map((p) => p.eventId);
      const reusedEvents = reused.length > 0 ? await manager.findBy(EventEntity, { tenantId, id: In(reused) }) : [];
      let freshIndex = 0;
      const ordered = events.map((_, i) =>
        previous[i]
          ? (reusedEvents.find((e) => e.id === previous[i]?.eventId) as EventEntity)
          : result.events[freshIndex++],
      );
      return { stored: ordered, deliveries: result.deliveries };
    });
    await this.fanout.dispatch(deliveries);
    return stored;
  }

  /** A sample of the type (webhook.test by default) to this endpoint only, whatever its filters say of others. */
  async sendTestDelivery(principal: Principal, endpointId: string, eventType?: string | null): Promise<DeliveryEntity> {
    const endpoint = await this.endpoints.find(principal.tenantId, endpointId, channelScope(principal));
    const typeName = eventType ?? TEST_EVENT_TYPE;
    const type = await this.eventTypes.find(principal.tenantId, typeName);
    if (!type) throw new UnknownEventTypeError(typeName);
    const sample: NewEvent = {
      eventType: type.name,
      payload: type.samplePayload,
      channels: [],
      orderingKey: null,
      idempotencyKey: null,
    };
    const { deliveries } = await this.dataSource.transaction((m) =>
      this.fanout.store(m, principal.tenantId, [sample], { onlyEndpointId: endpoint.id, isTest: true }),
    );
    if (deliveries.length === 0) throw new EndpointFiltersOutTypeError(endpoint.id, type.name);
    await this.fanout.dispatch(deliveries);
    const target = { type: 'endpoint', id: endpoint.id };
    await this.audit.record(principal, 'delivery.test_sent', target, {
      eventType: type.name,
      deliveryId: deliveries[0].id,
    });
    return deliveries[0];
  }

  /** Checks an event as a user publishes it: a known, current, non-operational type whose schema the payload meets. */
  private async toNewEvent(tenantId: string, input: PublishInput, field = 'input'): Promise<NewEvent> {
    await this.eventTypes.requirePublishable(tenantId, input.eventType, field);
    const payloadField = `${field}.payload`;
    if (!input.payload || typeof input.payload !== 'object' || Array.isArray(input.payload)) {
      throw new InvalidPayloadError(payloadField, 'must be a JSON object');
    }
    const size = Buffer.byteLength(JSON.stringify(input.payload));
    if (size > MAX_PAYLOAD_BYTES) {
      throw new InvalidPayloadError(payloadField, `is ${size} bytes; the limit is ${MAX_PAYLOAD_BYTES}`);
    }
    if (depthOf(input.payload) > MAX_PAYLOAD_DEPTH) {
      throw new InvalidPayloadError(payloadField, `is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`);
    }
    await this.eventTypes.validatePayload(tenantId, input.eventType, input.payload);
    return {
      eventType: input.eventType,
      payload: input.payload as Record<string, unknown>,
      channels: [...new Set(input.channels ?? [])],
      orderingKey: input.orderingKey ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
    };
  }
}
