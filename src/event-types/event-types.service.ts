import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { NotFoundError } from '../common/errors/domain-error';
import { EventTypeEntity } from './event-type.entity';
import { EVENT_TYPE_CATALOG } from './event-type-catalog';

/** Arbitrary but fixed: serialises the seeding of processes that boot together. */
const SEED_LOCK_KEY = 727_001;

/** The catalog in code is the truth; the table mirrors it for queries and joins. */
@Injectable()
export class EventTypesService implements OnModuleInit {
  private readonly logger = new Logger(EventTypesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(EventTypeEntity) private readonly eventTypes: Repository<EventTypeEntity>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.seed();
  }

  /**
   * Upserts every catalog entry and archives rows the catalog no longer has. Idempotent; the advisory
   * lock makes processes that boot at once take turns instead of racing on the same rows.
   */
  async seed(): Promise<void> {
    const rows = [...EVENT_TYPE_CATALOG].sort((a, b) => a.name.localeCompare(b.name));
    await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
      await m
        .createQueryBuilder()
        .insert()
        .into(EventTypeEntity)
        .values(
          rows.map((d) => ({ name: d.name, description: d.description, schema: d.schema, samplePayload: d.samplePayload, archived: d.archived, operational: d.operational ?? false }) as QueryDeepPartialEntity<EventTypeEntity>),
        )
        .orUpdate(['description', 'schema', 'sample_payload', 'archived', 'operational', 'updated_at'], ['name'])
        .execute();
      await m.query('UPDATE event_types SET archived = true, updated_at = now() WHERE NOT archived AND NOT (name = ANY($1))', [rows.map((r) => r.name)]);
    });
    this.logger.debug?.(`event-type catalog seeded (${rows.length} types)`);
  }

  async list(includeArchived = false): Promise<EventTypeEntity[]> {
    return this.eventTypes.find({ where: includeArchived ? {} : { archived: false }, order: { name: 'ASC' } });
  }

  async find(name: string): Promise<EventTypeEntity> {
    const found = await this.eventTypes.findOneBy({ name });
    if (!found) throw new NotFoundError('EventType', name);
    return found;
  }
}
