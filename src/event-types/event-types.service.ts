import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PLATFORM_CATALOG } from './catalog/platform-catalog';
import { EventTypeDefinition } from './event-type-definition';
import { EventTypeEntity } from './event-type.entity';
import { checkPublishable, checkSubscribable } from './event-type-rules';
import { EventTypeNotFoundError, UnknownEventTypeError } from './event-types.errors';
import { PayloadValidator } from './payload-validator';

const PLATFORM_BY_NAME: ReadonlyMap<string, EventTypeDefinition> = new Map(PLATFORM_CATALOG.map((d) => [d.name, d]));

/**
 * The one door to the event-type catalog, for every module: which types a tenant sees, may publish and may
 * subscribe to, and whether a payload meets its type's schema. Every tenant sees the types that ship with the
 * service (catalog/); lookups answer from memory, and the API lists the event_types table that mirrors them
 * (EventTypeMirror). Asynchronous and keyed by tenant, so tenant-owned types can join without changing callers.
 */
@Injectable()
export class EventTypesService {
  constructor(
    @InjectRepository(EventTypeEntity) private readonly rows: Repository<EventTypeEntity>,
    private readonly validator: PayloadValidator,
  ) {}

  /** The type by name as the tenant sees it, archived or not; undefined when there is none. */
  async find(tenantId: string, name: string): Promise<EventTypeDefinition | undefined> {
    return PLATFORM_BY_NAME.get(name);
  }

  /** Refuses (naming `<field>.eventType`) an unknown or archived type, or one only the platform publishes. */
  async requirePublishable(tenantId: string, name: string, field = 'input'): Promise<EventTypeDefinition> {
    return checkPublishable(await this.find(tenantId, name), name, field);
  }

  /** Every name known; archived ones only if already subscribed. Refusals name `eventTypes`. */
  async checkSubscribable(
    tenantId: string,
    names: readonly string[],
    alreadySubscribed: readonly string[] = [],
  ): Promise<void> {
    const found = new Map<string, EventTypeDefinition | undefined>();
    for (const name of names) found.set(name, await this.find(tenantId, name));
    checkSubscribable((name) => found.get(name), names, alreadySubscribed);
  }

  /** Throws PayloadSchemaMismatchError naming the path of the first violation, UnknownEventTypeError for no type. */
  async validatePayload(tenantId: string, name: string, payload: unknown): Promise<void> {
    const type = await this.find(tenantId, name);
    if (!type) throw new UnknownEventTypeError(name);
    this.validator.validate(type, payload);
  }

  /** For the eventTypes query, by name. The table's rows are the shipped types, which every tenant sees. */
  async list(tenantId: string, includeArchived = false): Promise<EventTypeEntity[]> {
    return this.rows.find({ where: includeArchived ? {} : { archived: false }, order: { name: 'ASC' } });
  }

  /** For the eventType query. */
  async get(tenantId: string, name: string): Promise<EventTypeEntity> {
    const found = await this.rows.findOneBy({ name });
    if (!found) throw new EventTypeNotFoundError(name);
    return found;
  }
}
