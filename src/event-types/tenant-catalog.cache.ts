import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { GLOBAL_CHANNEL, PubSubService, Topic } from '../common/graphql/pubsub';
import { EventTypeDefinition, EventTypeSource } from './event-type-definition';
import { PayloadValidator } from './payload-validator';
import { TenantEventTypeEntity } from './tenant-event-type.entity';

/** Tenants whose types are held at once; the least recently loaded goes first. */
const MAX_TENANTS = 10_000;
/** A safety net for a lost invalidation (Redis down at the moment of the change): a copy is re-read after this. */
const MAX_AGE_MS = 60_000;
/** A name missing from a copy older than this re-reads it once, bounding the reads unknown names can cause. */
const MISS_RELOAD_MS = 1_000;

interface Entry {
  types: ReadonlyMap<string, EventTypeDefinition>;
  loadedAt: number;
}

export function toDefinition(row: TenantEventTypeEntity): EventTypeDefinition {
  return {
    name: row.name,
    description: row.description,
    schema: row.schema,
    samplePayload: row.samplePayload,
    archived: row.archived,
    source: EventTypeSource.Tenant,
  };
}

/**
 * Each tenant's own types in memory, so a publish does not read Postgres. A change drops the tenant's copy here at
 * once and, through the Redis pub/sub, in every other process; the next lookup reads the table again. A load that
 * a change overtakes is served to its callers but not kept.
 */
@Injectable()
export class TenantCatalogCache implements OnModuleInit {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, { generation: number; promise: Promise<Entry> }>();
  private readonly generations = new Map<string, number>();

  constructor(
    @InjectRepository(TenantEventTypeEntity) private readonly rows: Repository<TenantEventTypeEntity>,
    private readonly pubsub: PubSubService,
    private readonly validator: PayloadValidator,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.pubsub.subscribe(Topic.EventTypesChanged, GLOBAL_CHANNEL, (payload) => {
      if (typeof payload?.tenantId === 'string') this.drop(payload.tenantId);
    });
  }

  async find(tenantId: string, name: string): Promise<EventTypeDefinition | undefined> {
    const now = Date.now();
    let entry = this.entries.get(tenantId);
    const stale = !entry || now - entry.loadedAt > MAX_AGE_MS;
    if (stale || (!entry?.types.has(name) && now - (entry?.loadedAt ?? 0) > MISS_RELOAD_MS)) {
      entry = await this.load(tenantId);
    }
    return entry?.types.get(name);
  }

  /** After a committed change: drops this process's copy and tells the others. */
  async changed(tenantId: string): Promise<void> {
    this.drop(tenantId);
    await this.pubsub.publish(Topic.EventTypesChanged, GLOBAL_CHANNEL, { tenantId });
  }

  private drop(tenantId: string): void {
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
    const entry = this.entries.get(tenantId);
    if (!entry) return;
    this.entries.delete(tenantId);
    for (const type of entry.types.values()) this.validator.forget(type.schema);
  }

  private load(tenantId: string): Promise<Entry> {
    const generation = this.generations.get(tenantId) ?? 0;
    const inFlight = this.loading.get(tenantId);
    // A load started before the latest change may miss it: only a load of the current generation is shared.
    if (inFlight?.generation === generation) return inFlight.promise;
    const promise = this.rows
      .find({ where: { tenantId } })
      .then((rows) => {
        const entry: Entry = { types: new Map(rows.map((r) => [r.name, toDefinition(r)])), loadedAt: Date.now() };
        if ((this.generations.get(tenantId) ?? 0) === generation) this.keep(tenantId, entry);
        return entry;
      })
      .finally(() => {
        if (this.loading.get(tenantId)?.promise === promise) this.loading.delete(tenantId);
      });
    this.loading.set(tenantId, { generation, promise });
    return promise;
  }

  private keep(tenantId: string, entry: Entry): void {
    const previous = this.entries.get(tenantId);
    if (previous) for (const type of previous.types.values()) this.validator.forget(type.schema);
    this.entries.delete(tenantId);
    this.entries.set(tenantId, entry);
    if (this.entries.size > MAX_TENANTS) this.drop(this.entries.keys().next().value as string);
  }
}
