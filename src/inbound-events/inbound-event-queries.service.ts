import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Page, pageSize } from '../common/graphql/pagination';
import { PubSubService, Topic } from '../common/graphql/pubsub';
import { isUuid } from '../common/ids';
import { IntegrationsService } from '../integrations/integrations.service';
import { InboundEventFilter } from './dto/inbound-event-filter.input';
import { applyOrdering, DEFAULT_ORDERING, encodeInboundCursor, InboundEventOrdering } from './inbound-event-cursor';
import { InboundEventEntity, InboundEventStatus } from './inbound-event.entity';
import { InboundEvent } from './inbound-event.model';
import { InboundEventNotFoundError } from './inbound-events.errors';
import { ALIAS, selectEvents } from './inbound-selection';

export type InboundStats = Record<'total' | 'pending' | 'processing' | 'processed' | 'failed' | 'skipped', number>;

/** Reads of the tenant's inbound events: the cursor-paged list, one event, counts by status, live updates. */
@Injectable()
export class InboundEventQueries {
  constructor(
    @InjectRepository(InboundEventEntity) private readonly events: Repository<InboundEventEntity>,
    private readonly integrations: IntegrationsService,
    private readonly pubsub: PubSubService,
  ) {}

  async list(
    tenantId: string,
    filter: InboundEventFilter,
    args: { orderBy?: InboundEventOrdering | null; first?: number | null; after?: string | null },
  ): Promise<Page<InboundEventEntity>> {
    await this.integrations.find(tenantId, filter.integrationId);
    const limit = pageSize(args.first);
    // The validation pipe hands an absent orderBy over as an empty object.
    const ordering = args.orderBy?.field ? args.orderBy : DEFAULT_ORDERING;
    const base = selectEvents(this.events, tenantId, { filter });
    const totalCount = await base.clone().getCount();
    const qb = base.clone();
    applyOrdering(qb, ALIAS, ordering, args.after);
    const rows = await qb.limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const edges = page.map((node) => ({ node, cursor: encodeInboundCursor(node, ordering) }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount,
    };
  }
  async find(tenantId: string, id: string): Promise<InboundEventEntity> {
    const found = isUuid(id) ? await this.events.findOneBy({ tenantId, id }) : null;
    if (!found) throw new InboundEventNotFoundError(id);
    return found;
  }
  /** Counts by status in one query. */
  async stats(tenantId: string, integrationId: string): Promise<InboundStats> {
    await this.integrations.find(tenantId, integrationId);
    const count = (status: InboundEventStatus): string => `count(*) FILTER (WHERE status = '${status}')::int`;
    const [row] = (await this.events.query(
      `SELECT count(*)::int AS total, ${count(InboundEventStatus.PENDING)} AS pending, ${count(InboundEventStatus.PROCESSING)} AS processing,
              ${count(InboundEventStatus.PROCESSED)} AS processed, ${count(InboundEventStatus.FAILED)} AS failed, ${count(InboundEventStatus.SKIPPED)} AS skipped
         FROM inbound_events WHERE tenant_id = $1 AND integration_id = $2`,
      [tenantId, integrationId],
    )) as InboundStats[];
    return row;
  }
  /** Checks the integration belongs to the caller's tenant before a subscription starts. */
  async subscribe(tenantId: string, integrationId: string): Promise<AsyncIterator<InboundEvent>> {
    await this.integrations.find(tenantId, integrationId);
    return this.pubsub.asyncIterator<InboundEvent>(Topic.InboundEventUpdated, tenantId);
  }
}
