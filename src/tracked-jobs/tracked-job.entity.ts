import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Keys are the GraphQL enum values (registerEnumType uses keys), so they are UPPER_CASE like the values. */
export enum TrackedJobStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

@Entity({ name: 'tracked_jobs' })
@Index('idx_tracked_jobs_tenant_created', ['tenantId', 'createdAt'])
@Index('idx_tracked_jobs_status', ['status'])
export class TrackedJobEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('text')
  type: string;

  @Column('text')
  status: TrackedJobStatus;

  @Column('int', { default: 0 })
  progress: number;

  @Column('int', { nullable: true })
  total: number | null;

  /** What the job works on (ids, filters); never secrets. */
  @Column('jsonb', { default: () => "'{}'" })
  params: Record<string, unknown>;

  @Column('jsonb', { nullable: true })
  result: Record<string, unknown> | null;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('boolean', { name: 'cancel_requested', default: false })
  cancelRequested: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}
