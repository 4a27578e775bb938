import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Keys are the GraphQL enum values (registerEnumType uses keys). */
export enum EndpointHealth {
  HEALTHY = 'HEALTHY',
  DEGRADED = 'DEGRADED',
  FAILING = 'FAILING',
  DISABLED = 'DISABLED',
}

@Entity({ name: 'endpoints' })
@Index('idx_endpoints_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('idx_endpoints_tenant_registration', ['tenantId', 'registrationId'])
export class EndpointEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('text')
  url: string;

  /** Set when the endpoint is one URL of a webhook registration (registrations/), which manages its URL and secret. */
  @Column('uuid', { name: 'registration_id', nullable: true })
  registrationId: string | null;

  @Column('text', { nullable: true })
  description: string | null;

  /** Empty: every business event type (operational types must be listed explicitly). */
  @Column('text', { name: 'event_types', array: true, default: () => "'{}'" })
  eventTypes: string[];

  /** Empty: every channel. */
  @Column('text', { array: true, default: () => "'{}'" })
  channels: string[];

  @Column('boolean', { name: 'is_active', default: true })
  isActive: boolean;

  @Column('text', { name: 'disabled_reason', nullable: true })
  disabledReason: string | null;

  @Column('text', { default: EndpointHealth.HEALTHY })
  health: EndpointHealth;

  @Column('int', { name: 'consecutive_failures', default: 0 })
  consecutiveFailures: number;

  @Column('timestamptz', { name: 'first_failure_at', nullable: true })
  firstFailureAt: Date | null;

  @Column('timestamptz', { name: 'last_success_at', nullable: true })
  lastSuccessAt: Date | null;

  @Column('timestamptz', { name: 'disable_at', nullable: true })
  disableAt: Date | null;

  @Column('timestamptz', { name: 'verified_at', nullable: true })
  verifiedAt: Date | null;

  @Column('int', { name: 'rate_limit_per_second', nullable: true })
  rateLimitPerSecond: number | null;

  @Column('jsonb', { nullable: true })
  headers: Record<string, string> | null;

  @Column('jsonb', { nullable: true })
  metadata: Record<string, unknown> | null;

  /** AES-256-GCM box of the whsec_ secret; never selected by default, never in GraphQL. */
  @Column('text', { name: 'secret_encrypted', select: false })
  secretEncrypted: string;

  @Column('text', { name: 'previous_secret_encrypted', nullable: true, select: false })
  previousSecretEncrypted: string | null;

  @Column('timestamptz', { name: 'previous_secret_expires_at', nullable: true })
  previousSecretExpiresAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
