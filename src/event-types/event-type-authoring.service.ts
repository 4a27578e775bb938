import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { Principal } from '../auth/principal';
import { findPlatformEventType } from './catalog/platform-catalog';
import { schemaHash } from './canonical-json';
import { CreateEventTypeInput } from './dto/create-event-type.input';
import { UpdateEventTypeInput } from './dto/update-event-type.input';
import { EVENT_TYPE_NAME } from './event-type-definition';
import {
  EventTypeNameReservedError,
  EventTypeNameTakenError,
  EventTypeNotFoundError,
  EventTypeReadOnlyError,
  InvalidEventTypeNameError,
  SampleSchemaMismatchError,
} from './event-types.errors';
import { PayloadValidator } from './payload-validator';
import { sampleFromSchema } from './sample-from-schema';
import { TenantCatalogCache } from './tenant-catalog.cache';
import { TenantEventTypeEntity } from './tenant-event-type.entity';

/** A type created without a schema accepts any object payload. */
const ANY_OBJECT: Record<string, unknown> = { type: 'object' };
const UNIQUE_VIOLATION = '23505';

/** A type's schema and sample once both are checked: valid draft 2020-12, local refs only, the sample matching. */
export interface CheckedDefinition {
  schema: Record<string, unknown>;
  samplePayload: Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Changes to a tenant's own event types (source TENANT): create, update, archive and unarchive, each in a
 * transaction with its audit record, then the tenant's cached catalog is dropped in every process. Built-in and
 * operational types are not the tenant's to change.
 */
@Injectable()
export class EventTypeAuthoringService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly validator: PayloadValidator,
    private readonly audit: AuditService,
    private readonly cache: TenantCatalogCache,
  ) {}

  /** Refuses a bad name, a name that shadows a shipped type, a bad schema or a sample that does not match it. */
  check(name: string, schema: unknown, samplePayload: unknown): CheckedDefinition {
    if (typeof name !== 'string' || !EVENT_TYPE_NAME.test(name)) throw new InvalidEventTypeNameError('input.name');
    if (findPlatformEventType(name)) throw new EventTypeNameReservedError(name);
    return this.checkSchemaAndSample(schema ?? ANY_OBJECT, samplePayload);
  }

  async create(
    principal: Principal,
    input: CreateEventTypeInput,
    given?: EntityManager,
  ): Promise<TenantEventTypeEntity> {
    const checked = this.check(input.name, input.schema, input.samplePayload);
    const run = async (m: EntityManager): Promise<TenantEventTypeEntity> => {
      const row = m.getRepository(TenantEventTypeEntity).create({
        tenantId: principal.tenantId,
        name: input.name,
        description: input.description,
        groupName: input.groupName ?? null,
        ...checked,
      });
      try {
        await m.getRepository(TenantEventTypeEntity).save(row);
      } catch (error) {
        // The unique (tenant_id, name) index decides between two creates racing for one name.
        if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
          throw new EventTypeNameTakenError(input.name);
        }
        throw error;
      }
      const target = { type: 'event_type', id: row.id };
      const metadata = { name: row.name, schemaHash: schemaHash(row.schema) };
      await this.audit.record(principal, 'event_type.created', target, metadata, m);
      return row;
    };
    const row = given ? await run(given) : await this.dataSource.transaction(run);
    if (!given) await this.cache.changed(principal.tenantId);
    return row;
  }

  /** A new schema must accept the type's sample (the given one, or the one it has). */
  async update(
    principal: Principal,
    name: string,
    input: UpdateEventTypeInput,
    given?: EntityManager,
  ): Promise<TenantEventTypeEntity> {
    const run = async (m: EntityManager): Promise<TenantEventTypeEntity> => {
      const row = await this.lock(m, principal.tenantId, name);
      const oldHash = schemaHash(row.schema);
      const schemaGiven = input.schema !== undefined && input.schema !== null;
      const sampleGiven = input.samplePayload !== undefined && input.samplePayload !== null;
      if (schemaGiven || sampleGiven) {
        const checked = this.checkSchemaAndSample(
          schemaGiven ? input.schema : row.schema,
          sampleGiven ? input.samplePayload : row.samplePayload,
        );
        Object.assign(row, checked);
      }
      if (input.description != null) row.description = input.description;
      if (input.deprecated != null) row.deprecated = input.deprecated;
      if (input.groupName !== undefined) row.groupName = input.groupName;
      const saved = await m.getRepository(TenantEventTypeEntity).save(row);
      const changed = Object.keys(input).filter((k) => input[k as keyof UpdateEventTypeInput] !== undefined);
      const metadata = { name, changed, oldSchemaHash: oldHash, newSchemaHash: schemaHash(saved.schema) };
      await this.audit.record(principal, 'event_type.updated', { type: 'event_type', id: row.id }, metadata, m);
      return saved;
    };
    const row = given ? await run(given) : await this.dataSource.transaction(run);
    if (!given) await this.cache.changed(principal.tenantId);
    return row;
  }

  /** Archived: hidden from eventTypes, refused on publish and on new subscriptions. Subscriptions are kept. */
  async setArchived(principal: Principal, name: string, archived: boolean): Promise<TenantEventTypeEntity> {
    const row = await this.dataSource.transaction(async (m) => {
      const found = await this.lock(m, principal.tenantId, name);
      if (found.archived === archived) return found;
      found.archived = archived;
      const saved = await m.getRepository(TenantEventTypeEntity).save(found);
      const action = archived ? 'event_type.archived' : 'event_type.unarchived';
      await this.audit.record(principal, action, { type: 'event_type', id: found.id }, { name }, m);
      return saved;
    });
    await this.cache.changed(principal.tenantId);
    return row;
  }

  private checkSchemaAndSample(schema: unknown, samplePayload: unknown): CheckedDefinition {
    this.validator.checkSchema(schema, 'input.schema');
    const generated = samplePayload === undefined || samplePayload === null;
    const sample = generated ? sampleFromSchema(schema) : samplePayload;
    if (!isObject(sample)) {
      throw new SampleSchemaMismatchError('input.samplePayload', 'must be a JSON object (event payloads are objects)');
    }
    try {
      this.validator.checkSample(schema, sample);
    } catch (error) {
      if (!generated || !(error instanceof SampleSchemaMismatchError)) throw error;
      throw new SampleSchemaMismatchError(
        'input.samplePayload',
        `no sample could be generated that matches the schema (${error.details.field}: ${error.details.reason}); give one`,
      );
    }
    return { schema, samplePayload: sample };
  }

  private async lock(m: EntityManager, tenantId: string, name: string): Promise<TenantEventTypeEntity> {
    if (findPlatformEventType(name)) throw new EventTypeReadOnlyError(name);
    const row = await m
      .getRepository(TenantEventTypeEntity)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.tenant_id = :tenantId AND t.name = :name', { tenantId, name })
      .getOne();
    if (!row) throw new EventTypeNotFoundError(name);
    return row;
  }
}
