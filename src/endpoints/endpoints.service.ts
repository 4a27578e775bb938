import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService } from '../auth/audit.service';
import { ALL_CHANNELS, ChannelScope, channelScope, Principal } from '../auth/principal';
import { Page, paginate } from '../common/graphql/pagination';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { isUuid } from '../common/ids';
import { CreateEndpointInput } from './dto/create-endpoint.input';
import { EndpointFilter } from './dto/endpoint-filter.input';
import { UpdateEndpointInput } from './dto/update-endpoint.input';
import { activeChange } from './endpoint-activation';
import { EndpointAdmission } from './endpoint-admission.service';
import { EndpointEntity } from './endpoint.entity';
import { DisableCause, EndpointDisabled, EndpointEnabled, EndpointEvent } from './endpoint.events';
import { auditFields, updateValues } from './endpoint-changes';
import { checkDescription, checkRateLimit, normalizeHeaders, normalizeList, normalizeMetadata } from './endpoint-rules';
import { andWhereInScope, scopedChannels, scopeWhere } from './endpoint-scope';
import { EndpointSecrets } from './endpoint-secrets.service';
import { whereReceivesType } from './endpoint-targeting';
import { EndpointNotFoundError, ManagedByRegistrationError, NullNotAllowedError } from './endpoints.errors';

export { DISABLED_BY_USER } from './endpoint-activation';

type EndpointPatch = QueryDeepPartialEntity<EndpointEntity>;

/** The tenant's endpoints: create (idempotent, under the quota), read, update, enable/disable, delete. */
@Injectable()
export class EndpointsService {
  constructor(
    @InjectRepository(EndpointEntity) private readonly endpoints: Repository<EndpointEntity>,
    private readonly admission: EndpointAdmission,
    private readonly secrets: EndpointSecrets,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
    private readonly events: EventEmitter2,
  ) {}

  /**
   * Creates the endpoint and its secret. With an idempotency key (input.idempotencyKey, else the header),
   * a repeat with the same input returns the first result, secret included: the secret is decrypted from
   * the endpoint again (so after a rotation the repeat shows the current secret).
   */
  async create(
    principal: Principal,
    input: CreateEndpointInput,
    headerKey?: string,
  ): Promise<{ endpoint: EndpointEntity; secret: string }> {
    const { tenantId } = principal;
    const { idempotencyKey, ...fields } = input;
    const key = idempotencyKey ?? headerKey;
    this.idempotency.validateKey(key, idempotencyKey != null ? 'idempotencyKey' : 'Idempotency-Key');
    const values = await this.createValues(principal.tenantId, fields, channelScope(principal));
    return this.idempotency.run({
      tenantId,
      operation: 'createEndpoint',
      key,
      input: fields,
      work: async (manager) => {
        await this.admission.assertQuota(manager, tenantId);
        const { secret, secretEncrypted } = this.secrets.issue();
        const inserted = await manager.insert(EndpointEntity, {
          ...values,
          tenantId,
          secretEncrypted,
        } as EndpointPatch);
        const id = (inserted.identifiers[0] as { id: string }).id;
        const endpoint = await manager.findOneByOrFail(EndpointEntity, { id });
        await this.audit.record(principal, 'endpoint.created', { type: 'endpoint', id }, auditFields(values), manager);
        return { result: { endpoint, secret }, ref: { endpointId: id } };
      },
      replay: async (ref) => {
        const endpoint = await this.find(tenantId, String(ref.endpointId), channelScope(principal));
        const [secret] = await this.secrets.signingSecrets(tenantId, endpoint.id);
        return { endpoint, secret };
      },
    });
  }

  async update(principal: Principal, id: string, input: UpdateEndpointInput): Promise<EndpointEntity> {
    const { tenantId } = principal;
    const scope = channelScope(principal);
    assertId(id);
    const channels = scopedChannels(scope, input.channels, false);
    if (input.url === null) throw new NullNotAllowedError('url');
    // Resolved before the row is locked: DNS may be slow.
    const url = input.url === undefined ? undefined : await this.admission.checkUrl(input.url);
    const becameActive = await this.endpoints.manager.transaction(async (m) => {
      const current = await lockForUpdate(m, tenantId, id, scope);
      if (url !== undefined && current.registrationId !== null) {
        throw new ManagedByRegistrationError(id, current.registrationId, 'change the URL of');
      }
      const patch = updateValues(current, input, url, channels);
      if (patch.eventTypes) await this.admission.checkEventTypes(tenantId, patch.eventTypes, current.eventTypes);
      const change = activeChange(current, input.isActive);
      Object.assign(patch, change);
      if (Object.keys(patch).length > 0) {
        await m.update(EndpointEntity, { tenantId, id }, patch as EndpointPatch);
        await this.audit.record(principal, 'endpoint.updated', { type: 'endpoint', id }, auditFields(patch), m);
      }
      return change.isActive;
    });
    const endpoint = await this.find(tenantId, id, scope);
    await this.announceActiveChange(endpoint, becameActive);
    return endpoint;
  }

  async toggle(principal: Principal, id: string): Promise<EndpointEntity> {
    const { tenantId } = principal;
    const scope = channelScope(principal);
    assertId(id);
    const becameActive = await this.endpoints.manager.transaction(async (m) => {
      const current = await lockForUpdate(m, tenantId, id, scope);
      const change = activeChange(current, !current.isActive);
      await m.update(EndpointEntity, { tenantId, id }, change as EndpointPatch);
      const action = change.isActive ? 'endpoint.enabled' : 'endpoint.disabled';
      await this.audit.record(principal, action, { type: 'endpoint', id }, { isActive: change.isActive }, m);
      return change.isActive;
    });
    const endpoint = await this.find(tenantId, id, scope);
    await this.announceActiveChange(endpoint, becameActive);
    return endpoint;
  }

