import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { systemPrincipal } from '../auth/principal';
import { isUuid } from '../common/ids';
import { MicroBatcher } from '../common/micro-batcher';
import { EndpointEntity, EndpointHealth } from './endpoint.entity';
import { DisableCause, EndpointDisabled, EndpointEvent } from './endpoint.events';
import { failingReason, HealthDecision, HealthTransition, nextHealth } from './endpoint-health';
import { EndpointNotFoundError } from './endpoints.errors';

/** lastSuccessAt of a healthy endpoint is refreshed at this resolution, so most successes write nothing. */
const LAST_SUCCESS_RESOLUTION_MS = 60_000;
/** Overdue endpoints disabled by one sweep. */
const OVERDUE_BATCH = 100;
/** Failures counted per transaction, and transactions at once: the pool (20) keeps room for requests. */
const FAILURE_BATCH = 200;
const FAILURE_BATCHES_AT_ONCE = 2;

interface FailureItem {
  endpointId: string;
  at: Date;
}
type FailureResult = { endpoint: EndpointEntity; transition: HealthTransition };

/**
 * An endpoint's health as its deliveries go: the rules of endpoint-health.ts (nextHealth) applied under a row lock,
 * and the platform's disables (410 Gone, FAILING at disableAt), each announced as EndpointDisabled after commit.
 * These are platform sweeps and reactions, keyed by endpoint id across tenants.
 */
@Injectable()
export class EndpointHealthTracker {
  private readonly failureBatches = new MicroBatcher<FailureItem, FailureResult | null>(
    (items) => this.recordFailures(items),
    { maxItems: FAILURE_BATCH, maxWaitMs: 2, maxConcurrent: FAILURE_BATCHES_AT_ONCE },
  );

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
   * `transition` is the one made by this call. Failures arriving together are counted in one transaction
   * (failureBatches): a backlog failing fast costs a few statements per batch, not five per attempt.
   */
  async recordFailure(
    endpointId: string,
    at: Date,
    lastError: string | null = null,
  ): Promise<{ endpoint: EndpointEntity; transition: HealthTransition }> {
    if (!isUuid(endpointId)) throw new EndpointNotFoundError(endpointId);
    const result = await this.failureBatches.submit({ endpointId, at });
    if (!result) throw new EndpointNotFoundError(endpointId);
    if (result.transition === 'disabled') {
      const disabled = new EndpointDisabled(result.endpoint, DisableCause.FAILING, lastError);
      await this.events.emitAsync(EndpointEvent.Disabled, disabled);
    }
    return result;
  }

  /**
   * One transaction for a batch of failures: the endpoints' rows locked in id order (two batches never deadlock),
   * each endpoint's failures counted at once, the rules applied to what that leaves with the batch's latest time,
   * and the changed endpoints written in one statement. The first failure of an endpoint in the batch carries its
   * transition; the others report 'none'.
   */
  private async recordFailures(items: FailureItem[]): Promise<(FailureResult | null)[]> {
    const byEndpoint = new Map<string, { count: number; first: Date; last: Date }>();
    for (const { endpointId, at } of items) {
      const seen = byEndpoint.get(endpointId);
      if (!seen) byEndpoint.set(endpointId, { count: 1, first: at, last: at });
      else {
        seen.count += 1;
        if (at < seen.first) seen.first = at;
        if (at > seen.last) seen.last = at;
      }
    }
    const ids = [...byEndpoint.keys()].sort();
    const outcomes = await this.dataSource.transaction(async (m) => {
      // One statement: the sub-select takes the row locks in id order, then the rows are counted.
      await m.query(
        `UPDATE endpoints e SET consecutive_failures = e.consecutive_failures + v.n,
                first_failure_at = COALESCE(e.first_failure_at, v.first_at), updated_at = now()
           FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS v(id, n, first_at)
          WHERE e.id = v.id
            AND e.id IN (SELECT id FROM endpoints WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE)`,
        [ids, ids.map((id) => byEndpoint.get(id)!.count), ids.map((id) => byEndpoint.get(id)!.first)],
      );
      const endpoints = await m.find(EndpointEntity, { where: { id: In(ids) } });
      const decided = new Map<string, FailureResult>();
      const changed: { endpoint: EndpointEntity; decision: HealthDecision; reason: string | null }[] = [];
      for (const endpoint of endpoints) {
        const { first, last } = byEndpoint.get(endpoint.id)!;
        const decision = nextHealth({ ...endpoint, firstFailureAt: endpoint.firstFailureAt ?? first }, last);
        const sameDisableAt = decision.disableAt?.getTime() === endpoint.disableAt?.getTime();
        if (decision.transition === 'none' && sameDisableAt) {
          decided.set(endpoint.id, { endpoint, transition: 'none' });
          continue;
        }
        changed.push({
          endpoint,
          decision,
          reason: decision.disable ? failingReason(endpoint.firstFailureAt ?? first) : null,
        });
      }
      if (changed.length > 0) {
        await m.query(
          `UPDATE endpoints e SET health = v.health, disable_at = v.disable_at,
                  is_active = e.is_active AND NOT v.disable,
                  disabled_reason = CASE WHEN v.disable THEN v.reason ELSE e.disabled_reason END,
                  updated_at = now()
             FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::bool[], $5::text[])
                  AS v(id, health, disable_at, disable, reason)
            WHERE e.id = v.id`,
          [
            changed.map((c) => c.endpoint.id),
            changed.map((c) => c.decision.health),
            changed.map((c) => c.decision.disableAt),
            changed.map((c) => c.decision.disable),
            changed.map((c) => c.reason),
          ],
        );
        for (const { endpoint, reason } of changed) {
          if (reason === null) continue;
          const target = { type: 'endpoint', id: endpoint.id };
          await this.audit.record(systemPrincipal(endpoint.tenantId), 'endpoint.disabled', target, { reason }, m);
        }
        const reloaded = await m.find(EndpointEntity, { where: { id: In(changed.map((c) => c.endpoint.id)) } });
        const transitions = new Map(changed.map((c) => [c.endpoint.id, c.decision.transition]));
        for (const endpoint of reloaded) {
          decided.set(endpoint.id, { endpoint, transition: transitions.get(endpoint.id) ?? 'none' });
        }
      }
      return decided;
    });
    const reported = new Set<string>();
    return items.map(({ endpointId }) => {
      const outcome = outcomes.get(endpointId);
      if (!outcome) return null;
      if (reported.has(endpointId)) return { endpoint: outcome.endpoint, transition: 'none' };
      reported.add(endpointId);
      return outcome;
    });
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
