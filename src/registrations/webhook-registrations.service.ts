import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditService } from '../auth/audit.service';
import { Principal } from '../auth/principal';
import { Page, paginate } from '../common/graphql/pagination';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { isUuid } from '../common/ids';
import { checkDescription, normalizeList } from '../endpoints/endpoint-rules';
import { NullNotAllowedError } from '../endpoints/endpoints.errors';
import { RegistrationEndpoints, RegistrationSettings } from '../endpoints/registration-endpoints.service';
import { CreateWebhookRegistrationInput } from './dto/create-webhook-registration.input';
import { UpdateWebhookRegistrationInput } from './dto/update-webhook-registration.input';
import { channelsFor, checkDistinct, checkShopId, checkUrlCount, diffUrls } from './registration-rules';
import { WebhookRegistrationNotFoundError } from './registrations.errors';
import { WebhookRegistrationEntity } from './webhook-registration.entity';
import { RegistrationView } from './webhook-registration.model';

type Target = { type: string; id: string };
const target = (id: string): Target => ({ type: 'webhook_registration', id });

/**
 * Partner registrations: one shop, one set of event types, 1-10 URLs, each URL an ordinary endpoint sharing the
 * registration's secret. Every change runs in one transaction, so it reaches all the registration's endpoints or none.
 */
@Injectable()
export class WebhookRegistrationsService {
  constructor(
    @InjectRepository(WebhookRegistrationEntity) private readonly registrations: Repository<WebhookRegistrationEntity>,
    private readonly endpoints: RegistrationEndpoints,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
  ) {}

  /** Creates the registration, one endpoint per URL and its one secret; idempotent as createEndpoint is. */
  async create(
    principal: Principal,
    input: CreateWebhookRegistrationInput,
    headerKey?: string,
  ): Promise<RegistrationView & { secret: string }> {
    const { tenantId } = principal;
    const { idempotencyKey, ...fields } = input;
    const key = idempotencyKey ?? headerKey;
    this.idempotency.validateKey(key, idempotencyKey != null ? 'idempotencyKey' : 'Idempotency-Key');
    const urls = await this.checkUrls(fields.urls);
    const eventTypes = normalizeList('eventTypes', fields.eventTypes ?? []);
    await this.endpoints.checkEventTypes(tenantId, eventTypes);
    const shopId = fields.shopId == null ? null : checkShopId(fields.shopId);
    const description = fields.description == null ? null : checkDescription(fields.description);
    return this.idempotency.run({
      tenantId,
      operation: 'createWebhookRegistration',
      key,
      input: fields,
      work: async (m) => {
        const inserted = await m.insert(WebhookRegistrationEntity, { tenantId, shopId, eventTypes, description });
        const id = (inserted.identifiers[0] as { id: string }).id;
        const settings = { eventTypes, channels: channelsFor(shopId), description, isActive: true };
        const { secret, columns } = this.endpoints.issueSecret();
        await this.endpoints.attach(m, principal, id, urls, settings, columns);
        await this.audit.record(principal, 'webhook_registration.created', target(id), { urls, shopId, eventTypes }, m);
        return { result: { ...(await this.view(m, tenantId, id)), secret }, ref: { registrationId: id } };
      },
      replay: async (ref) => {
        const view = await this.find(tenantId, String(ref.registrationId));
        return { ...view, secret: await this.endpoints.currentSecret(tenantId, view.endpoints[0].id) };
      },
    });
  }

  /** urls replaces the set; eventTypes, shopId, description and isActive apply to every endpoint. */
  async update(principal: Principal, id: string, input: UpdateWebhookRegistrationInput): Promise<RegistrationView> {
    const { tenantId } = principal;
    assertId(id);
    if (input.urls === null) throw new NullNotAllowedError('urls');
    if (input.isActive === null) throw new NullNotAllowedError('isActive');
    // Resolved before any row is locked: DNS may be slow.
    const urls = input.urls === undefined ? undefined : await this.checkUrls(input.urls);
    const changes = await this.registrations.manager.transaction(async (m) => {
      const current = await lockRegistration(m, tenantId, id);
      const endpoints = await this.endpoints.lock(m, tenantId, id);
      const patch = await this.settingsPatch(tenantId, current, input);
      const { added, removed } = urls === undefined ? { added: [], removed: [] } : diffUrls(endpoints, urls);
      await this.endpoints.detach(m, principal, id, removed);
      const kept = endpoints.filter((e) => !removed.includes(e));
      const activeChanges = await this.endpoints.apply(m, principal, kept, endpointPatch(patch));
      const settings = { ...settingsOf(current), ...endpointPatch(patch) };
      await this.endpoints.attach(m, principal, id, added, settings, endpoints[0]);
      if (Object.keys(patch).length > 0) await m.update(WebhookRegistrationEntity, { tenantId, id }, patch);
      if (Object.keys(patch).length > 0 || added.length > 0 || removed.length > 0) {
        const removedUrls = removed.map((e) => e.url);
        const audited = { ...patch, addedUrls: added, removedUrls };
        await this.audit.record(principal, 'webhook_registration.updated', target(id), audited, m);
      }
      return activeChanges;
    });
    await this.endpoints.announce(tenantId, changes);
    return this.find(tenantId, id);
  }

