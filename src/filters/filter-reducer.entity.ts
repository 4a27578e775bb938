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
import { EndpointEntity } from '../endpoints/endpoint.entity';

/** One filter/reducer configuration per (endpoint, event type). */
@Entity({ name: 'endpoint_filters' })
@Index('uq_endpoint_filters_endpoint_type', ['endpointId', 'eventType'], { unique: true })
@Index('idx_endpoint_filters_tenant', ['tenantId'])
export class FilterReducerEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'endpoint_id' })
  endpointId: string;

  @ManyToOne(() => EndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: EndpointEntity;

  @Column('text', { name: 'event_type' })
  eventType: string;

  @Column('jsonb', { nullable: true })
  filter: Record<string, unknown> | null;

  /** json, not jsonb: the text as saved, so the reducer's output keeps its member order. */
  @Column('json', { nullable: true })
  reducer: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
