import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  DataSource,
  EntityManager,
  In,
  ObjectLiteral,
  QueryFailedError,
  Repository,
  SelectQueryBuilder,
} from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { channelScope, Principal } from '../auth/principal';
import { isUuid } from '../common/ids';
import { EndpointsService } from '../endpoints/endpoints.service';
import { UnknownEventTypeError } from '../event-types/event-types.errors';
import { EventTypesService } from '../event-types/event-types.service';
import { CompiledConfigs, FanoutDecision } from './compiled-configs';
import { SaveFilterReducerInput } from './dto/save-filter-reducer.input';
import { ValidateFilterInput } from './dto/validate-filter.input';
import { ValidateReducerInput } from './dto/validate-reducer.input';
import { FilterReducerEntity } from './filter-reducer.entity';
import { FilterValidationResult, ReducerValidationResult } from './filter-reducer.model';
import { toStorableConfig, validateFilter, validateReducer } from './filter-validation';
import { EndpointNotFoundError } from '../endpoints/endpoints.errors';

export type { FanoutDecision } from './compiled-configs';

const AUDIT_TARGET = 'endpoint_filter';
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * One row per (endpoint, event type). updated_at only moves forward, even for two saves in the
 * same millisecond, because it is the version that the compiled caches of every process check.
 */
const UPSERT = `
  INSERT INTO endpoint_filters (tenant_id, endpoint_id, event_type, filter, reducer)
  VALUES ($1, $2, $3, $4::jsonb, $5::json)
  ON CONFLICT (endpoint_id, event_type) DO UPDATE
    SET filter = EXCLUDED.filter,
        reducer = EXCLUDED.reducer,
        updated_at = GREATEST(clock_timestamp(), endpoint_filters.updated_at + interval '1 millisecond')
    WHERE endpoint_filters.tenant_id = EXCLUDED.tenant_id
  RETURNING id`;

/** Work between two turns of the event loop while one publish evaluates its configurations. */
const YIELD_AFTER_MS = 10;

@Injectable()
export class FiltersService {
  private readonly logger = new Logger(FiltersService.name);
  private readonly compiled = new CompiledConfigs((problem) =>
    this.logger.warn({ msg: `filter configuration could not run at fan-out: ${problem.outcome}`, ...problem }),
  );

  constructor(
    @InjectRepository(FilterReducerEntity) private readonly configs: Repository<FilterReducerEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly endpoints: EndpointsService,
    private readonly audit: AuditService,
    private readonly eventTypes: EventTypesService,
  ) {}

  validateFilter(input: ValidateFilterInput): FilterValidationResult {
    return validateFilter(input);
  }

  validateReducer(input: ValidateReducerInput): ReducerValidationResult {
    return validateReducer(input);
  }

  /** Replaces the endpoint's configuration for the event type (a part left out is removed). */
  async save(principal: Principal, endpointId: string, input: SaveFilterReducerInput): Promise<FilterReducerEntity> {
    const { tenantId } = principal;
    await this.endpoints.find(tenantId, endpointId, channelScope(principal));
    const eventType = await this.eventTypes.find(tenantId, input.eventType);
    if (eventType === undefined) throw UnknownEventTypeError.withHint(input.eventType);
    const { filter, reducer } = toStorableConfig(input, eventType.samplePayload);
    const saved = await this.dataSource.transaction(async (manager) => {
      const rows = await this.upsert(
        manager,
        [tenantId, endpointId, input.eventType, json(filter), json(reducer)],
        endpointId,
      );
      if (rows.length === 0) throw new EndpointNotFoundError(endpointId);
      const entity = await manager.findOneByOrFail(FilterReducerEntity, { id: rows[0].id, tenantId });
      await this.audit.record(
        principal,
        'filter_reducer.saved',
        { type: AUDIT_TARGET, id: entity.id },
        { endpointId, eventType: input.eventType, hasFilter: filter !== null, hasReducer: reducer !== null },
        manager,
      );
      return entity;
    });
    this.compiled.invalidate(saved.id);
    return saved;
  }

