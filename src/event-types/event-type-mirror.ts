import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { PLATFORM_CATALOG } from './catalog/platform-catalog';
import { EventTypeSource } from './event-type-definition';
import { EventTypeEntity } from './event-type.entity';

/** Arbitrary but fixed: serialises the seeding of processes that boot together. */
const SEED_LOCK_KEY = 727_001;

/** The shipped catalog (catalog/*.json) is the truth; the event_types table mirrors it for the API's queries. */
@Injectable()
export class EventTypeMirror implements OnModuleInit {
  private readonly logger = new Logger(EventTypeMirror.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.seed();
  }

  /**
   * Upserts every catalog entry and archives rows the catalog no longer has. Idempotent; the advisory
   * lock makes processes that boot at once take turns instead of racing on the same rows.
   */
  async seed(): Promise<void> {
    const rows = [...PLATFORM_CATALOG].sort((a, b) => a.name.localeCompare(b.name));
    const values = rows.map(
      (d) =>
        ({
          name: d.name,
          description: d.description,
          schema: d.schema,
          samplePayload: d.samplePayload,
          archived: d.archived,
          operational: d.source === EventTypeSource.Operational,
        }) as QueryDeepPartialEntity<EventTypeEntity>,
    );
    await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
      await m
        .createQueryBuilder()
        .insert()
        .into(EventTypeEntity)
        .values(values)
        .orUpdate(['description', 'schema', 'sample_payload', 'archived', 'operational', 'updated_at'], ['name'])
        .execute();
      await m.query(
        'UPDATE event_types SET archived = true, updated_at = now() WHERE NOT archived AND NOT (name = ANY($1))',
        [rows.map((r) => r.name)],
      );
    });
    this.logger.debug?.(`event-type catalog seeded (${rows.length} types)`);
  }
}
