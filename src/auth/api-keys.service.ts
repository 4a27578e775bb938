import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { GLOBAL_CHANNEL, PubSubService, Topic } from '../common/graphql/pubsub';
import { isUuid } from '../common/ids';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyNotFoundError, ApiKeyRevokedError, InvalidApiKeyError } from './auth.errors';
import { AuditService } from './audit.service';
import { ActorType, Principal } from './principal';

export const API_KEY_PREFIX = 'whk_';
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new key: `whk_` + 32 random bytes; only its hash and display prefix are stored. */
export function generateApiKey(): { key: string; prefix: string; keyHash: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, 12), keyHash: hashApiKey(key) };
}

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly audit: AuditService,
    private readonly pubsub: PubSubService,
  ) {}

  /** Returns the entity and the full key, which is never stored (only its SHA-256). */
  async create(
    principal: Principal,
    name: string,
    permissions: string[],
  ): Promise<{ entity: ApiKeyEntity; key: string }> {
    const { key, prefix, keyHash } = generateApiKey();
    const entity = await this.keys.save(
      this.keys.create({
        tenantId: principal.tenantId,
        name,
        prefix,
        keyHash,
        permissions: [...new Set(permissions)],
        createdBy: `${principal.actorType}:${principal.actorId}`,
      }),
    );
    await this.audit.record(principal, 'api_key.created', { type: 'api_key', id: entity.id }, { name, permissions });
    return { entity, key };
  }

  async list(tenantId: string): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: { tenantId }, order: { createdAt: 'DESC' } });
  }

  async revoke(principal: Principal, id: string): Promise<ApiKeyEntity> {
    const entity = isUuid(id) ? await this.keys.findOneBy({ tenantId: principal.tenantId, id }) : null;
    if (!entity) throw new ApiKeyNotFoundError(id);
    if (!entity.revokedAt) {
      entity.revokedAt = new Date();
      await this.keys.update({ tenantId: principal.tenantId, id }, { revokedAt: entity.revokedAt });
      await this.audit.record(principal, 'api_key.revoked', { type: 'api_key', id });
      await this.pubsub.publish(Topic.ApiKeyRevoked, GLOBAL_CHANNEL, { apiKeyId: id });
    }
    return entity;
  }

  async authenticate(key: string): Promise<Principal> {
    // On the unique hash index; a revoked key is still found, so the refusal can say which it is.
    const entity = await this.keys.findOne({ where: { keyHash: hashApiKey(key) } });
    if (!entity) throw new InvalidApiKeyError();
    if (entity.revokedAt) throw new ApiKeyRevokedError();
    const now = Date.now();
    if (!entity.lastUsedAt || now - entity.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.keys.update({ id: entity.id }, { lastUsedAt: new Date(now) });
    }
    return {
      tenantId: entity.tenantId,
      actorType: ActorType.ApiKey,
      actorId: entity.id,
      permissions: entity.permissions,
      apiKeyId: entity.id,
    };
  }

  async isActive(id: string): Promise<boolean> {
    return (await this.keys.countBy({ id, revokedAt: IsNull() })) > 0;
  }
}
