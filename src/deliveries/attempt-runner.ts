import { Inject, Injectable } from '@nestjs/common';
import { OutboundHttpClient } from '../common/http/http-client';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EndpointSecrets } from '../endpoints/endpoint-secrets.service';
import { decideOutcome, unsignableOutcome } from './delivery-outcome';
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

  async run(claimed: ClaimedRow): Promise<AttemptRecord> {
    const body = claimed.body;
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
      return this.notSent(claimed, error);
    }
    const signature = buildSignatureHeaders({
      msgId: claimed.event_id,
      timestamp: Math.floor(Date.now() / 1000),
      body,
      secrets,
    });
    const headers = {
      ...(claimed.headers ?? {}),
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      ...signature,
    };
    const startedAt = new Date();
    const result = await this.http.post(claimed.url, body, headers, { timeoutMs: this.config.deliveryTimeoutMs });
    const outcome = decideOutcome(result, claimed.attempt_count, this.config.retryScheduleMs);
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
