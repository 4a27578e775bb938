import { MAX_JSON_DEPTH, nestedDeeperThan } from '../common/graphql/scalars';
import { findUnstorableText, replaceUnstorable, storableCopy } from '../common/graphql/storable-text';
import { Injectable, Logger } from '@nestjs/common';
import { RateLimitScope, RateLimitsService } from '../common/rate-limits/rate-limits.service';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { IntegrationsService, type IntegrationWithSecrets } from '../integrations/integrations.service';
import type { InboundRequest, ProviderAdapter } from '../integrations/providers';
import { getProviderAdapter } from '../integrations/providers';
import { FAIRE_BRAND_TOKEN_HEADER, FAIRE_PROVIDER } from '../integrations/providers/faire/faire.adapter';
import { InboundEventEntity, InboundEventStatus } from './inbound-event.entity';
import { InboundEventsQueue } from './inbound-events.queue';
import { InboundProcessingService } from './inbound-processing.service';
import { InboundRefusal, InboundRefusalReason as Reason } from './inbound-events.errors';
import { redactHeaders } from './redact-headers';

export interface InboundCallback extends InboundRequest {
  contentType: string | undefined;
}

/**
 * What the controller answers. 202 is used for every provider, Temu included: the contract says 202, and
 * Temu (like Faire) treats any 2xx answered quickly as delivered; we answer once the row is stored.
 */
export type InboundReceipt =
  | { status: 202; body: { id: string } }
  | { status: 200; body: { id: string; duplicate: true } }
  | { status: 400 | 401 | 404 | 415; body: { error: InboundRefusal } }
  | { status: 429; retryAfterMs: number; body: { error: InboundRefusal } };

const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;

function refuse(
  status: 400 | 401 | 404 | 415,
  code: string,
  reason: Reason,
  message: string,
  limit?: number,
): InboundReceipt {
  return { status, body: { error: { code, message, reasonCode: reason, ...(limit === undefined ? {} : { limit }) } } };
}

/** 429 with Retry-After: providers retry on it. */
function rateLimited(retryAfterMs: number): InboundReceipt {
  const message = `too many callbacks for this integration: retry after ${retryAfterMs} ms`;
  const error = { code: 'RATE_LIMITED', message, reasonCode: Reason.IntegrationRateLimited, retryAfterMs };
  return { status: 429, retryAfterMs, body: { error } };
}

@Injectable()
export class InboundReceiverService {
  private readonly logger = new Logger(InboundReceiverService.name);

  constructor(
    @InjectRepository(InboundEventEntity) private readonly events: Repository<InboundEventEntity>,
    private readonly queue: InboundEventsQueue,
    private readonly integrations: IntegrationsService,
    private readonly processing: InboundProcessingService,
    private readonly limits: RateLimitsService,
  ) {}

  /** POST /inbound/{provider}/{integrationId}: the path names the integration, and its signature is always required. */
  async receive(provider: string, integrationId: string, callback: InboundCallback): Promise<InboundReceipt> {
    const adapter = getProviderAdapter(provider);
    const found = adapter ? await this.integrations.findActiveForCallback(provider, integrationId) : null;
    if (!adapter || !found)
      return refuse(404, 'NOT_FOUND', Reason.IntegrationNotFound, 'unknown or inactive integration');
    return this.accept(adapter, found, callback, true, () => this.receive(provider, integrationId, callback));
  }

  /**
   * POST /inbound/faire: X-Faire-Brand-Token names the integration and authenticates the callback; the
   * X-Faire-Hmac-SHA256 signature is required as well when the integration has a webhookSecret.
   */
  async receiveFaire(callback: InboundCallback): Promise<InboundReceipt> {
    const adapter = getProviderAdapter(FAIRE_PROVIDER);
    if (!adapter) throw new Error('the faire adapter is not registered');
    const brandToken = callback.headers[FAIRE_BRAND_TOKEN_HEADER]?.trim();
    if (!brandToken)
      return refuse(401, 'UNAUTHENTICATED', Reason.BrandTokenMissing, 'missing X-Faire-Brand-Token header');
    const found = await this.integrations.findActiveByBrandToken(brandToken);
    if (!found)
      return refuse(404, 'NOT_FOUND', Reason.BrandTokenUnknown, 'no active Faire integration has this brand token');
    const signed = found.secrets.webhookSecret != null;
    return this.accept(adapter, found, callback, signed, () => this.receiveFaire(callback));
  }