  /** Deletes the registration and its endpoints, with their history. */
  async remove(principal: Principal, id: string): Promise<{ id: string; deletedAt: Date }> {
    const { tenantId } = principal;
    assertId(id);
    await this.registrations.manager.transaction(async (m) => {
      await lockRegistration(m, tenantId, id);
      const endpoints = await this.endpoints.lock(m, tenantId, id);
      await this.endpoints.detach(m, principal, id, endpoints);
      await m.delete(WebhookRegistrationEntity, { tenantId, id });
      await this.audit.record(
        principal,
        'webhook_registration.deleted',
        target(id),
        { urls: endpoints.map((e) => e.url) },
        m,
      );
    });
    return { id, deletedAt: new Date() };
  }

  /** One new secret for every URL; the previous one keeps signing too for 24 h. */
  async rotate(
    principal: Principal,
    id: string,
  ): Promise<RegistrationView & { secret: string; previousSecretExpiresAt: Date }> {
    const { tenantId } = principal;
    assertId(id);
    const rotated = await this.registrations.manager.transaction(async (m) => {
      await lockRegistration(m, tenantId, id);
      await this.endpoints.lock(m, tenantId, id);
      const result = await this.endpoints.rotate(m, tenantId, id);
      const expires = { previousSecretExpiresAt: result.previousSecretExpiresAt.toISOString() };
      await this.audit.record(principal, 'webhook_registration.secret_rotated', target(id), expires, m);
      return result;
    });
    return { ...(await this.find(tenantId, id)), ...rotated };
  }

  async list(
    tenantId: string,
    shopId: string | null | undefined,
    args: { first?: number | null; after?: string | null },
  ): Promise<Page<RegistrationView>> {
    const qb = this.registrations.createQueryBuilder('r').where('r.tenant_id = :tenantId', { tenantId });
    if (shopId != null) qb.andWhere('r.shop_id = :shopId', { shopId });
    const totalCount = await qb.clone().getCount();
    const page = await paginate(qb, 'r', args, (r) => r);
    const endpoints = await this.endpoints.listFor(
      tenantId,
      page.edges.map((e) => e.node.id),
    );
    const edges = page.edges.map(({ node, cursor }) => ({
      node: { registration: node, endpoints: endpoints.filter((e) => e.registrationId === node.id) },
      cursor,
    }));
    return { ...page, edges, totalCount };
  }

  /** Another tenant's registration, a missing one and a non-UUID id are all NOT_FOUND. */
  async find(tenantId: string, id: string): Promise<RegistrationView> {
    assertId(id);
    return this.view(this.registrations.manager, tenantId, id);
  }

  // ------------------------------------------------------------------ internals

  private async view(m: EntityManager, tenantId: string, id: string): Promise<RegistrationView> {
    const registration = await m.findOneBy(WebhookRegistrationEntity, { tenantId, id });
    if (!registration) throw new WebhookRegistrationNotFoundError(id);
    return { registration, endpoints: await this.endpoints.listFor(tenantId, [id], m) };
  }

  /** 1-10 URLs, each through the SSRF guard, distinct once normalised. */
  private async checkUrls(raw: string[]): Promise<string[]> {
    checkUrlCount(raw);
    const urls = await this.endpoints.checkUrls(raw);
    checkDistinct(urls);
    return urls;
  }

  /** The registration's columns that the input changes. */
  private async settingsPatch(
    tenantId: string,
    current: WebhookRegistrationEntity,
    input: UpdateWebhookRegistrationInput,
  ): Promise<Partial<WebhookRegistrationEntity>> {
    const patch: Partial<WebhookRegistrationEntity> = {};
    if (input.eventTypes !== undefined) {
      patch.eventTypes = normalizeList('eventTypes', input.eventTypes ?? []);
      await this.endpoints.checkEventTypes(tenantId, patch.eventTypes, current.eventTypes);
    }
    if (input.shopId !== undefined && input.shopId !== current.shopId) {
      patch.shopId = input.shopId === null ? null : checkShopId(input.shopId);
    }
    if (input.description !== undefined) {
      patch.description = input.description === null ? null : checkDescription(input.description);
    }
    if (input.isActive != null && input.isActive !== current.isActive) patch.isActive = input.isActive;
    return patch;
  }
}

function assertId(id: string): void {
  if (!isUuid(id)) throw new WebhookRegistrationNotFoundError(id);
}

async function lockRegistration(m: EntityManager, tenantId: string, id: string): Promise<WebhookRegistrationEntity> {
  const found = await m.findOne(WebhookRegistrationEntity, {
    where: { tenantId, id },
    lock: { mode: 'pessimistic_write' },
  });
  if (!found) throw new WebhookRegistrationNotFoundError(id);
  return found;
}

function settingsOf(r: WebhookRegistrationEntity): RegistrationSettings {
  return {
    eventTypes: r.eventTypes,
    channels: channelsFor(r.shopId),
    description: r.description,
    isActive: r.isActive,
  };
}

/** What a registration change means for each of its endpoints. */
function endpointPatch(patch: Partial<WebhookRegistrationEntity>): Partial<RegistrationSettings> {
  const out: Partial<RegistrationSettings> = {};
  if (patch.eventTypes !== undefined) out.eventTypes = patch.eventTypes;
  if (patch.shopId !== undefined) out.channels = channelsFor(patch.shopId);
  if (patch.description !== undefined) out.description = patch.description;
  if (patch.isActive !== undefined) out.isActive = patch.isActive;
  return out;
}
