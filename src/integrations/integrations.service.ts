import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, Repository } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { Principal } from '../auth/principal';
import { SecretBox } from '../common/crypto/secret-box';
import { isUuid } from '../common/ids';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CreateIntegrationInput } from './dto/create-integration.input';
import { UpdateIntegrationInput } from './dto/update-integration.input';
import { brandTokenMatches, hashBrandToken, isPlausibleBrandToken } from './brand-token';
import { checkProviderSecrets } from './integration-secrets';
import { IntegrationEntity } from './integration.entity';
import {
  BrandTokenInUseError,
  BrandTokenNotSupportedError,
  CredentialsTooLargeError,
  IntegrationNotFoundError,
  UnknownProviderError,
} from './integrations.errors';
import { getProviderAdapter, type ProviderSecrets } from './providers';
import { FAIRE_PROVIDER } from './providers/faire/faire.adapter';

export interface IntegrationWithSecrets {
  integration: IntegrationEntity;
  secrets: ProviderSecrets;
}

const AUDIT_TARGET = 'integration';

/** Provider credentials are a few keys and URLs: 16 KiB as JSON is ample, and bounds what each callback decrypts. */
export const MAX_CREDENTIALS_BYTES = 16 * 1024;

function checkCredentialsSize(credentials: Record<string, unknown> | null | undefined): void {
  if (credentials == null) return;
  const size = Buffer.byteLength(JSON.stringify(credentials), 'utf8');
  if (size > MAX_CREDENTIALS_BYTES) throw new CredentialsTooLargeError(size, MAX_CREDENTIALS_BYTES);
}

function checkBrandTokenProvider(provider: string, brandToken: string | null | undefined): void {
  if (brandToken != null && provider !== FAIRE_PROVIDER) throw new BrandTokenNotSupportedError(provider);
}

const UNIQUE_VIOLATION = '23505';
const BRAND_TOKEN_INDEX = 'uq_integrations_brand_token_hash';

/** The unique index decides between two integrations given one brand token, racing or not. */
function brandTokenConflict(error: unknown): never {
  const driverError = error instanceof QueryFailedError ? (error.driverError as Record<string, unknown>) : {};
  if (driverError.code === UNIQUE_VIOLATION && driverError.constraint === BRAND_TOKEN_INDEX)
    throw new BrandTokenInUseError();
  throw error;
}

@Injectable()
export class IntegrationsService {
  private readonly box: SecretBox;

  constructor(
    @InjectRepository(IntegrationEntity) private readonly integrations: Repository<IntegrationEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(config.secretKeys);
  }

