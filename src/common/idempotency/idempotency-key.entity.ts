import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export enum IdempotencyState {
  InProgress = 'in_progress',
  Completed = 'completed',
}

/** One (tenant, operation, key): the fingerprint of the first input and, once done, its result. Kept 24 h. */
@Entity({ name: 'idempotency_keys' })
@Index('idx_idempotency_keys_expires', ['expiresAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn('text', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryColumn('text')
  operation: string;

  @PrimaryColumn('text')
  key: string;

  @Column('text')
  fingerprint: string;

  @Column('text')
  state: IdempotencyState;

  /** A reference to the result (e.g. { endpointId }); the service re-reads the object from it. */
  @Column('jsonb', { nullable: true })
  result: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;
}
