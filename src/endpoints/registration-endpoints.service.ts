import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService } from '../auth/audit.service';
import { Principal } from '../auth/principal';
import { activeChange } from './endpoint-activation';
import { EndpointAdmission } from './endpoint-admission.service';
import { EndpointEntity } from './endpoint.entity';
import { DisableCause, EndpointDisabled, EndpointEnabled, EndpointEvent } from './endpoint.events';
import { EndpointSecrets, PREVIOUS_SECRET_GRACE_MS, SecretColumns } from './endpoint-secrets.service';

/** What a registration decides for every one of its endpoints. */
export interface RegistrationSettings {
  eventTypes: string[];
  channels: string[];
  description: string | null;
  isActive: boolean;
}

/** Endpoints whose isActive changed in a transaction, to announce after its commit. */
export interface ActiveChanges {
  enabled: string[];
  disabled: string[];
}

type EndpointPatch = QueryDeepPartialEntity<EndpointEntity>;

/**
 * The endpoints of webhook registrations (registrations/ owns the registrations, this module their endpoints): one
 * ordinary endpoint per URL, all sharing one secret. Every write takes the caller's transaction, so a change to a
 * registration applies to all its endpoints or to none.
 */
@Injectable()
export class RegistrationEndpoints {
  constructor(
    @InjectRepository(EndpointEntity) private readonly endpoints: Repository<EndpointEntity>,
    private readonly admission: EndpointAdmission,
    private readonly secrets: EndpointSecrets,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
  ) {}