  /** Hard delete: deliveries, their attempts and the endpoint's filters go with it (ON DELETE CASCADE). */
  async remove(principal: Principal, id: string): Promise<{ id: string; deletedAt: Date }> {
    const { tenantId } = principal;
    assertId(id);
    const deletedAt = await this.endpoints.manager.transaction(async (m) => {
      const current = await lockForUpdate(m, tenantId, id, channelScope(principal));
      if (current.registrationId !== null) throw new ManagedByRegistrationError(id, current.registrationId, 'delete');
      await m.delete(EndpointEntity, { tenantId, id });
      await this.audit.record(principal, 'endpoint.deleted', { type: 'endpoint', id }, { url: current.url }, m);
      return new Date();
    });
    return { id, deletedAt };
  }

  async list(
    tenantId: string,
    filter: EndpointFilter | null | undefined,
    args: { first?: number | null; after?: string | null },
    channel: ChannelScope,
  ): Promise<Page<EndpointEntity>> {
    const qb = this.endpoints.createQueryBuilder('e').where('e.tenant_id = :tenantId', { tenantId });
    andWhereInScope(qb, 'e', channel);
    if (filter?.isActive != null) qb.andWhere('e.is_active = :isActive', { isActive: filter.isActive });
    if (filter?.eventType != null) whereReceivesType(qb, filter.eventType);
    if (filter?.channel != null) {
      qb.andWhere('(cardinality(e.channels) = 0 OR :channel = ANY(e.channels))', { channel: filter.channel });
    }
    const totalCount = await qb.clone().getCount();
    return { ...(await paginate(qb, 'e', args, (e) => e)), totalCount };
  }

  /** Another tenant's endpoint, one outside the channel scope, a missing one and a non-UUID id are all NOT_FOUND. */
  async find(tenantId: string, id: string, channel: ChannelScope): Promise<EndpointEntity> {
    const endpoint = isUuid(id) ? await this.endpoints.findOneBy({ tenantId, id, ...scopeWhere(channel) }) : null;
    if (!endpoint) throw new EndpointNotFoundError(id);
    return endpoint;
  }

  /** Whether the tenant's endpoint is within the scope (always, for ALL_CHANNELS): deliveries are as their endpoint. */
  async isInScope(tenantId: string, id: string, channel: ChannelScope): Promise<boolean> {
    if (channel === ALL_CHANNELS) return true;
    return isUuid(id) && this.endpoints.exists({ where: { tenantId, id, ...scopeWhere(channel) } });
  }

  /** The ids of the tenant's endpoints in a channel (at most MAX_ENDPOINTS_PER_TENANT), for reads of their deliveries. */
  async idsInChannel(tenantId: string, channel: string): Promise<string[]> {
    const rows = await andWhereInScope(
      this.endpoints.createQueryBuilder('e').select('e.id', 'id').where('e.tenant_id = :tenantId', { tenantId }),
      'e',
      channel,
    ).getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  // ------------------------------------------------------------------ internals

  /**
   * After commit (listeners never run under the row lock): a change of isActive by hand is announced. Listeners are
   * awaited, so the caller's answer follows their work; their errors are logged by the emitter and never fail the
   * change, which is committed either way (the reconciler picks up what a listener missed).
   */
  private async announceActiveChange(endpoint: EndpointEntity, becameActive: boolean | undefined): Promise<void> {
    if (becameActive === true) {
      await this.events.emitAsync(EndpointEvent.Enabled, new EndpointEnabled(endpoint));
    } else if (becameActive === false) {
      await this.events.emitAsync(EndpointEvent.Disabled, new EndpointDisabled(endpoint, DisableCause.MANUAL, null));
    }
  }

  private async createValues(
    tenantId: string,
    input: Omit<CreateEndpointInput, 'idempotencyKey'>,
    scope: ChannelScope,
  ): Promise<Partial<EndpointEntity>> {
    const channels = scopedChannels(scope, input.channels, true);
    const eventTypes = normalizeList('eventTypes', input.eventTypes ?? []);
    await this.admission.checkEventTypes(tenantId, eventTypes);
    return {
      url: await this.admission.checkUrl(input.url),
      description: input.description == null ? null : checkDescription(input.description),
      eventTypes,
      channels,
      rateLimitPerSecond: input.rateLimitPerSecond == null ? null : checkRateLimit(input.rateLimitPerSecond),
      headers: input.headers == null ? null : normalizeHeaders(input.headers),
      metadata: input.metadata == null ? null : normalizeMetadata(input.metadata),
    };
  }
}

function assertId(id: string): void {
  if (!isUuid(id)) throw new EndpointNotFoundError(id);
}

async function lockForUpdate(
  m: EntityManager,
  tenantId: string,
  id: string,
  scope: ChannelScope,
): Promise<EndpointEntity> {
  const endpoint = await m.findOne(EndpointEntity, {
    where: { tenantId, id, ...scopeWhere(scope) },
    lock: { mode: 'pessimistic_write' },
  });
  if (!endpoint) throw new EndpointNotFoundError(id);
  return endpoint;
}
