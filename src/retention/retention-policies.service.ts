import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { Principal } from '../auth/principal';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RetentionPolicyEntity } from './retention-policy.entity';
import {
  applyChanges,
  effectivePolicy,
  PolicyChanges,
  RetentionDays,
  StoredPolicy,
  validateChanges,
} from './retention-rules';

export const RETENTION_POLICY_UPDATED = 'retention_policy.updated';

function stored(row: RetentionPolicyEntity | null | undefined): StoredPolicy | null {
  if (!row) return null;
  return {
    deliveriesDays: row.deliveriesDays,
    inboundEventsDays: row.inboundEventsDays,
    auditLogDays: row.auditLogDays,
  };
}

/** Each tenant's retention policy: the env defaults, overridden field by field by the tenant's own row. */
@Injectable()
export class RetentionPolicies {
  private readonly defaults: RetentionDays;

  constructor(
    @InjectRepository(RetentionPolicyEntity) private readonly policies: Repository<RetentionPolicyEntity>,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly audit: AuditService,
  ) {
    const { deliveriesDays, inboundEventsDays, auditLogDays } = config.retention;
    this.defaults = { deliveriesDays, inboundEventsDays, auditLogDays };
  }

  async get(tenantId: string): Promise<RetentionDays> {
    return effectivePolicy(stored(await this.policies.findOneBy({ tenantId })), this.defaults);
  }

  /** The policy in force for each of these tenants (the sweep reads a page of tenants at a time). */
  async getMany(tenantIds: string[]): Promise<Map<string, RetentionDays>> {
    const rows = tenantIds.length > 0 ? await this.policies.findBy({ tenantId: In(tenantIds) }) : [];
    const byTenant = new Map(rows.map((r) => [r.tenantId, r]));
    return new Map(tenantIds.map((id) => [id, effectivePolicy(stored(byTenant.get(id)), this.defaults)]));
  }

  /**
   * Changes the caller's tenant's policy (validated first: a refused update writes nothing) and records who changed
   * what, before and after, in the audit log of the same transaction. Concurrent updates are serialised on the row.
   */
  async update(principal: Principal, changes: PolicyChanges): Promise<RetentionDays> {
    validateChanges(changes);
    const tenantId = principal.tenantId;
    return this.policies.manager.transaction(async (m) => {
      const repo = m.getRepository(RetentionPolicyEntity);
      await repo.createQueryBuilder().insert().values({ tenantId }).orIgnore().execute();
      const row = await repo.findOne({ where: { tenantId }, lock: { mode: 'pessimistic_write' } });
      const before = stored(row);
      const next = applyChanges(before, changes);
      await repo.update({ tenantId }, next);
      const policy = effectivePolicy(next, this.defaults);
      await this.audit.record(
        principal,
        RETENTION_POLICY_UPDATED,
        { type: 'tenant', id: tenantId },
        { before: effectivePolicy(before, this.defaults), after: policy, overrides: next },
        m,
      );
      return policy;
    });
  }
}
