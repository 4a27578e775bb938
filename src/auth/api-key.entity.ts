import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'api_keys' })
@Index('idx_api_keys_tenant', ['tenantId', 'createdAt'])
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('text')
  name: string;

  /** The first characters of the key, shown so a person can tell keys apart. */
  @Column('text')
  prefix: string;

  /** SHA-256 of the whole key; the key itself is never stored. */
  @Index('uq_api_keys_hash', { unique: true })
  @Column('text', { name: 'key_hash', select: false })
  keyHash: string;

  @Column('text', { array: true, default: () => "'{}'" })
  permissions: string[];

  @Column('text', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