  async create(principal: Principal, input: CreateIntegrationInput): Promise<IntegrationEntity> {
    if (!getProviderAdapter(input.provider)) throw new UnknownProviderError(input.provider);
    checkCredentialsSize(input.credentials);
    checkBrandTokenProvider(input.provider, input.brandToken);
    const secrets: ProviderSecrets = {
      webhookSecret: input.webhookSecret ?? null,
      credentials: input.credentials ?? null,
    };
    await checkProviderSecrets(input.provider, secrets, this.config.allowPrivateTargets, input.brandToken != null);
    const brandTokenHash = input.brandToken != null ? hashBrandToken(input.brandToken) : null;
    const created = this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(IntegrationEntity);
      const saved = await repo.save(
        repo.create({
          tenantId: principal.tenantId,
          provider: input.provider,
          name: input.name,
          isActive: true,
          brandTokenHash,
          ...this.encrypt(secrets),
        }),
      );
      await this.audit.record(
        principal,
        'integration.created',
        { type: AUDIT_TARGET, id: saved.id },
        { provider: saved.provider, name: saved.name },
        manager,
      );
      return saved;
    });
    return created.catch(brandTokenConflict);
  }

  list(tenantId: string): Promise<IntegrationEntity[]> {
    return this.integrations.find({ where: { tenantId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  async find(tenantId: string, id: string): Promise<IntegrationEntity> {
    const found = isUuid(id) ? await this.integrations.findOneBy({ tenantId, id }) : null;
    if (!found) throw new IntegrationNotFoundError(id);
    return found;
  }

  async findWithSecrets(tenantId: string, id: string): Promise<IntegrationWithSecrets> {
    const found = isUuid(id)
      ? await this.withSecrets().where('i.tenant_id = :tenantId AND i.id = :id', { tenantId, id }).getOne()
      : null;
    if (!found) throw new IntegrationNotFoundError(id);
    return { integration: found, secrets: this.decrypt(found) };
  }

  /**
   * The one lookup without a tenant: a provider callback names only the integration, whose row then
   * fixes the tenant. Unknown, inactive or another provider's integration: null (the caller answers 404).
   */
  async findActiveForCallback(provider: string, id: string): Promise<IntegrationWithSecrets | null> {
    if (!isUuid(id)) return null;
    const found = await this.withSecrets()
      .where('i.id = :id AND i.provider = :provider AND i.is_active', { id, provider })
      .getOne();
    return found ? { integration: found, secrets: this.decrypt(found) } : null;
  }

  /**
   * POST /inbound/faire: the active Faire integration, of any tenant, whose brand token this is (found by its
   * SHA-256, then compared in constant time). Null for a malformed, unknown or inactive one (the caller answers 404).
   */
  async findActiveByBrandToken(brandToken: string): Promise<IntegrationWithSecrets | null> {
    if (!isPlausibleBrandToken(brandToken)) return null;
    const found = await this.withSecrets()
      .where('i.brand_token_hash = :hash AND i.provider = :provider AND i.is_active', {
        hash: hashBrandToken(brandToken),
        provider: FAIRE_PROVIDER,
      })
      .getOne();
    if (!found?.brandTokenHash || !brandTokenMatches(found.brandTokenHash, brandToken)) return null;
    return { integration: found, secrets: this.decrypt(found) };
  }

  async update(principal: Principal, id: string, input: UpdateIntegrationInput): Promise<IntegrationEntity> {
    checkCredentialsSize(input.credentials);
    const { integration, secrets } = await this.findWithSecrets(principal.tenantId, id);
    checkBrandTokenProvider(integration.provider, input.brandToken);
    const next: ProviderSecrets = {
      webhookSecret: input.webhookSecret ?? secrets.webhookSecret ?? null,
      credentials: input.credentials ?? secrets.credentials ?? null,
    };
    const hasBrandToken = input.brandToken != null || integration.brandTokenHash != null;
    if (input.webhookSecret != null || input.credentials != null || input.brandToken != null)
      await checkProviderSecrets(integration.provider, next, this.config.allowPrivateTargets, hasBrandToken);
    const changes: Partial<IntegrationEntity> = {
      ...(input.name != null ? { name: input.name } : {}),
      ...(input.isActive != null ? { isActive: input.isActive } : {}),
      ...(input.webhookSecret != null ? { webhookSecretEncrypted: this.encrypt(next).webhookSecretEncrypted } : {}),
      ...(input.credentials != null ? { credentialsEncrypted: this.encrypt(next).credentialsEncrypted } : {}),
      ...(input.brandToken != null ? { brandTokenHash: hashBrandToken(input.brandToken) } : {}),
    };
    const changed = Object.keys(input).filter((key) => input[key as keyof UpdateIntegrationInput] != null);
    const updated = this.dataSource.transaction(async (manager) => {
      if (Object.keys(changes).length > 0)
        await manager.getRepository(IntegrationEntity).update({ tenantId: principal.tenantId, id }, changes);
      await this.audit.record(
        principal,
        'integration.updated',
        { type: AUDIT_TARGET, id },
        { fields: changed },
        manager,
      );
      return manager.getRepository(IntegrationEntity).findOneByOrFail({ tenantId: principal.tenantId, id });
    });
    return updated.catch(brandTokenConflict);
  }

  async deactivate(principal: Principal, id: string): Promise<IntegrationEntity> {
    await this.find(principal.tenantId, id);
    return this.dataSource.transaction(async (manager) => {
      await manager.getRepository(IntegrationEntity).update({ tenantId: principal.tenantId, id }, { isActive: false });
      await this.audit.record(principal, 'integration.deactivated', { type: AUDIT_TARGET, id }, undefined, manager);
      return manager.getRepository(IntegrationEntity).findOneByOrFail({ tenantId: principal.tenantId, id });
    });
  }

  /** Deletes the integration with its inbound events and subscription mirror (ON DELETE CASCADE). */
  async delete(principal: Principal, id: string): Promise<{ id: string; deletedAt: Date }> {
    const integration = await this.find(principal.tenantId, id);
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(IntegrationEntity).delete({ tenantId: principal.tenantId, id });
      await this.audit.record(
        principal,
        'integration.deleted',
        { type: AUDIT_TARGET, id },
        { provider: integration.provider, name: integration.name },
        manager,
      );
    });
    return { id, deletedAt: new Date() };
  }

  private withSecrets() {
    return this.integrations
      .createQueryBuilder('i')
      .addSelect(['i.webhookSecretEncrypted', 'i.credentialsEncrypted', 'i.brandTokenHash']);
  }

  private encrypt(
    secrets: ProviderSecrets,
  ): Pick<IntegrationEntity, 'webhookSecretEncrypted' | 'credentialsEncrypted'> {
    return {
      webhookSecretEncrypted: secrets.webhookSecret ? this.box.encrypt(secrets.webhookSecret) : null,
      credentialsEncrypted: secrets.credentials ? this.box.encrypt(JSON.stringify(secrets.credentials)) : null,
    };
  }

  private decrypt(entity: IntegrationEntity): ProviderSecrets {
    return {
      webhookSecret: entity.webhookSecretEncrypted ? this.box.decrypt(entity.webhookSecretEncrypted) : null,
      credentials: entity.credentialsEncrypted
        ? (JSON.parse(this.box.decrypt(entity.credentialsEncrypted)) as Record<string, unknown>)
        : null,
    };
  }
}
