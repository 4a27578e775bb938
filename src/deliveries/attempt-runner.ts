import { Inject, Injectable } from '@nestjs/common';
import { OutboundHttpClient } from '../common/http/http-client';
import {
  Span,
  SpanKind,
  SpanName,
  SpanStatusCode,
  TraceAttribute,
  traceparentOf,
  withSpan,
} from '../common/telemetry/tracing';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EndpointSecrets } from '../endpoints/endpoint-secrets.service';
import { AttemptOutcome, decideOutcome, unsignableOutcome } from './delivery-outcome';
import { DeliveryStatus } from './delivery.entity';
import { AttemptRecord, ClaimedRow } from './delivery-store';
import { buildSignatureHeaders } from '../common/crypto/sign-payload';
import { SecretKeyMissingError } from '../common/crypto/crypto.errors';

const USER_AGENT = 'Hookline-Webhooks/1.0';
const MAX_STORED_BODY = 64 * 1024;

/** One attempt of a claimed delivery: sign it, POST it through the outbound client, decide what the answer means. */
@Injectable()
export class AttemptRunner {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly http: OutboundHttpClient,
    private readonly secrets: EndpointSecrets,
  ) {}

  /** Under a `hookline.attempt` span, child of the event's publish span whose traceparent the delivery stores. */
  run(claimed: ClaimedRow): Promise<AttemptRecord> {
    const attributes = {
      [TraceAttribute.TenantId]: claimed.tenant_id,
      [TraceAttribute.DeliveryId]: claimed.id,
      [TraceAttribute.EventId]: claimed.event_id,
      [TraceAttribute.EndpointId]: claimed.endpoint_id,
      [TraceAttribute.AttemptNumber]: claimed.attempt_count,
    };
    return withSpan(SpanName.Attempt, attributes, (span) => this.attempt(claimed, span), {
      kind: SpanKind.CLIENT,
      parentTraceparent: claimed.trace_parent,
    });
  }

  private async attempt(claimed: ClaimedRow, span: Span | null): Promise<AttemptRecord> {
    const body = claimed.body; // the JSON text stored at publish, sent as it is
    let secrets: string[];
    try {
      secrets = this.secrets.secretsOf({
        secretEncrypted: claimed.secret_encrypted,
        previousSecretEncrypted: claimed.previous_secret_encrypted,
        previousSecretExpiresAt: claimed.previous_secret_expires_at,
      });
    } catch (error) {
      // Its key was removed from the ring: nothing is sent, and retrying cannot help until an operator acts.
      if (!(error instanceof SecretKeyMissingError)) throw error;
      const record = this.notSent(claimed, error);
      if (span) describeAttempt(span, record.outcome, 0);
      return record;
    }
    const signature = buildSignatureHeaders({
      msgId: claimed.event_id,
      timestamp: Math.floor(Date.now() / 1000),
      body,
      secrets,
    });
    // The receiver may join the trace; with tracing off no traceparent is sent. Standard Webhooks signs the id,
    // timestamp and body only, so the header changes no signature.
    const traceparent = traceparentOf(span);
    const headers = {
      ...(claimed.headers ?? {}),
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      ...(traceparent ? { traceparent } : {}),
      ...signature,
    };
    const startedAt = new Date();
    const result = await this.http.post(claimed.url, body, headers, { timeoutMs: this.config.deliveryTimeoutMs });
    const outcome = decideOutcome(result, claimed.attempt_count, this.config.retryScheduleMs);
    if (span) describeAttempt(span, outcome, result.durationMs);
    return {
      claimed,
      startedAt,
      outcome,
      responseTimeMs: result.ok ? Math.round(result.durationMs) : null,
      responseBody: result.ok ? result.body.slice(0, MAX_STORED_BODY) : null,
      nextAttemptAt: outcome.retryInMs !== null ? new Date(Date.now() + outcome.retryInMs) : null,
    };
  }

  private notSent(claimed: ClaimedRow, error: SecretKeyMissingError): AttemptRecord {
    const outcome = unsignableOutcome(`${error.reasonCode}: ${error.message}`);
    return { claimed, startedAt: new Date(), outcome, responseTimeMs: null, responseBody: null, nextAttemptAt: null };
  }
}

/** The attempt's answer on its span: status code, duration, outcome; ERROR unless it succeeded. */
function describeAttempt(span: Span, outcome: AttemptOutcome, durationMs: number): void {
  span.setAttribute(TraceAttribute.DurationMs, Math.round(durationMs));
  span.setAttribute(TraceAttribute.Outcome, outcome.status);
  if (outcome.responseStatus !== null) span.setAttribute(TraceAttribute.HttpStatusCode, outcome.responseStatus);
  if (outcome.status !== DeliveryStatus.SUCCEEDED)
    span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error ?? outcome.status });
}
