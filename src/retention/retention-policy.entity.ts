import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A tenant's own retention periods; a NULL column follows the service default (RETENTION_*_DAYS). */
@Entity({ name: 'retention_policies' })
// The same 1–3650 bounds the service checks, kept by the database too.
@Check(
  'chk_retention_policies_days',
  '(deliveries_days IS NULL OR deliveries_days BETWEEN 1 AND 3650) AND ' +
    '(inbound_events_days IS NULL OR inbound_events_days BETWEEN 1 AND 3650) AND ' +
    '(audit_log_days IS NULL OR audit_log_days BETWEEN 1 AND 3650)',
)
export class RetentionPolicyEntity {
  @PrimaryColumn('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('int', { name: 'deliveries_days', nullable: true })
  deliveriesDays: number | null;

  @Column('int', { name: 'inbound_events_days', nullable: true })
  inboundEventsDays: number | null;

  @Column('int', { name: 'audit_log_days', nullable: true })
  auditLogDays: number | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
