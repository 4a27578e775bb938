import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { OperationalEventType } from '../event-types/platform-event-types';
import { FilterReducerEntity } from '../filters/filter-reducer.entity';
import { FiltersService } from '../filters/filters.service';
import { DeliveryEntity, DeliveryStatus } from './delivery.entity';
import { DeliveryNotifier } from './delivery-notifier';
import { DeliveryQueue, QueuedDelivery } from './deliveries.queue';
import { EventEntity } from './event.entity';
import { FanoutTargeting } from './fanout-targeting';
import { tracedFanout } from './publish-tracing';

export interface NewEvent {
  eventType: string;
  payload: Record<string, unknown>;
  channels: string[];
  orderingKey: string | null;
  idempotencyKey: string | null;
}

export interface FanoutOptions {
  /** Deliver to this endpoint only (test deliveries). */
  onlyEndpointId?: string;
  /** Never deliver to this endpoint (operational events about it). */
  excludeEndpointId?: string;
  isTest?: boolean;
}

export interface FanoutResult {
  events: EventEntity[];
  deliveries: DeliveryEntity[];
}

/** The webhook body: what is signed and sent, identical on every attempt. */
export function deliveryBody(event: EventEntity, data: unknown): Record<string, unknown> {
  return { id: event.id, type: event.eventType, timestamp: event.createdAt.toISOString(), data };
}

/**
 * Stores events and one delivery per matching endpoint in the caller's transaction (HELD for a disabled
 * endpoint, none where the endpoint's filter says no), then queues them once the caller has committed.
 */
@Injectable()
export class FanoutService {
  private readonly logger = new Logger(FanoutService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly targeting: FanoutTargeting,
    private readonly filters: FiltersService,
    private readonly queue: DeliveryQueue,
    private readonly notifier: DeliveryNotifier,
  ) {}

  async store(
    manager: EntityManager,
    tenantId: string,
    inputs: NewEvent[],
    opts: FanoutOptions = {},
  ): Promise<FanoutResult> {
    const now = Date.now();
    const events = inputs.map((input, i) =>
      manager.create(EventEntity, {
        id: randomUUID(),
        tenantId,
        eventType: input.eventType,
        payload: input.payload,
        channels: input.channels,
        orderingKey: input.orderingKey,
        idempotencyKey: input.idempotencyKey,
        createdAt: new Date(now + i), // distinct, ordered timestamps keep publish order visible in cursors
      }),
    );

    // Events of a batch that share a type and channels share their endpoints and filter configurations.
    const targets = new Map<string, { endpoints: EndpointEntity[]; configs: FilterReducerEntity[] }>();
    const deliveries: DeliveryEntity[] = [];
    const bodies: string[] = []; // each delivery's JSON text, beside it
    for (const event of events) {
      const key = `${event.eventType}|${[...event.channels].sort().join('\u0001')}`;
      let target = targets.get(key);
      if (!target) {
        const { endpoints, filtered } = await this.targeting.find(manager, tenantId, event.eventType, event.channels, {
          onlyEndpointId: opts.onlyEndpointId,
          excludeEndpointId: opts.excludeEndpointId,
        });
        const configs =
          filtered.size > 0 ? await this.filters.fanoutConfigs(tenantId, [...filtered], event.eventType, manager) : [];
        target = { endpoints, configs };
        targets.set(key, target);
      }
      const matching = target.endpoints;
      if (matching.length === 0) continue;
      const verdicts = await this.filters.decideForFanout(target.configs, event.payload);
      // Serialised once per event, and the same string for every endpoint without a reducer (only the signature
      // differs per endpoint); a reducer's output is serialised in its own member order.
      const unreduced = deliveryBody(event, event.payload);
      let unreducedText: string | null = null;
      for (const endpoint of matching) {
        const verdict = verdicts.get(endpoint.id);
        if (verdict && !verdict.deliver) continue;
        const reduced = verdict && verdict.data !== event.payload ? deliveryBody(event, verdict.data) : null;
        bodies.push(reduced ? JSON.stringify(reduced) : (unreducedText ??= JSON.stringify(unreduced)));
        deliveries.push(
          manager.create(DeliveryEntity, {
            id: randomUUID(),
            tenantId,
            endpointId: endpoint.id,
            eventId: event.id,
            eventType: event.eventType,
            status: endpoint.isActive ? DeliveryStatus.PENDING : DeliveryStatus.HELD,
            attemptCount: 0,
            nextAttemptAt: endpoint.isActive ? new Date(now) : null,
            orderingKey: event.orderingKey,
            isTest: opts.isTest ?? false,
            replayOfId: null,
            payload: reduced ?? unreduced,
            createdAt: new Date(now),
            updatedAt: new Date(now),
          }),
        );
      }
    }
    // One span per event, child of the caller's (publish, inbound processing); its deliveries keep its traceparent.
    await tracedFanout(events, deliveries, () =>
      insertEventsAndDeliveries(manager, tenantId, events, deliveries, bodies),
    );
    return { events, deliveries };
  }

