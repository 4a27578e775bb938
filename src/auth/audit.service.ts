import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Page, paginate } from '../common/graphql/pagination';
import {
  addPurge,
  cutoffParams,
  CUTOFFS_SQL,
  deletedCount,
  onlyDue,
  purgeInBatches,
  PurgeResult,
  TenantCutoff,
  untilEmpty,
} from '../common/purge-batches';
import { AuditLogEntity } from './audit-log.entity';
import { Principal } from './principal';

/** Keys whose values never reach the audit log, whatever a caller passes. */
const SECRET_KEY = /secret|password|passwd|token|credential|authorization|api[-_]?key|^key$|private|signature|hmac/i;
const SECRET_VALUE = /^(whsec_|whk_|whp_)|^Bearer\s/i;
const REDACTED = '[redacted]';

export function stripSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return REDACTED;
  if (typeof value === 'string')
    return SECRET_VALUE.test(value) ? REDACTED : value.length > 2000 ? `${value.slice(0, 2000)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => stripSecrets(v, depth + 1));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : stripSecrets(v, depth + 1);
    return out;
  }
  return value;
}

export interface AuditTarget {
  type: string;
  id?: string | null;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditLogEntity) private readonly logs: Repository<AuditLogEntity>) {}

  /** Records who did what to which object; pass the transaction's manager to commit with the change. */
  async record(
    principal: Principal,
    action: string,
    target: AuditTarget,
    metadata?: Record<string, unknown>,
    manager?: EntityManager,
  ): Promise<void> {
    const repo = manager ? manager.getRepository(AuditLogEntity) : this.logs;
    await repo.insert({
      tenantId: principal.tenantId,
      action,
      actorType: principal.actorType,
      actorId: principal.actorId,
      targetType: target.type,
      targetId: target.id ?? null,
      metadata: metadata ? (stripSecrets(metadata) as Record<string, unknown>) : null,
    } as QueryDeepPartialEntity<AuditLogEntity>);
  }

  async list(
    tenantId: string,
    args: { first?: number | null; after?: string | null; action?: string | null; targetId?: string | null },
  ): Promise<Page<AuditLogEntity>> {
    const qb = this.logs.createQueryBuilder('a').where('a.tenant_id = :tenantId', { tenantId });
    if (args.action) qb.andWhere('a.action = :action', { action: args.action });
    if (args.targetId) qb.andWhere('a.target_id = :targetId', { targetId: args.targetId });
    return paginate(qb, 'a', args, (e) => e);
  }

  /** Deletes entries older than each tenant's cut-off (retention); only tenants with any get batches. */
  async purgeBefore(cutoffs: TenantCutoff[], batchSize: number, onBatch?: (n: number) => void): Promise<PurgeResult> {
    const total: PurgeResult = { deleted: 0, statements: 0 };
    if (cutoffs.length === 0) return total;
    const due = (await this.logs.query(
      `SELECT c.tenant_id FROM ${CUTOFFS_SQL}
        WHERE EXISTS (SELECT 1 FROM audit_logs a WHERE a.tenant_id = c.tenant_id AND a.created_at < c.before)`,
      cutoffParams(cutoffs),
    )) as { tenant_id: string }[];
    for (const { tenantId, before } of onlyDue(cutoffs, due)) {
      const purged = await purgeInBatches(async () => {
        const result: unknown = await this.logs.query(
          `DELETE FROM audit_logs WHERE ctid = ANY(ARRAY(
             SELECT ctid FROM audit_logs WHERE tenant_id = $1 AND created_at < $2 LIMIT $3))`,
          [tenantId, before, batchSize],
        );
        return untilEmpty(deletedCount(result));
      }, onBatch);
      addPurge(total, purged);
    }
    return total;
  }
}
