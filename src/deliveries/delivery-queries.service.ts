import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { ALL_CHANNELS, ChannelScope } from '../auth/principal';
import { Page, paginate } from '../common/graphql/pagination';
import { isUuid } from '../common/ids';
import { EndpointsService } from '../endpoints/endpoints.service';
import { DeliveryNotFoundError, MalformedIdError } from './deliveries.errors';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { findDeliveryOf, findEventOf } from './delivery-lookups';
import { DeliveryEntity } from './delivery.entity';
import { DeliveryFilter, EventFilter } from './dto/delivery-filter.input';
import { EventEntity } from './event.entity';

type PageArgs = { first?: number | null; after?: string | null };

/** Whether a delivery's status change goes to a deliveryUpdated subscriber with these arguments. */
export function matchesDeliverySubscription(
  delivery: { endpointId: string; eventId: string },
  args: { endpointId?: string | null; eventId?: string | null },
): boolean {
  return (
    (!args.endpointId || delivery.endpointId === args.endpointId) &&
    (!args.eventId || delivery.eventId === args.eventId)
  );
}

/** Reads events, deliveries and attempts of one tenant: by id, as cursor pages, and batched for DataLoaders. */
@Injectable()
export class DeliveryQueries {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly endpoints: EndpointsService,
  ) {}

  findEvent(tenantId: string, id: string): Promise<EventEntity> {
    return findEventOf(this.dataSource.manager, tenantId, id);
  }

  /** A delivery is in a channel scope when its endpoint is; outside it, NOT_FOUND as if it did not exist. */
  async findDelivery(tenantId: string, id: string, channel: ChannelScope): Promise<DeliveryEntity> {
    const delivery = await findDeliveryOf(this.dataSource.manager, tenantId, id);
    if (!(await this.endpoints.isInScope(tenantId, delivery.endpointId, channel))) throw new DeliveryNotFoundError(id);
    return delivery;
  }

  /**
   * A deliveryUpdated subscription narrowed to an endpoint or an event: NOT_FOUND unless the tenant has them (and the
   * endpoint is in the channel scope). A channel-scoped subscriber's pushes are filtered by inScope().
   */
  async assertSubscribable(
    tenantId: string,
    args: { endpointId?: string | null; eventId?: string | null },
    channel: ChannelScope,
  ): Promise<void> {
    if (args.endpointId) await this.endpoints.find(tenantId, args.endpointId, channel);
    if (args.eventId) await this.findEvent(tenantId, args.eventId);
  }

  /** Whether a delivery's endpoint is within the channel scope now (no query for ALL_CHANNELS). */
  inScope(tenantId: string, endpointId: string, channel: ChannelScope): Promise<boolean> {
    return this.endpoints.isInScope(tenantId, endpointId, channel);
  }

  async listEvents(
    tenantId: string,
    filter: EventFilter | null | undefined,
    page: PageArgs,
  ): Promise<Page<EventEntity>> {
    const qb = this.dataSource
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .where('e.tenant_id = :tenantId', { tenantId });
    if (filter?.eventType) qb.andWhere('e.event_type = :eventType', { eventType: filter.eventType });
    if (filter?.channel) qb.andWhere(':channel = ANY(e.channels)', { channel: filter.channel });
    if (filter?.after) qb.andWhere('e.created_at > :afterTime', { afterTime: filter.after });
    if (filter?.before) qb.andWhere('e.created_at < :beforeTime', { beforeTime: filter.before });
    return paginate(qb, 'e', page, (e) => e);
  }

  /** Within a channel scope: another channel's endpointId is NOT_FOUND, and no endpointId means the channel's. */
  async listDeliveries(
    tenantId: string,
    filter: DeliveryFilter | null | undefined,
    page: PageArgs,
    channel: ChannelScope,
  ): Promise<Page<DeliveryEntity>> {
    const qb = this.dataSource
      .getRepository(DeliveryEntity)
      .createQueryBuilder('d')
      .where('d.tenant_id = :tenantId', { tenantId });
    if (filter?.endpointId) {
      if (!isUuid(filter.endpointId)) throw new MalformedIdError('filter.endpointId');
      if (channel !== ALL_CHANNELS) await this.endpoints.find(tenantId, filter.endpointId, channel);
      qb.andWhere('d.endpoint_id = :endpointId', { endpointId: filter.endpointId });
    } else if (channel !== ALL_CHANNELS) {
      const endpointIds = await this.endpoints.idsInChannel(tenantId, channel);
      qb.andWhere('d.endpoint_id = ANY(:scopeEndpointIds::uuid[])', { scopeEndpointIds: endpointIds });
    }
    if (filter?.eventId) {
      if (!isUuid(filter.eventId)) throw new MalformedIdError('filter.eventId');
      qb.andWhere('d.event_id = :eventId', { eventId: filter.eventId });
    }
    if (filter?.status?.length) qb.andWhere('d.status IN (:...statuses)', { statuses: filter.status });
    if (filter?.eventType) qb.andWhere('d.event_type = :eventType', { eventType: filter.eventType });
    if (filter?.after) qb.andWhere('d.created_at > :afterTime', { afterTime: filter.after });
    if (filter?.before) qb.andWhere('d.created_at < :beforeTime', { beforeTime: filter.before });
    return paginate(qb, 'd', page, (d) => d);
  }

  /** Delivery.attempts batched (DataLoader): the attempts of many deliveries of one tenant in one query. */
  async attemptsByDelivery(
    tenantId: string,
    deliveryIds: readonly string[],
  ): Promise<Map<string, DeliveryAttemptEntity[]>> {
    const ids = deliveryIds.filter(isUuid);
    const rows = ids.length
      ? await this.dataSource.getRepository(DeliveryAttemptEntity).find({
          where: { tenantId, deliveryId: In(ids) },
          order: { attemptNumber: 'ASC', startedAt: 'ASC' },
        })
      : [];
    const byDelivery = new Map<string, DeliveryAttemptEntity[]>(deliveryIds.map((id) => [id, []]));
    for (const row of rows) byDelivery.get(row.deliveryId)?.push(row);
    return byDelivery;
  }
}
