import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  ManyToOne,
  JoinColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { EventEntity } from './event.entity';

/** Keys are the GraphQL enum values (registerEnumType uses keys). */
export enum DeliveryStatus {
  HELD = 'HELD',
  PENDING = 'PENDING',
  IN_FLIGHT = 'IN_FLIGHT',
  RETRYING = 'RETRYING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  DEAD_LETTER = 'DEAD_LETTER',
}

export const FINAL_STATUSES = [DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED, DeliveryStatus.DEAD_LETTER];
export const ACTIVE_STATUSES = [DeliveryStatus.PENDING, DeliveryStatus.IN_FLIGHT, DeliveryStatus.RETRYING];
/** Waiting for an attempt (now or at next_attempt_at). */
export const DUE_STATUSES = [DeliveryStatus.PENDING, DeliveryStatus.RETRYING];

@Entity({ name: 'deliveries' })
@Index('idx_deliveries_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('idx_deliveries_endpoint_created', ['endpointId', 'createdAt'])
@Index('idx_deliveries_event', ['eventId'])
@Index('idx_deliveries_due', ['nextAttemptAt'], { where: "status IN ('PENDING','RETRYING','IN_FLIGHT')" })
@Index('idx_deliveries_lane', ['endpointId', 'orderingKey', 'seq'], { where: 'ordering_key IS NOT NULL' })
@Index('idx_deliveries_held', ['endpointId', 'seq'], { where: "status = 'HELD'" })
@Index('idx_deliveries_endpoint_due', ['endpointId', 'nextAttemptAt'], { where: "status IN ('PENDING','RETRYING')" })
// Retention: a tenant's final deliveries by the time they became final (a final row is never updated again).
@Index('idx_deliveries_tenant_final', ['tenantId', 'updatedAt'], {
  where: "status IN ('SUCCEEDED','FAILED','DEAD_LETTER')",
})
export class DeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Publish order: ordering lanes and HELD release follow it. */
  @Column('bigint')
  @Generated('increment')
  seq: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'endpoint_id' })
  endpointId: string;

  @ManyToOne(() => EndpointEntity, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: EndpointEntity;

  @Column('uuid', { name: 'event_id' })
  eventId: string;

  @ManyToOne(() => EventEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: EventEntity;

  @Column('text', { name: 'event_type' })
  eventType: string;

  @Column('text')
  status: DeliveryStatus;

  @Column('int', { name: 'attempt_count', default: 0 })
  attemptCount: number;

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt: Date | null;

  @Column('int', { name: 'last_response_status', nullable: true })
  lastResponseStatus: number | null;

  @Column('int', { name: 'last_response_time_ms', nullable: true })
  lastResponseTimeMs: number | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('uuid', { name: 'replay_of_id', nullable: true })
  replayOfId: string | null;

  @Column('boolean', { name: 'is_test', default: false })
  isTest: boolean;

  @Column('text', { name: 'ordering_key', nullable: true })
  orderingKey: string | null;

  /**
   * The W3C traceparent of the publish span of this delivery's event (README "Tracing"): its attempts, in any
   * worker and after any retry, re-queue or Redis restart, are that span's children. Null with tracing off.
   * Optional in the type: rows built before the column (and replays copying them) have none.
   */
  @Column('text', { name: 'trace_parent', nullable: true })
  traceParent?: string | null;

  /** The exact JSON body sent: {id, type, timestamp, data} with data after any reducer; json keeps its text. */
  @Column('json')
  payload: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
