import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { IntegrationEntity } from './integration.entity';

/** Local mirror of the event codes a Temu integration is subscribed to (written after Temu accepted the change). */
@Entity({ name: 'temu_webhooks' })
@Index('uq_temu_webhooks_integration_code', ['integrationId', 'eventCode'], { unique: true })
export class TemuWebhookEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'integration_id' })
  integrationId: string;

  @ManyToOne(() => IntegrationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id' })
  integration?: IntegrationEntity;

  @Column('text', { name: 'event_code' })
  eventCode: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