  /** Each URL through the SSRF guard, normalised (in order). */
  async checkUrls(raw: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const url of raw) out.push(await this.admission.checkUrl(url));
    return out;
  }

  async checkEventTypes(tenantId: string, names: string[], alreadySubscribed: readonly string[] = []): Promise<void> {
    await this.admission.checkEventTypes(tenantId, names, alreadySubscribed);
  }

  /** A new secret for a new registration: the plain text (shown once) and the columns its endpoints store. */
  issueSecret(): { secret: string; columns: SecretColumns } {
    const { secret, secretEncrypted } = this.secrets.issue();
    return { secret, columns: { secretEncrypted, previousSecretEncrypted: null, previousSecretExpiresAt: null } };
  }

  /**
   * The registration's endpoints, locked, with their secret columns: oldest first, then by URL (the URLs of one
   * transaction share its created_at).
   */
  async lock(m: EntityManager, tenantId: string, registrationId: string): Promise<EndpointEntity[]> {
    return m
      .createQueryBuilder(EndpointEntity, 'e')
      .addSelect(['e.secretEncrypted', 'e.previousSecretEncrypted'])
      .where('e.tenant_id = :tenantId AND e.registration_id = :registrationId', { tenantId, registrationId })
      .orderBy('e.created_at', 'ASC')
      .addOrderBy('e.url', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
  }

  /** The endpoints of these registrations of the tenant, in the same order. */
  async listFor(tenantId: string, registrationIds: string[], m?: EntityManager): Promise<EndpointEntity[]> {
    if (registrationIds.length === 0) return [];
    return (m ?? this.endpoints.manager).find(EndpointEntity, {
      where: { tenantId, registrationId: In(registrationIds) },
      order: { createdAt: 'ASC', url: 'ASC' },
    });
  }

  /** One endpoint per URL, under the tenant's endpoint cap, signed with the registration's secret columns. */
  async attach(
    m: EntityManager,
    principal: Principal,
    registrationId: string,
    urls: string[],
    settings: RegistrationSettings,
    secret: SecretColumns,
  ): Promise<void> {
    if (urls.length === 0) return;
    const { tenantId } = principal;
    await this.admission.assertQuota(m, tenantId, urls.length);
    const inactive = settings.isActive ? {} : activeChange({ isActive: true } as EndpointEntity, false);
    const { secretEncrypted, previousSecretEncrypted, previousSecretExpiresAt } = secret; // only these of a row given
    const secrets = { secretEncrypted, previousSecretEncrypted, previousSecretExpiresAt };
    const rows = urls.map((url) => ({ ...settings, ...inactive, ...secrets, url, tenantId, registrationId }));
    const inserted = await m.insert(EndpointEntity, rows as EndpointPatch[]);
    for (const [i, identifier] of inserted.identifiers.entries()) {
      const target = { type: 'endpoint', id: String(identifier.id) };
      await this.audit.record(principal, 'endpoint.created', target, { url: urls[i], registrationId }, m);
    }
  }

  /** Deletes these endpoints with their history (deliveries and attempts cascade), each audited. */
  async detach(m: EntityManager, principal: Principal, registrationId: string, gone: EndpointEntity[]): Promise<void> {
    if (gone.length === 0) return;
    const { tenantId } = principal;
    await m.delete(EndpointEntity, { tenantId, registrationId, id: In(gone.map((e) => e.id)) });
    for (const e of gone) {
      await this.audit.record(
        principal,
        'endpoint.deleted',
        { type: 'endpoint', id: e.id },
        { url: e.url, registrationId },
        m,
      );
    }
  }

  /** Applies the changed settings to every (locked) endpoint of the registration. */
  async apply(
    m: EntityManager,
    principal: Principal,
    current: EndpointEntity[],
    patch: Partial<RegistrationSettings>,
  ): Promise<ActiveChanges> {
    const { tenantId } = principal;
    const changes: ActiveChanges = { enabled: [], disabled: [] };
    const { isActive, ...rest } = patch;
    for (const e of current) {
      const change = activeChange(e, isActive);
      const values = { ...rest, ...change };
      if (Object.keys(values).length === 0) continue;
      await m.update(EndpointEntity, { tenantId, id: e.id }, values as EndpointPatch);
      await this.audit.record(principal, 'endpoint.updated', { type: 'endpoint', id: e.id }, values, m);
      if (change.isActive === true) changes.enabled.push(e.id);
      if (change.isActive === false) changes.disabled.push(e.id);
    }
    return changes;
  }

  /** A new secret for every endpoint of the registration; each keeps signing with the old one too for 24 h. */
  async rotate(
    m: EntityManager,
    tenantId: string,
    registrationId: string,
  ): Promise<{ secret: string; previousSecretExpiresAt: Date }> {
    const { secret, secretEncrypted } = this.secrets.issue();
    const previousSecretExpiresAt = new Date(Date.now() + PREVIOUS_SECRET_GRACE_MS);
    await m.query(
      `UPDATE endpoints SET previous_secret_encrypted = secret_encrypted, secret_encrypted = $1,
         previous_secret_expires_at = $2, updated_at = now()
       WHERE tenant_id = $3 AND registration_id = $4`,
      [secretEncrypted, previousSecretExpiresAt, tenantId, registrationId],
    );
    return { secret, previousSecretExpiresAt };
  }

  /** The current secret of a registration (an idempotent repeat of its create shows it again). */
  async currentSecret(tenantId: string, endpointId: string): Promise<string> {
    const [secret] = await this.secrets.signingSecrets(tenantId, endpointId);
    return secret;
  }

  /** After commit: endpoints enabled or disabled through their registration are announced, as by hand. */
  async announce(tenantId: string, changes: ActiveChanges): Promise<void> {
    for (const id of changes.enabled) {
      const endpoint = await this.endpoints.findOneByOrFail({ tenantId, id });
      await this.events.emitAsync(EndpointEvent.Enabled, new EndpointEnabled(endpoint));
    }
    for (const id of changes.disabled) {
      const endpoint = await this.endpoints.findOneByOrFail({ tenantId, id });
      await this.events.emitAsync(EndpointEvent.Disabled, new EndpointDisabled(endpoint, DisableCause.MANUAL, null));
    }
  }
}
