import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService } from '../auth/audit.service';
import { Principal, systemPrincipal } from '../auth/principal';
import { SecretBox } from '../common/crypto/secret-box';
import { BadUserInputError, NotFoundError } from '../common/errors/domain-error';
import { Page, paginate } from '../common/graphql/pagination';
import { OutboundHttpClient } from '../common/http/http-client';
import { HTTP_RESOLVER } from '../common/http/http.module';
import { Resolver, validateTargetUrl } from '../common/http/ssrf-guard';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { isUuid } from '../common/ids';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { buildSignatureHeaders } from '../common/crypto/sign-payload';
import { generateWebhookSecret } from '../common/crypto/webhook-secret';
import { CreateEndpointInput } from './dto/create-endpoint.input';
import { EndpointFilter } from './dto/endpoint-filter.input';
import { UpdateEndpointInput } from './dto/update-endpoint.input';
import { EndpointEntity, EndpointHealth } from './endpoint.entity';
import { DisableCause, EndpointDisabled, EndpointEnabled, EndpointEvent } from './endpoint.events';
import { failingReason, HealthTransition, nextHealth } from './endpoint-health';
import { checkDescription, checkRateLimit, normalizeHeaders, normalizeList, normalizeMetadata } from './endpoint-rules';
import { judgeVerification, newChallenge, verificationBody, VerificationOutcome, verificationTimeoutMs } from './endpoint-verification';
import { EventTypesService } from '../event-types/event-types.service';
import { isOperationalEventType, TEST_EVENT_TYPE } from '../event-types/platform-event-types';

export const PREVIOUS_SECRET_GRACE_MS = 24 * 3_600_000;
export const DISABLED_BY_USER = 'disabled by user';
/** Decrypted secrets kept, keyed by their ciphertext (a rotation writes a new ciphertext, so nothing goes stale). */
const DECRYPTED_CACHE_MAX_ENTRIES = 10_000;
/**
 * Namespace (first key) of the per-tenant advisory lock that serialises endpoint creation, so concurrent creates
 * cannot pass the quota together; the second key is hashtext(tenant id).
 */
const ENDPOINT_QUOTA_LOCK_NAMESPACE = 727_100_010;
/** extensions.reasonCode of a limit, as FilterLimitError reports it. */
const LIMIT_EXCEEDED = 'LIMIT_EXCEEDED';

/** A tenant at MAX_ENDPOINTS_PER_TENANT tried to create one more. */
export class EndpointLimitError extends BadUserInputError {
  constructor(limit: number) {
    super('input', `a tenant may have at most ${limit} endpoints; delete one before creating another`, { limit, reasonCode: LIMIT_EXCEEDED });
  }
}

/** lastSuccessAt of a healthy endpoint is refreshed at this resolution, so most successes write nothing. */
const LAST_SUCCESS_RESOLUTION_MS = 60_000;

export interface FanoutOptions {
  /** Only this endpoint (test deliveries, replays). With webhook.test it matches whatever the endpoint subscribes to. */
  onlyEndpointId?: string;
  /** Never this endpoint (operational events about it). */
  excludeEndpointId?: string;
}

type EndpointPatch = QueryDeepPartialEntity<EndpointEntity>;

/** Columns of the health state, reset whenever an endpoint is (re-)enabled or delivers successfully. */
const HEALTHY_STATE = { health: EndpointHealth.HEALTHY, consecutiveFailures: 0, firstFailureAt: null, disableAt: null, disabledReason: null } as const;

