import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { HTTP_RESOLVER } from '../common/http/http.module';
import { Resolver, validateTargetUrl } from '../common/http/ssrf-guard';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EventTypesService } from '../event-types/event-types.service';
import { EndpointLimitError } from './endpoints.errors';

/**
 * Namespace (first key) of the per-tenant advisory lock that serialises endpoint creation, so concurrent creates
 * cannot pass the quota together; the second key is hashtext(tenant id).
 */
const ENDPOINT_QUOTA_LOCK_NAMESPACE = 727_100_010;

/**
 * What the platform admits as an endpoint, by its configuration: a target URL the SSRF guard accepts
 * (ALLOW_PRIVATE_TARGETS, the DNS hook), event types the tenant's catalog holds, and one more endpoint only under
 * MAX_ENDPOINTS_PER_TENANT.
 */
@Injectable()
export class EndpointAdmission {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(HTTP_RESOLVER) private readonly resolve: Resolver | undefined,
    private readonly eventTypes: EventTypesService,
  ) {}

  /** Types the tenant may subscribe to: known ones; archived ones only if the endpoint already had them. */
  async checkEventTypes(tenantId: string, names: string[], alreadySubscribed: readonly string[] = []): Promise<void> {
    await this.eventTypes.checkSubscribable(tenantId, names, alreadySubscribed);
  }

  /** The normalised URL; refused with the guard's named errors (URL_INVALID, URL_SCHEME_NOT_ALLOWED, TARGET_NOT_PUBLIC, URL_HOST_UNRESOLVED). */
  async checkUrl(raw: string): Promise<string> {
    return (await validateTargetUrl(raw, { allowPrivate: this.config.allowPrivateTargets, resolve: this.resolve }))
      .href;
  }

  /**
   * In the create transaction: a per-tenant advisory lock (held to commit) makes count-then-insert atomic against
   * every other create of the tenant, in any process. Another tenant's creates hash elsewhere and do not wait.
   * `adding`: how many endpoints the transaction creates (a webhook registration creates one per URL).
   */
  async assertQuota(m: EntityManager, tenantId: string, adding = 1): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ENDPOINT_QUOTA_LOCK_NAMESPACE, tenantId]);
    const sql = 'SELECT count(*)::int AS count FROM endpoints WHERE tenant_id = $1';
    const [{ count }]: { count: number }[] = await m.query(sql, [tenantId]);
    if (count + adding > this.config.maxEndpointsPerTenant)
      throw new EndpointLimitError(this.config.maxEndpointsPerTenant);
  }
}
