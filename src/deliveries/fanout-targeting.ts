import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { FanoutOptions, fanoutTargetsQuery } from '../endpoints/endpoint-targeting';
import { FiltersService } from '../filters/filters.service';

const HAS_FILTER = 'has_filter';

/**
 * The endpoints an event goes to and which of them filter it, in one query: the endpoints module's subscription
 * rules (fanoutTargetsQuery) with the filters module's flag (selectHasConfiguration). Composed here, by the one
 * module that needs both, so that neither module reads the other's table and filters → endpoints stays one-way.
 */
@Injectable()
export class FanoutTargeting {
  constructor(private readonly filters: FiltersService) {}

  /**
   * The tenant's endpoints for an event of this type and these channels (active or not: the caller holds deliveries
   * of inactive ones); `filtered` names those with a filter/reducer configuration for this event type, so the publish
   * hot path skips the configuration query when none has one.
   */
  async find(
    manager: EntityManager,
    tenantId: string,
    eventType: string,
    channels: string[],
    opts: FanoutOptions = {},
  ): Promise<{ endpoints: EndpointEntity[]; filtered: Set<string> }> {
    const qb = fanoutTargetsQuery(manager, tenantId, eventType, channels, opts);
    if (!qb) return { endpoints: [], filtered: new Set() };
    this.filters.selectHasConfiguration(qb, { endpointId: 'e.id', tenantId, eventType, as: HAS_FILTER });
    const { entities, raw } = await qb.getRawAndEntities<{ e_id: string; [HAS_FILTER]: boolean }>();
    return { endpoints: entities, filtered: new Set(raw.filter((r) => r[HAS_FILTER]).map((r) => r.e_id)) };
  }
}
