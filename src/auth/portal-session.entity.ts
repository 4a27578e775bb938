import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A short-lived portal credential (createPortalSession); the token itself is never stored, only its SHA-256. */
@Entity({ name: 'portal_sessions' })
@Index('idx_portal_sessions_tenant_expires', ['tenantId', 'expiresAt'])
export class PortalSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  /** SHA-256 of the whole token: the one indexed lookup of every request made with it. */
  @Index('uq_portal_sessions_token_hash', { unique: true })
  @Column('text', { name: 'token_hash', select: false })
  tokenHash: string;

  @Column('text', { array: true })
  permissions: string[];

  /** The session sees only endpoints of this channel; null: every endpoint of the tenant. */
  @Column('text', { nullable: true })
  channel: string | null;

  /** The API key that created it (its revocation ends the session); null when an admin JWT did. */
  @Index('idx_portal_sessions_api_key')
  @Column('uuid', { name: 'created_by_api_key_id', nullable: true })
  createdByApiKeyId: string | null;

  /** `api_key:<id>` or `user:<sub>`, as the audit log names actors. */
  @Column('text', { name: 'created_by' })
  createdBy: string;

  @Column({ type: 'timestamptz', name: 'expires_at', precision: 3 })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
