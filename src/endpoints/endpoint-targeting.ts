import { Brackets, EntityManager, SelectQueryBuilder } from 'typeorm';
import { isUuid } from '../common/ids';
import { EndpointEntity } from './endpoint.entity';
import { isOperationalEventType, TEST_EVENT_TYPE } from '../event-types/platform-event-types';

/*
 * Which endpoints an event goes to: the subscription rules, as query builders over `endpoints` (alias `e`) that the
 * caller runs in its own transaction, or extends with what its own module knows (the fan-out adds filter flags).
 */

export interface FanoutOptions {
  /** Only this endpoint (test deliveries, replays). With webhook.test it matches whatever the endpoint subscribes to. */
  onlyEndpointId?: string;
  /** Never this endpoint (operational events about it). */
  excludeEndpointId?: string;
}

/**
 * The tenant's endpoints, active or not (the caller holds deliveries of inactive ones), that an event of this type
 * and these channels goes to, oldest first; null when none can (webhook.test without onlyEndpointId, a malformed
 * id). An empty eventTypes matches every business type but not the operational ones; webhook.test only ever goes
 * to opts.onlyEndpointId. An event with channels goes to endpoints without channels or sharing one; an event
 * without channels only to endpoints without channels.
 */
export function fanoutTargetsQuery(
  manager: EntityManager,
  tenantId: string,
  eventType: string,
  channels: string[],
  opts: FanoutOptions = {},
): SelectQueryBuilder<EndpointEntity> | null {
  const { onlyEndpointId, excludeEndpointId } = opts;
  const isTest = eventType === TEST_EVENT_TYPE;
  if (isTest && !onlyEndpointId) return null;
  if (onlyEndpointId !== undefined && (!isUuid(onlyEndpointId) || onlyEndpointId === excludeEndpointId)) return null;
  const qb = manager.createQueryBuilder(EndpointEntity, 'e').where('e.tenant_id = :tenantId', { tenantId });
  if (onlyEndpointId) qb.andWhere('e.id = :onlyId', { onlyId: onlyEndpointId });
  if (excludeEndpointId && isUuid(excludeEndpointId))
    qb.andWhere('e.id <> :excludeId', { excludeId: excludeEndpointId });
  if (!isTest) {
    whereReceivesType(qb, eventType);
    if (channels.length > 0)
      qb.andWhere('(cardinality(e.channels) = 0 OR e.channels && :channels::text[])', { channels });
    else qb.andWhere('cardinality(e.channels) = 0');
  }
  return qb.orderBy('e.created_at', 'ASC').addOrderBy('e.id', 'ASC');
}

/** Endpoints (alias `e`) subscribed to the type: by name, or by an empty list for a business type. */
export function whereReceivesType(qb: SelectQueryBuilder<EndpointEntity>, eventType: string): void {
  qb.andWhere(
    new Brackets((w) => {
      w.where(':eventType = ANY(e.event_types)', { eventType });
      if (!isOperationalEventType(eventType) && eventType !== TEST_EVENT_TYPE)
        w.orWhere('cardinality(e.event_types) = 0');
    }),
  );
}
