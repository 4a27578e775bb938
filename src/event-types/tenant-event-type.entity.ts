import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** An event type a tenant defined (source TENANT); only that tenant sees it. Names are unique per tenant. */
@Entity({ name: 'tenant_event_types' })
@Index('uq_tenant_event_types_tenant_name', ['tenantId', 'name'], { unique: true })
export class TenantEventTypeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('text')
  name: string;

  @Column('text')
  description: string;

  @Column('jsonb')
  schema: Record<string, unknown>;

  @Column('jsonb', { name: 'sample_payload' })
  samplePayload: Record<string, unknown>;

  @Column('text', { name: 'group_name', nullable: true })
  groupName: string | null;

  @Column('boolean', { default: false })
  deprecated: boolean;

  @Column('boolean', { default: false })
  archived: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
