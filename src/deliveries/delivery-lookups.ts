import { EntityManager } from 'typeorm';
import { isUuid } from '../common/ids';
import { DeliveryNotFoundError, EventNotFoundError } from './deliveries.errors';
import { DeliveryEntity } from './delivery.entity';
import { EventEntity } from './event.entity';

/*
 * One event or delivery of a tenant by id; another tenant's (or a malformed id) is NOT_FOUND. Shared by the
 * queries, the publisher (an idempotent replay answers with the first event) and replay.
 */

export async function findEventOf(manager: EntityManager, tenantId: string, id: string): Promise<EventEntity> {
  const event = isUuid(id) ? await manager.getRepository(EventEntity).findOneBy({ tenantId, id }) : null;
  if (!event) throw new EventNotFoundError(id);
  return event;
}

export async function findDeliveryOf(manager: EntityManager, tenantId: string, id: string): Promise<DeliveryEntity> {
  const delivery = isUuid(id) ? await manager.getRepository(DeliveryEntity).findOneBy({ tenantId, id }) : null;
  if (!delivery) throw new DeliveryNotFoundError(id);
  return delivery;
}
