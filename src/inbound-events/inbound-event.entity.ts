import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { IntegrationEntity } from '../integrations/integration.entity';

/** Keys are the GraphQL enum values (registerEnumType uses keys). */
export enum InboundEventStatus {
  PENDING = 'PENDING',
  PROCESSING = 'PROCESSING',
  PROCESSED = 'PROCESSED',
  FAILED = 'FAILED',
  SKIPPED = 'SKIPPED',
}

@Entity({ name: 'inbound_events' })
// Dedupe: one row per provider event id per integration (NULLs, i.e. no id, never collide).
@Index('uq_inbound_events_integration_external', ['integrationId', 'externalId'], { unique: true })
@Index('idx_inbound_events_tenant_integration_received', ['tenantId', 'integrationId', 'receivedAt', 'id'])
@Index('idx_inbound_events_integration_status', ['integrationId', 'status'])
// Retention: a tenant's finished inbound events by the time processing last ended.
@Index('idx_inbound_events_tenant_finished', ['tenantId', 'updatedAt'], {
  where: "status IN ('PROCESSED','SKIPPED','FAILED')",
})
export class InboundEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'integration_id' })
  integrationId: string;

  @ManyToOne(() => IntegrationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id' })
  integration?: IntegrationEntity;

  @Column('text')
  provider: string;

  @Column('text', { name: 'event_code' })
  eventCode: string;

  @Column('text', { name: 'external_id', nullable: true })
  externalId: string | null;

  @Column('text', { default: InboundEventStatus.PENDING })
  status: InboundEventStatus;

  @Column('int', { default: 0 })
  attempts: number;

  /** The failure, or for SKIPPED the reason nothing was published. */
  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  /** The verified body as JSON (for Temu, decrypted into its envelope). */
  @Column('jsonb', { name: 'json_data' })
  jsonData: unknown;

  /**
   * The exact verified body as JSON text, kept only when jsonb cannot hold it (a NUL or a lone surrogate): json_data
   * then holds a copy with those characters replaced, and processing fails the event with the reason.
   */
  @Column('text', { name: 'json_text', nullable: true })
  jsonText: string | null;

  /** Request headers, signature and credential headers already redacted. */
  @Column('jsonb', { nullable: true })
  headers: Record<string, string> | null;

  @Column({ type: 'timestamptz', name: 'received_at', precision: 3, default: () => 'now()' })
  receivedAt: Date;

  @Column({ type: 'timestamptz', name: 'processed_at', precision: 3, nullable: true })
  processedAt: Date | null;

  @Column('uuid', { name: 'produced_event_id', nullable: true })
  producedEventId: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
