import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A partner registration: its URLs are endpoints (endpoints.registration_id), which also hold its one secret. */
@Entity({ name: 'webhook_registrations' })
@Index('idx_webhook_registrations_tenant_created', ['tenantId', 'createdAt', 'id'])
export class WebhookRegistrationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('text', { name: 'shop_id', nullable: true })
  shopId: string | null;

  /** Empty: every business event type, as for an endpoint. */
  @Column('text', { name: 'event_types', array: true, default: () => "'{}'" })
  eventTypes: string[];

  @Column('text', { nullable: true })
  description: string | null;

  @Column('boolean', { name: 'is_active', default: true })
  isActive: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
