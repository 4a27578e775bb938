import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService } from '../auth/audit.service';
import { systemPrincipal } from '../auth/principal';
import { isUuid } from '../common/ids';
import { EndpointEntity, EndpointHealth } from './endpoint.entity';
import { DisableCause, EndpointDisabled, EndpointEvent } from './endpoint.events';
import { failingReason, HealthTransition, nextHealth } from './endpoint-health';
import { EndpointNotFoundError } from './endpoints.errors';

/** lastSuccessAt of a healthy endpoint is refreshed at this resolution, so most successes write nothing. */
const LAST_SUCCESS_RESOLUTION_MS = 60_000;
/** Overdue endpoints disabled by one sweep. */
const OVERDUE_BATCH = 100;

/**
 * An endpoint's health as its deliveries go: the rules of endpoint-health.ts (nextHealth) applied under a row lock,
 * and the platform's disables (410 Gone, FAILING at disableAt), each announced as EndpointDisabled after commit.
 * These are platform sweeps and reactions, keyed by endpoint id across tenants.
 */
@Injectable()
export class EndpointHealthTracker {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
  ) {}

  /** A delivery succeeded: HEALTHY again. Writes nothing when the endpoint was healthy and lastSuccessAt is recent. */
  async recordSuccess(endpointId: string, at: Date): Promise<void> {
    if (!isUuid(endpointId)) return;
    await this.dataSource.query(
      `UPDATE endpoints
          SET health = CASE WHEN is_active THEN 'HEALTHY' ELSE health END,
              consecutive_failures = 0, first_failure_at = NULL, disable_at = NULL,
              last_success_at = GREATEST(COALESCE(last_success_at, $2), $2), updated_at = now()
        WHERE id = $1
          AND (consecutive_failures <> 0 OR first_failure_at IS NOT NULL OR (is_active AND health <> 'HEALTHY')
               OR last_success_at IS NULL OR last_success_at < $2::timestamptz - $3 * interval '1 millisecond')`,
      [endpointId, at, LAST_SUCCESS_RESOLUTION_MS],
    );
  }

  /**
   * A delivery failed: counts it atomically and applies the health rules (nextHealth). The row stays locked
   * until the decision is written, so concurrent failures see each other and each transition happens once;
   * `transition` is the one made by this call.
   */
  async recordFailure(
    endpointId: string,
    at: Date,
    lastError: string | null = null,
  ): Promise<{ endpoint: EndpointEntity; transition: HealthTransition }> {
    if (!isUuid(endpointId)) throw new EndpointNotFoundError(endpointId);
    type Result = { endpoint: EndpointEntity; transition: HealthTransition };
    const result = await this.dataSource.transaction(async (m): Promise<Result> => {
      const counted = await m
        .createQueryBuilder()
        .update(EndpointEntity)
        .set({
          consecutiveFailures: () => 'consecutive_failures + 1',
          firstFailureAt: () => 'COALESCE(first_failure_at, :at)',
        })
        .where('id = :id', { id: endpointId })
        .setParameter('at', at)
        .returning('id')
        .execute();
      if ((counted.raw as unknown[]).length === 0) throw new EndpointNotFoundError(endpointId);
      const endpoint = await m.findOneByOrFail(EndpointEntity, { id: endpointId });
      const decision = nextHealth({ ...endpoint, firstFailureAt: endpoint.firstFailureAt ?? at }, at);
      const sameDisableAt = decision.disableAt?.getTime() === endpoint.disableAt?.getTime();
      if (decision.transition === 'none' && sameDisableAt) return { endpoint, transition: 'none' };

      const patch: Partial<EndpointEntity> = { health: decision.health, disableAt: decision.disableAt };
      if (decision.disable) {
        Object.assign(patch, { isActive: false, disabledReason: failingReason(endpoint.firstFailureAt ?? at) });
      }
      await m.update(EndpointEntity, { id: endpointId }, patch as QueryDeepPartialEntity<EndpointEntity>);
      if (decision.disable) {
        const target = { type: 'endpoint', id: endpointId };
        const system = systemPrincipal(endpoint.tenantId);
        await this.audit.record(system, 'endpoint.disabled', target, { reason: patch.disabledReason }, m);
      }
      return { endpoint: await m.findOneByOrFail(EndpointEntity, { id: endpointId }), transition: decision.transition };
    });
    if (result.transition === 'disabled') {
      const disabled = new EndpointDisabled(result.endpoint, DisableCause.FAILING, lastError);
      await this.events.emitAsync(EndpointEvent.Disabled, disabled);
    }
    return result;
  }

  /** Disables an endpoint for the platform (410 Gone); `changed` is false when it was already disabled. */
  async disable(
    endpointId: string,
    reason: string,
    cause = DisableCause.GONE,
    lastError: string | null = null,
  ): Promise<{ endpoint: EndpointEntity; changed: boolean }> {
    if (!isUuid(endpointId)) throw new EndpointNotFoundError(endpointId);
    const result = await this.dataSource.transaction(async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(EndpointEntity)
        .set({ isActive: false, health: EndpointHealth.DISABLED, disabledReason: reason, disableAt: null })
        .where('id = :id AND (is_active OR health <> :disabled)', { id: endpointId, disabled: EndpointHealth.DISABLED })
        .returning('tenant_id')
        .execute();
      const rows = res.raw as { tenant_id: string }[];
      const endpoint = await m.findOneBy(EndpointEntity, { id: endpointId });
      if (!endpoint) throw new EndpointNotFoundError(endpointId);
      if (rows.length > 0) {
        const target = { type: 'endpoint', id: endpointId };
        await this.audit.record(systemPrincipal(endpoint.tenantId), 'endpoint.disabled', target, { reason }, m);
      }
      return { endpoint, changed: rows.length > 0 };
    });
    if (result.changed) {
      await this.events.emitAsync(EndpointEvent.Disabled, new EndpointDisabled(result.endpoint, cause, lastError));
    }
    return result;
  }

  /**
   * A FAILING endpoint is disabled at disableAt even when no further attempt comes to notice it (a platform
   * sweep across tenants, run by the reconciler). Returns the endpoints this call disabled.
   */
  async disableOverdue(now = new Date()): Promise<EndpointEntity[]> {
    const due = await this.dataSource
      .getRepository(EndpointEntity)
      .createQueryBuilder('e')
      .where('e.is_active AND e.disable_at IS NOT NULL AND e.disable_at <= :now', { now })
      .orderBy('e.disable_at')
      .take(OVERDUE_BATCH)
      .getMany();
    const disabled: EndpointEntity[] = [];
    for (const e of due) {
      const reason = failingReason(e.firstFailureAt ?? (e.disableAt as Date));
      const { endpoint, changed } = await this.disable(e.id, reason, DisableCause.FAILING);
      if (changed) disabled.push(endpoint);
    }
    return disabled;
  }
}
