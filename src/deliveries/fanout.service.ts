import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { EndpointsService } from '../endpoints/endpoints.service';
import { FilterReducerEntity } from '../filters/filter-reducer.entity';
import { FiltersService } from '../filters/filters.service';
import { DeliveryEntity, DeliveryStatus } from './delivery.entity';
import { DeliveryNotifier } from './delivery-notifier';
import { DeliveryQueue, QueuedDelivery } from './delivery-queue';
import { EventEntity } from './event.entity';

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
    private readonly endpoints: EndpointsService,
    private readonly filters: FiltersService,
    private readonly queue: DeliveryQueue,
    private readonly notifier: DeliveryNotifier,
  ) {}

  async store(manager: EntityManager, tenantId: string, inputs: NewEvent[], opts: FanoutOptions = {}): Promise<FanoutResult> {
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
    await manager.createQueryBuilder().insert().into(EventEntity).values(events as QueryDeepPartialEntity<EventEntity>[]).execute();

    // Events of a batch that share a type and channels share their endpoints and filter configurations.
    const targets = new Map<string, { endpoints: EndpointEntity[]; configs: FilterReducerEntity[] }>();
    const deliveries: DeliveryEntity[] = [];
    for (const event of events) {
      const key = `${event.eventType}|${[...event.channels].sort().join('\u0001')}`;
      let target = targets.get(key);
      if (!target) {
        const endpoints = await this.endpoints.findForFanout(manager, tenantId, event.eventType, event.channels, { onlyEndpointId: opts.onlyEndpointId, excludeEndpointId: opts.excludeEndpointId });
        const configs = await this.filters.fanoutConfigs(tenantId, endpoints.map((e) => e.id), event.eventType, manager);
        target = { endpoints, configs };
        targets.set(key, target);
      }
      const matching = target.endpoints;
      if (matching.length === 0) continue;
      const verdicts = this.filters.decideForFanout(target.configs, event.payload);
      for (const endpoint of matching) {
        const verdict = verdicts.get(endpoint.id);
        if (verdict && !verdict.deliver) continue;
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
            payload: deliveryBody(event, verdict ? verdict.data : event.payload),
            createdAt: new Date(now),
            updatedAt: new Date(now),
          }),
        );
      }
    }
    for (let i = 0; i < deliveries.length; i += 500) {
      await manager.createQueryBuilder().insert().into(DeliveryEntity).values(deliveries.slice(i, i + 500) as QueryDeepPartialEntity<DeliveryEntity>[]).execute();
    }
    return { events, deliveries };
  }

  /** After commit: queue what can be attempted and tell subscribers. */
  async dispatch(deliveries: DeliveryEntity[]): Promise<void> {
    const due: QueuedDelivery[] = deliveries.filter((d) => d.status === DeliveryStatus.PENDING).map((d) => ({ id: d.id, endpointId: d.endpointId, attemptCount: d.attemptCount }));
    await this.queue.enqueueSafely(due);
    await this.notifier.changed(deliveries);
  }

  /**
   * The platform's own events (endpoint.failing, endpoint.disabled, delivery.dead_lettered) go to the tenant's
   * endpoints that list them explicitly, never to the endpoint they are about.
   */
  async publishOperational(tenantId: string, eventType: string, payload: Record<string, unknown>, aboutEndpointId: string): Promise<void> {
    try {
      const { deliveries } = await this.dataSource.transaction((m) =>
        this.store(m, tenantId, [{ eventType, payload, channels: [], orderingKey: null, idempotencyKey: null }], { excludeEndpointId: aboutEndpointId }),
      );
      await this.dispatch(deliveries);
    } catch (error) {
      this.logger.warn({ msg: 'operational event not published', eventType, tenantId, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
