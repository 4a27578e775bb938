import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuditService } from './audit.service';
import {
  InvalidPortalSessionError,
  PortalSessionCreationNotAllowedError,
  PortalSessionEndedError,
  PortalSessionExpiredError,
} from './auth.errors';
import { CreatePortalSessionInput } from './dto/create-portal-session.input';
import { PortalSessionEntity } from './portal-session.entity';
import { portalUrl, sessionChannel, sessionPermissions, sessionTtlSeconds } from './portal-session-rules';
import { ActorType, Principal } from './principal';

export const PORTAL_TOKEN_PREFIX = 'whp_';
/** Expired sessions of a tenant are deleted when it creates a new one, once they are this old. */
const EXPIRED_KEPT_MS = 24 * 3600_000;

export function hashPortalToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

interface SessionRow {
  id: string;
  tenant_id: string;
  permissions: string[];
  channel: string | null;
  expires_at: Date;
  created_by_api_key_id: string | null;
  expired: boolean;
  creator_ended: boolean;
}

/**
 * Portal sessions: short-lived bearer credentials for the console, carrying a subset of their creator's permissions
 * and optionally one channel. Postgres is the truth: every request looks the token up with its creator key.
 */
@Injectable()
export class PortalSessionsService {
  constructor(
    @InjectRepository(PortalSessionEntity) private readonly sessions: Repository<PortalSessionEntity>,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Validates everything before it writes; returns the token once (only its SHA-256 is stored). */
  async create(
    principal: Principal,
    input: CreatePortalSessionInput | null | undefined,
  ): Promise<{ entity: PortalSessionEntity; token: string; url: string }> {
    if (principal.portalSession) throw new PortalSessionCreationNotAllowedError();
    const ttlSeconds = sessionTtlSeconds(input?.ttlSeconds);
    const permissions = sessionPermissions(principal, input?.permissions);
    const channel = sessionChannel(input?.channel);
    const token = `${PORTAL_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const entity = await this.sessions.manager.transaction(async (m) => {
      const repo = m.getRepository(PortalSessionEntity);
      await repo
        .createQueryBuilder()
        .delete()
        .where('tenant_id = :tenantId AND expires_at < :cutoff', {
          tenantId: principal.tenantId,
          cutoff: new Date(Date.now() - EXPIRED_KEPT_MS),
        })
        .execute();
      const inserted = await repo.insert({
        tenantId: principal.tenantId,
        tokenHash: hashPortalToken(token),
        permissions,
        channel,
        createdByApiKeyId: principal.apiKeyId ?? null,
        createdBy: `${principal.actorType}:${principal.actorId}`,
        expiresAt: new Date(Date.now() + ttlSeconds * 1000),
      } as QueryDeepPartialEntity<PortalSessionEntity>);
      const id = (inserted.identifiers[0] as { id: string }).id;
      const saved = await repo.findOneByOrFail({ tenantId: principal.tenantId, id });
      const target = { type: 'portal_session', id };
      const details = { permissions, channel, ttlSeconds, expiresAt: saved.expiresAt.toISOString() };
      await this.audit.record(principal, 'portal_session.created', target, details, m);
      return saved;
    });
    return { entity, token, url: portalUrl(this.config.publicBaseUrl, token) };
  }

  /** One indexed lookup (token hash, joined with the creator key): unknown, expired and ended are told apart. */
  async authenticate(token: string): Promise<Principal> {
    const rows: SessionRow[] = await this.sessions.query(
      `SELECT s.id, s.tenant_id, s.permissions, s.channel, s.expires_at, s.created_by_api_key_id,
              s.expires_at <= now() AS expired,
              (s.created_by_api_key_id IS NOT NULL AND (k.id IS NULL OR k.revoked_at IS NOT NULL)) AS creator_ended
         FROM portal_sessions s
         LEFT JOIN api_keys k ON k.id = s.created_by_api_key_id AND k.tenant_id = s.tenant_id
        WHERE s.token_hash = $1`,
      [hashPortalToken(token)],
    );
    const row = rows[0];
    if (!row) throw new InvalidPortalSessionError();
    if (row.expired) throw new PortalSessionExpiredError();
    if (row.creator_ended) throw new PortalSessionEndedError();
    return {
      tenantId: row.tenant_id,
      actorType: ActorType.PortalSession,
      actorId: row.id,
      permissions: row.permissions,
      channel: row.channel,
      portalSession: { id: row.id, expiresAt: row.expires_at, createdByApiKeyId: row.created_by_api_key_id },
    };
  }
}
