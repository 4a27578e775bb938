import { Repository, SelectQueryBuilder } from 'typeorm';
import { isUuid } from '../common/ids';
import { BulkReprocessInboundInput } from './dto/bulk-inbound.input';
import { InboundEventFilter } from './dto/inbound-event-filter.input';
import { InboundEventEntity } from './inbound-event.entity';
import {
  AmbiguousSelectionError,
  EmptyEventIdsError,
  FilterIntegrationMismatchError,
  IncompleteSelectionError,
  InvalidEventIdError,
} from './inbound-events.errors';

/** Which events a bulk operation acts on: explicit ids, or every event of an integration matching a filter. */
export type Selection = { eventIds: string[] } | { filter: InboundEventFilter };

export const ALIAS = 'e';

/**
 * Either eventIds, or applyToAll with integrationId and a filter for that integration; anything else is
 * BAD_USER_INPUT. Pure: the caller checks the integration belongs to the tenant.
 */
export function parseSelection(input: BulkReprocessInboundInput): Selection {
  const hasIds = input.eventIds !== undefined && input.eventIds !== null;
  const applyToAll = input.applyToAll === true;
  if (hasIds && applyToAll)
    throw new AmbiguousSelectionError('eventIds', 'give either eventIds or applyToAll, not both');
  if (hasIds) {
    if (input.filter || input.integrationId)
      throw new AmbiguousSelectionError('filter', 'integrationId and filter go with applyToAll, not with eventIds');
    const eventIds = input.eventIds as string[];
    if (eventIds.length === 0) throw new EmptyEventIdsError();
    if (!eventIds.every(isUuid)) throw new InvalidEventIdError();
    return { eventIds };
  }
  if (!applyToAll)
    throw new IncompleteSelectionError('eventIds', 'give eventIds, or applyToAll: true with integrationId and filter');
  if (!input.integrationId) throw new IncompleteSelectionError('integrationId', 'is required with applyToAll');
  if (!input.filter) throw new IncompleteSelectionError('filter', 'is required with applyToAll');
  if (input.filter.integrationId !== input.integrationId) throw new FilterIntegrationMismatchError();
  return { filter: input.filter };
}

/** The integration a selection is bound to, if any (its events must be the tenant's: the caller checks). */
export function integrationOf(selection: Selection): string | null {
  return 'filter' in selection ? selection.filter.integrationId : null;
}

/** The tenant's events a selection names. */
export function selectEvents(
  repo: Repository<InboundEventEntity>,
  tenantId: string,
  selection: Selection,
): SelectQueryBuilder<InboundEventEntity> {
  const qb = repo.createQueryBuilder(ALIAS).where(`${ALIAS}.tenant_id = :tenantId`, { tenantId });
  if ('eventIds' in selection) return qb.andWhere(`${ALIAS}.id IN (:...eventIds)`, { eventIds: selection.eventIds });
  const { filter } = selection;
  if (!isUuid(filter.integrationId)) return qb.andWhere('false');
  qb.andWhere(`${ALIAS}.integration_id = :integrationId`, { integrationId: filter.integrationId });
  if (filter.status?.length) qb.andWhere(`${ALIAS}.status IN (:...statuses)`, { statuses: filter.status });
  if (filter.eventCode) qb.andWhere(`${ALIAS}.event_code = :eventCode`, { eventCode: filter.eventCode });
  if (filter.receivedAfter)
    qb.andWhere(`${ALIAS}.received_at >= :receivedAfter`, { receivedAfter: filter.receivedAfter });
  if (filter.receivedBefore)
    qb.andWhere(`${ALIAS}.received_at < :receivedBefore`, { receivedBefore: filter.receivedBefore });
  return qb;
}

/** The selected ids, oldest first. */
export async function selectedIds(
  repo: Repository<InboundEventEntity>,
  tenantId: string,
  selection: Selection,
): Promise<string[]> {
  const qb = selectEvents(repo, tenantId, selection)
    .select(`${ALIAS}.id`, 'id')
    .orderBy(`${ALIAS}.received_at`, 'ASC')
    .addOrderBy(`${ALIAS}.id`, 'ASC');
  return (await qb.getRawMany<{ id: string }>()).map((row) => row.id);
}
