import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'integrations' })
@Index('idx_integrations_tenant_created', ['tenantId', 'createdAt', 'id'])
@Index('uq_integrations_brand_token_hash', ['brandTokenHash'], { unique: true, where: 'brand_token_hash IS NOT NULL' })
export class IntegrationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  /** An adapter name from integrations/providers (faire, temu, generic). */
  @Column('text')
  provider: string;

  @Column('text')
  name: string;

  @Column('boolean', { name: 'is_active', default: true })
  isActive: boolean;

  /** SecretBox of the webhook signing secret; never selected by default, never in GraphQL. */
  @Column('text', { name: 'webhook_secret_encrypted', nullable: true, select: false })
  webhookSecretEncrypted: string | null;

  /** SecretBox of the credentials JSON (API keys, base URL); never selected by default, never in GraphQL. */
  @Column('text', { name: 'credentials_encrypted', nullable: true, select: false })
  credentialsEncrypted: string | null;

  /**
   * Faire: hex SHA-256 of the brand token its callbacks to POST /inbound/faire carry; never selected by default,
   * never in GraphQL. Unique across tenants (that route names no tenant).
   */
  @Column('text', { name: 'brand_token_hash', nullable: true, select: false })
  brandTokenHash: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