  /** Verifies the raw body, stores the event PENDING (once per provider event id) and queues its processing. */
  private async accept(
    adapter: ProviderAdapter,
    found: IntegrationWithSecrets,
    callback: InboundCallback,
    signatureRequired: boolean,
    again: () => Promise<InboundReceipt>,
  ): Promise<InboundReceipt> {
    if (!callback.contentType || !JSON_CONTENT_TYPE.test(callback.contentType)) {
      return refuse(415, 'UNSUPPORTED_MEDIA_TYPE', Reason.ContentTypeNotJson, 'content-type must be application/json');
    }
    const request: InboundRequest = { rawBody: callback.rawBody, headers: callback.headers };
    const verified = signatureRequired ? adapter.verify(request, found.secrets) : { ok: true as const };
    if (!verified.ok)
      return refuse(401, 'UNAUTHENTICATED', Reason.SignatureInvalid, `invalid signature: ${verified.reason}`);
    // Counted once signed: a stranger who knows the URL cannot spend the provider's budget. Refused: nothing stored.
    const limited = await this.limits.consume(RateLimitScope.Inbound, found.integration.id, 1);
    if (!limited.allowed) return rateLimited(limited.retryAfterMs ?? 60_000);

    let body: unknown;
    try {
      body = adapter.decodeBody
        ? adapter.decodeBody(request, found.secrets)
        : JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      return refuse(400, 'BAD_REQUEST', Reason.BodyNotJson, 'body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null)
      return refuse(400, 'BAD_REQUEST', Reason.BodyNotObject, 'body must be a JSON object or array');
    if (nestedDeeperThan(body)) {
      const tooDeep = `body is nested deeper than ${MAX_JSON_DEPTH} levels`;
      return refuse(400, 'BAD_REQUEST', Reason.LimitExceeded, tooDeep, MAX_JSON_DEPTH);
    }
    const { eventCode, externalId } = adapter.extract(request, body);
    const { integration } = found;
    // A signed event is never lost: a NUL or lone surrogate (which jsonb refuses) keeps the exact body as JSON text,
    // and processing fails the event with the reason.
    const unstorable = findUnstorableText(body, 'body') !== null;
    const row = {
      tenantId: integration.tenantId,
      integrationId: integration.id,
      provider: adapter.provider,
      eventCode: replaceUnstorable(eventCode),
      externalId: externalId === null ? null : replaceUnstorable(externalId),
      status: InboundEventStatus.PENDING,
      jsonData: unstorable ? (storableCopy(body) as object) : body,
      jsonText: unstorable ? JSON.stringify(body) : null,
      headers: redactHeaders(callback.headers, adapter.signatureHeaderNames()),
    };
    // ON CONFLICT DO NOTHING: concurrent copies of one provider event make one row, the others see it as a duplicate.
    const inserted = await this.events.createQueryBuilder().insert().values(row).orIgnore().returning(['id']).execute();
    const id = (inserted.raw as { id: string }[])[0]?.id;
    if (!id) {
      if (externalId === null) throw new Error('inbound event insert returned no id');
      const existing = await this.events.findOne({
        where: { integrationId: integration.id, externalId },
        select: { id: true },
      });
      if (existing) return { status: 200, body: { id: existing.id, duplicate: true } };
      return again(); // the first copy was deleted meanwhile
    }
    const stored = await this.events.findOneByOrFail({ id });
    await this.processing.notify(stored);
    await this.enqueue(stored.id);
    return { status: 202, body: { id: stored.id } };
  }

  /** jobId = event id, so a second enqueue of the same event collapses into one job. */
  async enqueue(id: string): Promise<void> {
    try {
      await this.queue.add(id);
    } catch (error) {
      // The row is stored PENDING: processPendingInboundEvents picks it up once Redis is back.
      this.logger.error({
        msg: 'could not queue inbound event',
        inboundEventId: id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