@Injectable()
export class EndpointsService {
  private readonly box: SecretBox;
  private readonly decrypted = new Map<string, string>();
  /** Read once at boot; tests shorten the contract's 30 s with VERIFICATION_TIMEOUT_MS. */
  readonly verificationTimeoutMs = verificationTimeoutMs();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(EndpointEntity) private readonly endpoints: Repository<EndpointEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(HTTP_RESOLVER) private readonly resolve: Resolver | undefined,
    private readonly http: OutboundHttpClient,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
    private readonly events: EventEmitter2,
    private readonly eventTypes: EventTypesService,
  ) {
    this.box = new SecretBox(config.encryptionKey);
  }

  // ------------------------------------------------------------------ API operations

  /**
   * Creates the endpoint and its secret. With an idempotency key (input.idempotencyKey, else the header),
   * a repeat with the same input returns the first result, secret included: the secret is decrypted from
   * the endpoint again (so after a rotation the repeat shows the current secret).
   */
  async create(principal: Principal, input: CreateEndpointInput, headerKey?: string): Promise<{ endpoint: EndpointEntity; secret: string }> {
    const { idempotencyKey, ...fields } = input;
    const key = idempotencyKey ?? headerKey;
    this.idempotency.validateKey(key, idempotencyKey != null ? 'idempotencyKey' : 'Idempotency-Key');
    const values = await this.createValues(principal.tenantId, fields);
    return this.idempotency.run({
      tenantId: principal.tenantId,
      operation: 'createEndpoint',
      key,
      input: fields,
      work: async (manager) => {
        await this.assertEndpointQuota(manager, principal.tenantId);
        const secret = generateWebhookSecret();
        const inserted = await manager.insert(EndpointEntity, { ...values, tenantId: principal.tenantId, secretEncrypted: this.box.encrypt(secret) } as EndpointPatch);
        const id = (inserted.identifiers[0] as { id: string }).id;
        const endpoint = await manager.findOneByOrFail(EndpointEntity, { id });
        await this.audit.record(principal, 'endpoint.created', { type: 'endpoint', id }, auditFields(values), manager);
        return { result: { endpoint, secret }, ref: { endpointId: id } };
      },
      replay: async (ref) => {
        const endpoint = await this.find(principal.tenantId, String(ref.endpointId));
        const [secret] = await this.signingSecrets(endpoint.id);
        return { endpoint, secret };
      },
    });
  }

  async update(principal: Principal, id: string, input: UpdateEndpointInput): Promise<EndpointEntity> {
    this.assertId(id);
    if (input.url === null) throw new BadUserInputError('url', 'cannot be null');
    // Resolved before the row is locked: DNS may be slow.
    const url = input.url === undefined ? undefined : await this.checkUrl(input.url);
    const becameActive = await this.dataSource.transaction(async (m) => {
      const current = await this.lockForUpdate(m, principal.tenantId, id);
      const patch = await this.updateValues(current, input, url);
      const activeChange = this.activeChange(current, input.isActive);
      Object.assign(patch, activeChange);
      if (Object.keys(patch).length > 0) {
        await m.update(EndpointEntity, { tenantId: principal.tenantId, id }, patch as EndpointPatch);
        await this.audit.record(principal, 'endpoint.updated', { type: 'endpoint', id }, auditFields(patch), m);
      }
      return activeChange.isActive;
    });
    const endpoint = await this.find(principal.tenantId, id);
    await this.announceActiveChange(endpoint, becameActive);
    return endpoint;
  }

  async toggle(principal: Principal, id: string): Promise<EndpointEntity> {
    this.assertId(id);
    const becameActive = await this.dataSource.transaction(async (m) => {
      const current = await this.lockForUpdate(m, principal.tenantId, id);
      const change = this.activeChange(current, !current.isActive);
      await m.update(EndpointEntity, { tenantId: principal.tenantId, id }, change as EndpointPatch);
      await this.audit.record(principal, change.isActive ? 'endpoint.enabled' : 'endpoint.disabled', { type: 'endpoint', id }, { isActive: change.isActive }, m);
      return change.isActive;
    });
    const endpoint = await this.find(principal.tenantId, id);
    await this.announceActiveChange(endpoint, becameActive);
    return endpoint;
  }

  /** Hard delete: deliveries, their attempts and the endpoint's filters go with it (ON DELETE CASCADE). */
  async remove(principal: Principal, id: string): Promise<{ id: string; deletedAt: Date }> {
    this.assertId(id);
    const deletedAt = await this.dataSource.transaction(async (m) => {
      const current = await this.lockForUpdate(m, principal.tenantId, id);
      await m.delete(EndpointEntity, { tenantId: principal.tenantId, id });
      await this.audit.record(principal, 'endpoint.deleted', { type: 'endpoint', id }, { url: current.url }, m);
      return new Date();
    });
    return { id, deletedAt };
  }

  async list(tenantId: string, filter: EndpointFilter | null | undefined, args: { first?: number | null; after?: string | null }): Promise<Page<EndpointEntity>> {
    const qb = this.endpoints.createQueryBuilder('e').where('e.tenant_id = :tenantId', { tenantId });
    if (filter?.isActive != null) qb.andWhere('e.is_active = :isActive', { isActive: filter.isActive });
    if (filter?.eventType != null) this.whereReceivesType(qb, filter.eventType);
    if (filter?.channel != null) qb.andWhere('(cardinality(e.channels) = 0 OR :channel = ANY(e.channels))', { channel: filter.channel });
    const totalCount = await qb.clone().getCount();
    return { ...(await paginate(qb, 'e', args, (e) => e)), totalCount };
  }

  /** Rotation: the new secret signs from now on; the old one keeps signing too for 24 h. */
  async rotateSecret(principal: Principal, id: string): Promise<{ endpoint: EndpointEntity; secret: string; previousSecretExpiresAt: Date }> {
    this.assertId(id);
    const secret = generateWebhookSecret();
    const previousSecretExpiresAt = new Date(Date.now() + PREVIOUS_SECRET_GRACE_MS);
    await this.dataSource.transaction(async (m) => {
      const current = await m
        .createQueryBuilder(EndpointEntity, 'e')
        .addSelect('e.secretEncrypted')
        .where('e.tenant_id = :tenantId AND e.id = :id', { tenantId: principal.tenantId, id })
        .setLock('pessimistic_write')
        .getOne();
      if (!current) throw new NotFoundError('Endpoint', id);
      await m.update(EndpointEntity, { tenantId: principal.tenantId, id }, {
        secretEncrypted: this.box.encrypt(secret),
        previousSecretEncrypted: current.secretEncrypted,
        previousSecretExpiresAt,
      } as EndpointPatch);
      await this.audit.record(principal, 'endpoint.secret_rotated', { type: 'endpoint', id }, { previousSecretExpiresAt: previousSecretExpiresAt.toISOString() }, m);
    });
    return { endpoint: await this.find(principal.tenantId, id), secret, previousSecretExpiresAt };
  }

  /** The handshake of the contract: a signed challenge that the endpoint must echo in a 2xx JSON answer. */
  async verify(principal: Principal, id: string): Promise<VerificationOutcome> {
    const endpoint = await this.find(principal.tenantId, id);
    const challenge = newChallenge();
    const body = verificationBody(challenge);
    const signature = buildSignatureHeaders({ msgId: `msg_verify_${randomUUID()}`, timestamp: Math.floor(Date.now() / 1000), body, secrets: await this.signingSecrets(id) });
    const headers = { ...(endpoint.headers ?? {}), 'content-type': 'application/json', ...signature };
    const result = await this.http.post(endpoint.url, body, headers, { timeoutMs: this.verificationTimeoutMs });
    const outcome = judgeVerification(result, challenge, this.verificationTimeoutMs);
    await this.dataSource.transaction(async (m) => {
      if (outcome.verified) await m.update(EndpointEntity, { tenantId: principal.tenantId, id }, { verifiedAt: new Date() });
      await this.audit.record(principal, outcome.verified ? 'endpoint.verified' : 'endpoint.verification_failed', { type: 'endpoint', id }, { url: endpoint.url, reason: outcome.reason }, m);
    });
    return outcome;
  }

  // ------------------------------------------------------------------ for the deliveries module

  /** Another tenant's endpoint, a missing one and a non-UUID id are all NOT_FOUND. */
  async find(tenantId: string, id: string): Promise<EndpointEntity> {
    const endpoint = isUuid(id) ? await this.endpoints.findOneBy({ tenantId, id }) : null;
    if (!endpoint) throw new NotFoundError('Endpoint', id);
    return endpoint;
  }

  /**
   * The tenant's endpoints, active or not (the caller holds deliveries of inactive ones), that an event of
   * this type and these channels goes to, in one query. An empty eventTypes matches every business type but
   * not the operational ones; webhook.test only ever goes to opts.onlyEndpointId. An event with channels goes
   * to endpoints without channels or sharing one; an event without channels only to endpoints without channels.
   * `filtered` names those with a filter/reducer configuration for this event type, from the same round trip
   * (the publish hot path skips the configuration query when none has one).
   */
  async findForFanout(
    manager: EntityManager,
    tenantId: string,
    eventType: string,
    channels: string[],
    opts: FanoutOptions = {},
  ): Promise<{ endpoints: EndpointEntity[]; filtered: Set<string> }> {
    const qb = this.fanoutQuery(manager, tenantId, eventType, channels, opts);
    if (!qb) return { endpoints: [], filtered: new Set() };
    qb.addSelect('EXISTS (SELECT 1 FROM endpoint_filters f WHERE f.endpoint_id = e.id AND f.event_type = :filterEventType)', 'has_filter').setParameter('filterEventType', eventType);
    const { entities, raw } = await qb.getRawAndEntities<{ e_id: string; has_filter: boolean }>();
    return { endpoints: entities, filtered: new Set(raw.filter((r) => r.has_filter).map((r) => r.e_id)) };
  }

  private fanoutQuery(manager: EntityManager, tenantId: string, eventType: string, channels: string[], opts: FanoutOptions): SelectQueryBuilder<EndpointEntity> | null {
    const isTest = eventType === TEST_EVENT_TYPE;
    if (isTest && !opts.onlyEndpointId) return null;
    if (opts.onlyEndpointId !== undefined && (!isUuid(opts.onlyEndpointId) || opts.onlyEndpointId === opts.excludeEndpointId)) return null;
    const qb = manager.createQueryBuilder(EndpointEntity, 'e').where('e.tenant_id = :tenantId', { tenantId });
    if (opts.onlyEndpointId) qb.andWhere('e.id = :onlyId', { onlyId: opts.onlyEndpointId });
    if (opts.excludeEndpointId && isUuid(opts.excludeEndpointId)) qb.andWhere('e.id <> :excludeId', { excludeId: opts.excludeEndpointId });
    if (!isTest) {
      this.whereReceivesType(qb, eventType);
      if (channels.length > 0) qb.andWhere('(cardinality(e.channels) = 0 OR e.channels && :channels::text[])', { channels });
      else qb.andWhere('cardinality(e.channels) = 0');
    }
    return qb.orderBy('e.created_at', 'ASC').addOrderBy('e.id', 'ASC');
  }

  /** [current, previous while in its grace period], decrypted, read from the endpoint row now. */
  async signingSecrets(endpointId: string): Promise<string[]> {
    const row = isUuid(endpointId)
      ? await this.endpoints
          .createQueryBuilder('e')
          .select(['e.id', 'e.secretEncrypted', 'e.previousSecretEncrypted', 'e.previousSecretExpiresAt'])
          .where('e.id = :id', { id: endpointId })
          .getOne()
      : null;
    if (!row) throw new NotFoundError('Endpoint', endpointId);
    return this.secretsOf(row);
  }

  /**
   * The same from columns the caller read with the row it works on (dispatch reads them with its claim), so a
   * rotation made by any process signs the very next attempt. Only the decryption is cached.
   */
  secretsOf(row: { secretEncrypted: string; previousSecretEncrypted: string | null; previousSecretExpiresAt: Date | null }): string[] {
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
      if (this.decrypted.size >= DECRYPTED_CACHE_MAX_ENTRIES) this.decrypted.delete(this.decrypted.keys().next().value as string);
      this.decrypted.set(ciphertext, plain);
    }
    return plain;
  }

  /** A delivery succeeded: HEALTHY again. Writes nothing when the endpoint was healthy and lastSuccessAt is recent. */
  async recordSuccess(endpointId: string, at: Date): Promise<void> {
    if (!isUuid(endpointId)) return;
    await this.dataSource.query(
      `UPDATE endpoints
          SET health = CASE WHEN is_active THEN 'HEALTHY' ELSE health END,
              consecutive_failures = 0, first_failure_at = NULL, disable_at = NULL,
              last_success_at = GREATEST(COALESCE(last_success_at, $2), $2), updated_at = now()
        WHERE id = $1
          AND (consecutive_failures <> 0 OR first_failure_at IS NOT NULL OR (is_active AND health <> 'HEALTHY')
               OR last_success_at IS NULL OR last_success_at < $2::timestamptz - $3 * interval '1 millisecond')`,
      [endpointId, at, LAST_SUCCESS_RESOLUTION_MS],
    );
  }

  /**
   * A delivery failed: counts it atomically and applies the health rules (nextHealth). The row stays locked
   * until the decision is written, so concurrent failures see each other and each transition happens once;
   * `transition` is the one made by this call.
   */
  async recordFailure(endpointId: string, at: Date, lastError: string | null = null): Promise<{ endpoint: EndpointEntity; transition: HealthTransition }> {
    if (!isUuid(endpointId)) throw new NotFoundError('Endpoint', endpointId);
    const result = await this.dataSource.transaction(async (m): Promise<{ endpoint: EndpointEntity; transition: HealthTransition }> => {
      const counted = await m
        .createQueryBuilder()
        .update(EndpointEntity)
        .set({ consecutiveFailures: () => 'consecutive_failures + 1', firstFailureAt: () => 'COALESCE(first_failure_at, :at)' })
        .where('id = :id', { id: endpointId })
        .setParameter('at', at)
        .returning('id')
        .execute();
      if ((counted.raw as unknown[]).length === 0) throw new NotFoundError('Endpoint', endpointId);
      const endpoint = await m.findOneByOrFail(EndpointEntity, { id: endpointId });
      const decision = nextHealth({ ...endpoint, firstFailureAt: endpoint.firstFailureAt ?? at }, at);
      if (decision.transition === 'none' && decision.disableAt?.getTime() === endpoint.disableAt?.getTime()) return { endpoint, transition: 'none' };

      const patch: Partial<EndpointEntity> = { health: decision.health, disableAt: decision.disableAt };
      if (decision.disable) Object.assign(patch, { isActive: false, disabledReason: failingReason(endpoint.firstFailureAt ?? at) });
      await m.update(EndpointEntity, { id: endpointId }, patch as EndpointPatch);
      if (decision.disable) {
        await this.audit.record(systemPrincipal(endpoint.tenantId), 'endpoint.disabled', { type: 'endpoint', id: endpointId }, { reason: patch.disabledReason }, m);
      }
      return { endpoint: await m.findOneByOrFail(EndpointEntity, { id: endpointId }), transition: decision.transition };
    });
    if (result.transition === 'disabled') await this.events.emitAsync(EndpointEvent.Disabled, new EndpointDisabled(result.endpoint, DisableCause.FAILING, lastError));
    return result;
  }

  /** Disables an endpoint for the platform (410 Gone); `changed` is false when it was already disabled. */
  async disable(endpointId: string, reason: string, cause = DisableCause.GONE, lastError: string | null = null): Promise<{ endpoint: EndpointEntity; changed: boolean }> {
    if (!isUuid(endpointId)) throw new NotFoundError('Endpoint', endpointId);
    const result = await this.dataSource.transaction(async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(EndpointEntity)
        .set({ isActive: false, health: EndpointHealth.DISABLED, disabledReason: reason, disableAt: null })
        .where('id = :id AND (is_active OR health <> :disabled)', { id: endpointId, disabled: EndpointHealth.DISABLED })
        .returning('tenant_id')
        .execute();
      const rows = res.raw as { tenant_id: string }[];
      const endpoint = await m.findOneBy(EndpointEntity, { id: endpointId });
      if (!endpoint) throw new NotFoundError('Endpoint', endpointId);
      if (rows.length > 0) await this.audit.record(systemPrincipal(endpoint.tenantId), 'endpoint.disabled', { type: 'endpoint', id: endpointId }, { reason }, m);
      return { endpoint, changed: rows.length > 0 };
    });
    if (result.changed) await this.events.emitAsync(EndpointEvent.Disabled, new EndpointDisabled(result.endpoint, cause, lastError));
    return result;
  }

  /**
   * A FAILING endpoint is disabled at disableAt even when no further attempt comes to notice it (a platform
   * sweep across tenants, run by the reconciler). Returns the endpoints this call disabled.
   */
  async disableOverdue(now = new Date()): Promise<EndpointEntity[]> {
    const due = await this.dataSource
      .getRepository(EndpointEntity)
      .createQueryBuilder('e')
      .where('e.is_active AND e.disable_at IS NOT NULL AND e.disable_at <= :now', { now })
      .orderBy('e.disable_at')
      .take(100)
      .getMany();
    const disabled: EndpointEntity[] = [];
    for (const e of due) {
      const { endpoint, changed } = await this.disable(e.id, failingReason(e.firstFailureAt ?? (e.disableAt as Date)), DisableCause.FAILING);
      if (changed) disabled.push(endpoint);
    }
    return disabled;
  }

  // ------------------------------------------------------------------ internals

  private assertId(id: string): void {
    if (!isUuid(id)) throw new NotFoundError('Endpoint', id);
  }

  /**
   * In the create transaction: a per-tenant advisory lock (held to commit) makes count-then-insert atomic against
   * every other create of the tenant, in any process. Another tenant's creates hash elsewhere and do not wait.
   */
  private async assertEndpointQuota(m: EntityManager, tenantId: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ENDPOINT_QUOTA_LOCK_NAMESPACE, tenantId]);
    const [{ count }]: { count: number }[] = await m.query('SELECT count(*)::int AS count FROM endpoints WHERE tenant_id = $1', [tenantId]);
    if (count >= this.config.maxEndpointsPerTenant) throw new EndpointLimitError(this.config.maxEndpointsPerTenant);
  }

  private async lockForUpdate(m: EntityManager, tenantId: string, id: string): Promise<EndpointEntity> {
    const endpoint = await m.findOne(EndpointEntity, { where: { tenantId, id }, lock: { mode: 'pessimistic_write' } });
    if (!endpoint) throw new NotFoundError('Endpoint', id);
    return endpoint;
  }

  /** The columns that change when isActive is set to `wanted` (nothing when it is already so). */
  private activeChange(current: EndpointEntity, wanted: boolean | null | undefined): Partial<EndpointEntity> {
    if (wanted === undefined || wanted === current.isActive) return {};
    if (wanted === null) throw new BadUserInputError('isActive', 'cannot be null');
    return wanted ? { isActive: true, ...HEALTHY_STATE } : { isActive: false, health: EndpointHealth.DISABLED, disabledReason: DISABLED_BY_USER, disableAt: null };
  }

  /**
   * After commit (listeners never run under the row lock): a change of isActive by hand is announced. Listeners are
   * awaited, so the caller's answer follows their work; their errors are logged by the emitter and never fail the
   * change, which is committed either way (the reconciler picks up what a listener missed).
   */
  private async announceActiveChange(endpoint: EndpointEntity, becameActive: boolean | undefined): Promise<void> {
    if (becameActive === true) await this.events.emitAsync(EndpointEvent.Enabled, new EndpointEnabled(endpoint));
    else if (becameActive === false) await this.events.emitAsync(EndpointEvent.Disabled, new EndpointDisabled(endpoint, DisableCause.MANUAL, null));
  }

  private async checkUrl(raw: string): Promise<string> {
    return (await validateTargetUrl(raw, { allowPrivate: this.config.allowPrivateTargets, resolve: this.resolve })).href;
  }

  private async createValues(
    tenantId: string,
    input: Omit<CreateEndpointInput, 'idempotencyKey'>,
  ): Promise<Partial<EndpointEntity>> {
    const eventTypes = normalizeList('eventTypes', input.eventTypes ?? []);
    await this.eventTypes.checkSubscribable(tenantId, eventTypes);
    return {
      url: await this.checkUrl(input.url),
      description: input.description == null ? null : checkDescription(input.description),
      eventTypes,
      channels: normalizeList('channels', input.channels ?? []),
      rateLimitPerSecond: input.rateLimitPerSecond == null ? null : checkRateLimit(input.rateLimitPerSecond),
      headers: input.headers == null ? null : normalizeHeaders(input.headers),
      metadata: input.metadata == null ? null : normalizeMetadata(input.metadata),
    };
  }

  /** Only the fields present in the input; null clears (or empties the lists). */
  private async updateValues(
    current: EndpointEntity,
    input: UpdateEndpointInput,
    url: string | undefined,
  ): Promise<Partial<EndpointEntity>> {
    const patch: Partial<EndpointEntity> = {};
    if (url !== undefined && url !== current.url) Object.assign(patch, { url, verifiedAt: null });
    if (input.description !== undefined) patch.description = input.description === null ? null : checkDescription(input.description);
    if (input.eventTypes !== undefined) {
      patch.eventTypes = normalizeList('eventTypes', input.eventTypes ?? []);
      await this.eventTypes.checkSubscribable(current.tenantId, patch.eventTypes, current.eventTypes);
    }
    if (input.channels !== undefined) patch.channels = normalizeList('channels', input.channels ?? []);
    if (input.rateLimitPerSecond !== undefined) patch.rateLimitPerSecond = input.rateLimitPerSecond === null ? null : checkRateLimit(input.rateLimitPerSecond);
    if (input.headers !== undefined) patch.headers = input.headers === null ? null : normalizeHeaders(input.headers);
    if (input.metadata !== undefined) patch.metadata = input.metadata === null ? null : normalizeMetadata(input.metadata);
    return patch;
  }

  private whereReceivesType(qb: SelectQueryBuilder<EndpointEntity>, eventType: string): void {
    qb.andWhere(
      new Brackets((w) => {
        w.where(':eventType = ANY(e.event_types)', { eventType });
        if (!isOperationalEventType(eventType) && eventType !== TEST_EVENT_TYPE) w.orWhere('cardinality(e.event_types) = 0');
      }),
    );
  }
}

/** What the audit log keeps of a change: header names and metadata keys only (values may be credentials). */
function auditFields(values: Partial<EndpointEntity> | EndpointPatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (key === 'headers') out.headerNames = value === null ? null : Object.keys(value as object);
    else if (key === 'metadata') out.metadataKeys = value === null ? null : Object.keys(value as object);
    else out[key] = value;
  }
  return out;
}
