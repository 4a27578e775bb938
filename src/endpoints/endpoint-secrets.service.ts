import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService } from '../auth/audit.service';
import { ALL_CHANNELS, ChannelScope, channelScope, Permission, Principal } from '../auth/principal';
import { SecretBox } from '../common/crypto/secret-box';
import { generateWebhookSecret } from '../common/crypto/webhook-secret';
import { isUuid } from '../common/ids';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { andWhereInScope } from './endpoint-scope';
import { EndpointEntity } from './endpoint.entity';
import { EndpointNotFoundError, ManagedByRegistrationError, SecretRevealNotPermittedError } from './endpoints.errors';

export const PREVIOUS_SECRET_GRACE_MS = 24 * 3_600_000;
/** Decrypted secrets kept, keyed by their ciphertext (a rotation writes a new ciphertext, so nothing goes stale). */
const DECRYPTED_CACHE_MAX_ENTRIES = 10_000;

/** What a reveal returns: the current secret and, during a rotation's grace, the previous one. */
export interface RevealedSecrets {
  endpointId: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/** The secret columns of an endpoint row (select: false, so read on purpose). */
export interface SecretColumns {
  secretEncrypted: string;
  previousSecretEncrypted: string | null;
  previousSecretExpiresAt: Date | null;
}

/**
 * The endpoints' signing secrets: generated and encrypted at rest (SecretBox), rotated with a 24 h grace for the
 * previous one, and decrypted for signing (the decryption cached, never the row).
 */
@Injectable()
export class EndpointSecrets {
  private readonly box: SecretBox;
  private readonly decrypted = new Map<string, string>();

  constructor(
    @InjectRepository(EndpointEntity) private readonly endpoints: Repository<EndpointEntity>,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(config.secretKeys);
  }

  /** A new secret and its ciphertext, for a new endpoint. */
  issue(): { secret: string; secretEncrypted: string } {
    const secret = generateWebhookSecret();
    return { secret, secretEncrypted: this.box.encrypt(secret) };
  }

  /** Rotation: the new secret signs from now on; the old one keeps signing too for 24 h. */
  async rotate(
    principal: Principal,
    id: string,
  ): Promise<{ endpoint: EndpointEntity; secret: string; previousSecretExpiresAt: Date }> {
    const { tenantId } = principal;
    if (!isUuid(id)) throw new EndpointNotFoundError(id);
    const { secret, secretEncrypted } = this.issue();
    const previousSecretExpiresAt = new Date(Date.now() + PREVIOUS_SECRET_GRACE_MS);
    const endpoint = await this.endpoints.manager.transaction(async (m) => {
      const current = await andWhereInScope(
        m
          .createQueryBuilder(EndpointEntity, 'e')
          .addSelect('e.secretEncrypted')
          .where('e.tenant_id = :tenantId AND e.id = :id', { tenantId, id }),
        'e',
        channelScope(principal),
      )
        .setLock('pessimistic_write')
        .getOne();
      if (!current) throw new EndpointNotFoundError(id);
      if (current.registrationId !== null) throw new ManagedByRegistrationError(id, current.registrationId, 'rotate');
      const patch: QueryDeepPartialEntity<EndpointEntity> = {
        secretEncrypted,
        previousSecretEncrypted: current.secretEncrypted,
        previousSecretExpiresAt,
      };
      await m.update(EndpointEntity, { tenantId, id }, patch);
      const expires = { previousSecretExpiresAt: previousSecretExpiresAt.toISOString() };
      await this.audit.record(principal, 'endpoint.secret_rotated', { type: 'endpoint', id }, expires, m);
      return m.findOneByOrFail(EndpointEntity, { tenantId, id });
    });
    return { endpoint, secret, previousSecretExpiresAt };
  }

  /** [current, previous while in its grace period], decrypted, read from the tenant's endpoint row now. */
  async signingSecrets(tenantId: string, endpointId: string): Promise<string[]> {
    return this.secretsOf(await this.secretRow(tenantId, endpointId, ALL_CHANNELS));
  }

  /**
   * Shows the secrets of an endpoint to a caller granted reveal_webhook_secrets (on top of manage_webhooks, which the
   * edge checks). Audited; the audit entry and the logs never hold the secret.
   */
  async reveal(principal: Principal, endpointId: string): Promise<RevealedSecrets> {
    if (!principal.permissions.includes(Permission.RevealWebhookSecrets)) {
      throw new SecretRevealNotPermittedError(Permission.RevealWebhookSecrets);
    }
    const row = await this.secretRow(principal.tenantId, endpointId, channelScope(principal));
    const [secret, previousSecret = null] = this.secretsOf(row);
    const previousSecretExpiresAt = previousSecret === null ? null : row.previousSecretExpiresAt;
    const target = { type: 'endpoint', id: row.id };
    await this.audit.record(principal, 'endpoint.secret_revealed', target, { previous: previousSecret !== null });
    return { endpointId: row.id, secret, previousSecret, previousSecretExpiresAt };
  }

  private async secretRow(
    tenantId: string,
    endpointId: string,
    channel: ChannelScope,
  ): Promise<SecretColumns & { id: string }> {
    const row = isUuid(endpointId)
      ? await andWhereInScope(
          this.endpoints
            .createQueryBuilder('e')
            .select(['e.id', 'e.secretEncrypted', 'e.previousSecretEncrypted', 'e.previousSecretExpiresAt'])
            .where('e.tenant_id = :tenantId AND e.id = :id', { tenantId, id: endpointId }),
          'e',
          channel,
        ).getOne()
      : null;
    if (!row) throw new EndpointNotFoundError(endpointId);
    return row;
  }

  /**
   * The same from columns the caller read with the row it works on (dispatch reads them with its claim), so a
   * rotation made by any process signs the very next attempt. Only the decryption is cached.
   */
  secretsOf(row: SecretColumns): string[] {
    const current = this.decrypt(row.secretEncrypted);
    const previousUntil = row.previousSecretExpiresAt?.getTime() ?? 0;
    if (row.previousSecretEncrypted === null || previousUntil <= Date.now()) return [current];
    return [current, this.decrypt(row.previousSecretEncrypted)];
  }

  private decrypt(ciphertext: string): string {
    let plain = this.decrypted.get(ciphertext);
    if (plain === undefined) {
      plain = this.box.decrypt(ciphertext);
      // Full: drop the oldest insertion (a Map keeps insertion order).
      if (this.decrypted.size >= DECRYPTED_CACHE_MAX_ENTRIES) {
        this.decrypted.delete(this.decrypted.keys().next().value as string);
      }
      this.decrypted.set(ciphertext, plain);
    }
    return plain;
  }
}
