import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DeliveryEntity } from './delivery.entity';

@Entity({ name: 'delivery_attempts' })
@Index('idx_attempts_delivery', ['deliveryId', 'attemptNumber'])
@Index('idx_attempts_tenant_started', ['tenantId', 'startedAt'])
@Index('idx_attempts_endpoint_started', ['endpointId', 'startedAt'])
export class DeliveryAttemptEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'delivery_id' })
  deliveryId: string;

  @ManyToOne(() => DeliveryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id' })
  delivery?: DeliveryEntity;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'endpoint_id' })
  endpointId: string;

  @Column('int', { name: 'attempt_number' })
  attemptNumber: number;

  @Column({ type: 'timestamptz', name: 'started_at', precision: 3 })
  startedAt: Date;

  @Column('int', { name: 'response_status', nullable: true })
  responseStatus: number | null;

  @Column('int', { name: 'response_time_ms', nullable: true })
  responseTimeMs: number | null;

  @Column('text', { name: 'response_body', nullable: true })
  responseBody: string | null;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('boolean')
  success: boolean;
}