  /** After commit: queue what can be attempted and tell subscribers. */
  async dispatch(deliveries: DeliveryEntity[]): Promise<void> {
    const due: QueuedDelivery[] = deliveries
      .filter((d) => d.status === DeliveryStatus.PENDING)
      .map((d) => ({ id: d.id, tenantId: d.tenantId, endpointId: d.endpointId, attemptCount: d.attemptCount }));
    await this.queue.enqueueSafely(due);
    await this.notifier.changed(deliveries);
  }

  /**
   * The platform's own events (endpoint.failing, endpoint.disabled, delivery.dead_lettered) go to the tenant's
   * endpoints that list them explicitly, never to the endpoint they are about.
   */
  async publishOperational(
    tenantId: string,
    eventType: OperationalEventType,
    payload: Record<string, unknown>,
    aboutEndpointId: string,
  ): Promise<void> {
    try {
      const { deliveries } = await this.dataSource.transaction((m) =>
        this.store(m, tenantId, [{ eventType, payload, channels: [], orderingKey: null, idempotencyKey: null }], {
          excludeEndpointId: aboutEndpointId,
        }),
      );
      await this.dispatch(deliveries);
    } catch (error) {
      this.logger.warn({
        msg: 'operational event not published',
        eventType,
        tenantId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/*
 * The publish hot path writes events and their deliveries in one statement (a data-modifying CTE), atomic on its
 * own, instead of TypeORM's insert builder per table: the builder's per-row escaping was a tenth of the api's CPU
 * in the soak profile, and every round trip to Postgres costs a write syscall and a wake-up. Arrays of arrays do
 * not survive unnest(), so channels travel as JSON text. Each delivery's seq (publish order) is read back.
 */
async function insertEventsAndDeliveries(
  manager: EntityManager,
  tenantId: string,
  events: EventEntity[],
  deliveries: DeliveryEntity[],
  bodies: string[],
): Promise<void> {
  const ev = <T>(f: (e: EventEntity) => T): T[] => events.map(f);
  const dl = <T>(f: (d: DeliveryEntity) => T): T[] => deliveries.map(f);
  const rows: { id: string; seq: string }[] = await manager.query(
    `WITH ev AS (
       INSERT INTO events (id, tenant_id, event_type, payload, channels, ordering_key, idempotency_key, created_at)
       SELECT u.id, $2, u.event_type, u.payload::jsonb, ARRAY(SELECT jsonb_array_elements_text(u.channels::jsonb)), u.ordering_key, u.idempotency_key, u.created_at
         FROM unnest($1::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
              AS u(id, event_type, payload, channels, ordering_key, idempotency_key, created_at)
     )
     INSERT INTO deliveries (id, tenant_id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, ordering_key, is_test, replay_of_id, payload, created_at, updated_at, trace_parent)
     SELECT u.id, u.tenant_id, u.endpoint_id, u.event_id, u.event_type, u.status, u.attempt_count, u.next_attempt_at, u.ordering_key, u.is_test, u.replay_of_id, u.payload::json, u.created_at, u.updated_at, u.trace_parent
       FROM unnest($9::uuid[], $10::text[], $11::uuid[], $12::uuid[], $13::text[], $14::text[], $15::int[], $16::timestamptz[], $17::text[], $18::bool[], $19::uuid[], $20::text[], $21::timestamptz[], $22::timestamptz[], $23::text[])
            WITH ORDINALITY AS u(id, tenant_id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, ordering_key, is_test, replay_of_id, payload, created_at, updated_at, trace_parent, n)
      ORDER BY u.n
     RETURNING id, seq::text AS seq`,
    [
      ev((e) => e.id),
      tenantId,
      ev((e) => e.eventType),
      ev((e) => JSON.stringify(e.payload)),
      ev((e) => JSON.stringify(e.channels)),
      ev((e) => e.orderingKey),
      ev((e) => e.idempotencyKey),
      ev((e) => e.createdAt),
      dl((d) => d.id),
      dl((d) => d.tenantId),
      dl((d) => d.endpointId),
      dl((d) => d.eventId),
      dl((d) => d.eventType),
      dl((d) => d.status),
      dl((d) => d.attemptCount),
      dl((d) => d.nextAttemptAt),
      dl((d) => d.orderingKey),
      dl((d) => d.isTest),
      dl((d) => d.replayOfId),
      bodies,
      dl((d) => d.createdAt),
      dl((d) => d.updatedAt),
      dl((d) => d.traceParent ?? null),
    ],
  );
  const seqs = new Map(rows.map((r) => [r.id, r.seq]));
  for (const d of deliveries) {
    const seq = seqs.get(d.id);
    if (seq === undefined) throw new Error(`delivery ${d.id} was not inserted`);
    d.seq = seq;
  }
}
