import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PLATFORM_CATALOG } from './catalog/platform-catalog';
import { EventTypeDefinition } from './event-type-definition';
import { EventTypeEntity } from './event-type.entity';
import { EventType, toEventTypeModel, toTenantEventTypeModel } from './event-type.model';
import { checkPublishable, checkSubscribable } from './event-type-rules';
import { EventTypeNotFoundError, UnknownEventTypeError } from './event-types.errors';
import { PayloadValidator } from './payload-validator';
import { TenantCatalogCache } from './tenant-catalog.cache';
import { TenantEventTypeEntity } from './tenant-event-type.entity';

const PLATFORM_BY_NAME: ReadonlyMap<string, EventTypeDefinition> = new Map(PLATFORM_CATALOG.map((d) => [d.name, d]));

/**
 * The one door to the event-type catalog, for every module: which types a tenant sees, may publish and may
 * subscribe to, and whether a payload meets its type's schema. Every tenant sees the types that ship with the
 * service (catalog/, mirrored in event_types by EventTypeMirror) and its own (tenant_event_types), never another
 * tenant's. Lookups answer from memory: the shipped types are loaded at boot, the tenant's are cached per tenant
 * (TenantCatalogCache). A tenant type never shadows a shipped one, so the shipped one is looked up first.
 */
@Injectable()
export class EventTypesService {
  constructor(
    @InjectRepository(EventTypeEntity) private readonly rows: Repository<EventTypeEntity>,
    @InjectRepository(TenantEventTypeEntity) private readonly tenantRows: Repository<TenantEventTypeEntity>,
    private readonly validator: PayloadValidator,
    private readonly tenantTypes: TenantCatalogCache,
  ) {}

  /** The type by name as the tenant sees it, archived or not; undefined when there is none. */
  async find(tenantId: string, name: string): Promise<EventTypeDefinition | undefined> {
    return PLATFORM_BY_NAME.get(name) ?? (await this.tenantTypes.find(tenantId, name));
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

  /** For the eventTypes query, by name: the shipped types and the tenant's own. */
  async list(tenantId: string, includeArchived = false): Promise<EventType[]> {
    const where = includeArchived ? {} : { archived: false };
    const [shipped, own] = await Promise.all([
      this.rows.find({ where }),
      this.tenantRows.find({ where: { tenantId, ...where } }),
    ]);
    const all = [...shipped.map(toEventTypeModel), ...own.map(toTenantEventTypeModel)];
    return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** For the eventType query: a shipped type, or one of the tenant's own. */
  async get(tenantId: string, name: string): Promise<EventType> {
    const shipped = await this.rows.findOneBy({ name });
    if (shipped) return toEventTypeModel(shipped);
    const own = await this.tenantRows.findOneBy({ tenantId, name });
    if (!own) throw new EventTypeNotFoundError(name);
    return toTenantEventTypeModel(own);
  }
}
