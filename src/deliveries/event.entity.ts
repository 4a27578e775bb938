import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'events' })
@Index('idx_events_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('idx_events_tenant_type', ['tenantId', 'eventType'])
export class EventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('text', { name: 'event_type' })
  eventType: string;

  @Column('jsonb')
  payload: Record<string, unknown>;

  @Column('text', { array: true, default: () => "'{}'" })
  channels: string[];

  @Column('text', { name: 'ordering_key', nullable: true })
  orderingKey: string | null;

  @Column('text', { name: 'idempotency_key', nullable: true })
  idempotencyKey: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