  async delete(principal: Principal, endpointId: string, eventType: string): Promise<boolean> {
    const { tenantId } = principal;
    await this.endpoints.find(tenantId, endpointId, channelScope(principal));
    const deletedId = await this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .delete()
        .from(FilterReducerEntity)
        .where('tenant_id = :tenantId AND endpoint_id = :endpointId AND event_type = :eventType', {
          tenantId,
          endpointId,
          eventType,
        })
        .returning('id')
        .execute();
      const rows = result.raw as { id: string }[];
      if (rows.length === 0) return null;
      await this.audit.record(
        principal,
        'filter_reducer.deleted',
        { type: AUDIT_TARGET, id: rows[0].id },
        { endpointId, eventType },
        manager,
      );
      return rows[0].id;
    });
    if (deletedId === null) return false;
    this.compiled.invalidate(deletedId);
    return true;
  }

  /** For Endpoint.filters: the endpoint's configurations, by event type. */
  async listForEndpoint(tenantId: string, endpointId: string): Promise<FilterReducerEntity[]> {
    if (!isUuid(endpointId)) return [];
    return this.configs.find({ where: { tenantId, endpointId }, order: { eventType: 'ASC' } });
  }

  /** Endpoint.filters batched (DataLoader): the configurations of many endpoints of one tenant in one query. */
  async listForEndpoints(
    tenantId: string,
    endpointIds: readonly string[],
  ): Promise<Map<string, FilterReducerEntity[]>> {
    const ids = endpointIds.filter(isUuid);
    const rows = ids.length
      ? await this.configs.find({ where: { tenantId, endpointId: In(ids) }, order: { eventType: 'ASC' } })
      : [];
    const byEndpoint = new Map<string, FilterReducerEntity[]>(endpointIds.map((id) => [id, []]));
    for (const row of rows) byEndpoint.get(row.endpointId)?.push(row);
    return byEndpoint;
  }

  /**
   * The configurations of these endpoints for one event type: one query, reusable for a whole publish batch.
   * Pass the caller's transaction manager: a second pooled connection taken inside a transaction can
   * deadlock the pool under load (every connection held by a transaction waiting for another).
   */
  async fanoutConfigs(
    tenantId: string,
    endpointIds: string[],
    eventType: string,
    manager?: EntityManager,
  ): Promise<FilterReducerEntity[]> {
    const ids = [...new Set(endpointIds.filter(isUuid))];
    if (ids.length === 0) return [];
    return (manager ? manager.getRepository(FilterReducerEntity) : this.configs)
      .createQueryBuilder('f')
      .select(['f.id', 'f.endpointId', 'f.filter', 'f.reducer', 'f.updatedAt'])
      .where('f.tenant_id = :tenantId', { tenantId })
      .andWhere('f.endpoint_id = ANY(:ids)', { ids })
      .andWhere('f.event_type = :eventType', { eventType })
      .getMany();
  }

  /**
   * For the fan-out's query over endpoints: selects, as the column `as`, whether the endpoint (`endpointId`, an id
   * column of that query) has a configuration for this event type. Publish learns it in the same round trip as its
   * targets, and skips fanoutConfigs when none has one. This module owns endpoint_filters; the caller the rest.
   */
  selectHasConfiguration<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    q: { endpointId: string; tenantId: string; eventType: string; as: string },
  ): SelectQueryBuilder<T> {
    const exists = `EXISTS (SELECT 1 FROM endpoint_filters f
      WHERE f.endpoint_id = ${q.endpointId} AND f.tenant_id = :filterTenantId AND f.event_type = :filterEventType)`;
    return qb.addSelect(exists, q.as).setParameters({ filterTenantId: q.tenantId, filterEventType: q.eventType });
  }

  /**
   * Endpoints without a configuration are absent from the map: they get the event as published. Each decision is
   * bounded (about 50 ms at worst); between them the event loop gets a turn once 10 ms have gone, so a publish with
   * many heavy configurations never holds it for the sum of them.
   */
  async decideForFanout(
    configs: FilterReducerEntity[],
    payload: Record<string, unknown>,
  ): Promise<Map<string, FanoutDecision>> {
    const decisions = new Map<string, FanoutDecision>();
    let since = performance.now();
    for (const config of configs) {
      decisions.set(config.endpointId, this.compiled.decide(config, payload));
      if (performance.now() - since > YIELD_AFTER_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        since = performance.now();
      }
    }
    return decisions;
  }

  private async upsert(manager: EntityManager, params: unknown[], endpointId: string): Promise<{ id: string }[]> {
    try {
      return (await manager.query(UPSERT, params)) as { id: string }[];
    } catch (error) {
      // The endpoint was deleted between the check and the insert.
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === FOREIGN_KEY_VIOLATION
      ) {
        throw new EndpointNotFoundError(endpointId);
      }
      throw error;
    }
  }
}

function json(value: object | null): string | null {
  return value === null ? null : JSON.stringify(value);
}
