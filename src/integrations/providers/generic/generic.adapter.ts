/**
 * Generic: any sender that signs with Standard Webhooks (https://www.standardwebhooks.com):
 * `webhook-id`, `webhook-timestamp` (unix seconds, ±5 min), `webhook-signature` = space-separated
 * `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with the base64 part of the
 * integration's `whsec_...` webhookSecret. The body is `{ type, data?, channels?, ordering_key? }`
 * where `type` is a catalog event type; the payload is `data`, or the whole body when there is none.
 */
import { findPlatformEventType, PLATFORM_CATALOG } from '../../../event-types/catalog/platform-catalog';
import { EventTypeSource } from '../../../event-types/event-type-definition';
import { isRecord } from '../payload-reader';
import {
  UNKNOWN_EVENT_CODE,
  type InboundRequest,
  type NormaliseResult,
  type ProviderAdapter,
  type ProviderSecrets,
  type VerifyResult,
} from '../provider-adapter';
import { digestsEqual, hmacSha256 } from '../signature';

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

const TOLERANCE_SECONDS = 5 * 60;
const SECRET_PREFIX = 'whsec_';

export class GenericAdapter implements ProviderAdapter {
  readonly provider = 'generic';

  verify(req: InboundRequest, secrets: ProviderSecrets, now: Date = new Date()): VerifyResult {
    const secret = secrets.webhookSecret;
    if (!secret) return { ok: false, reason: 'no webhook secret is configured for this integration' };
    const id = req.headers[WEBHOOK_ID_HEADER];
    const timestamp = req.headers[WEBHOOK_TIMESTAMP_HEADER];
    const signatures = req.headers[WEBHOOK_SIGNATURE_HEADER];
    if (!id || !timestamp || !signatures)
      return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
    if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp is not unix seconds' };
    const skew = Math.floor(now.getTime() / 1000) - Number(timestamp);
    if (skew > TOLERANCE_SECONDS) return { ok: false, reason: 'webhook-timestamp is too old' };
    if (skew < -TOLERANCE_SECONDS) return { ok: false, reason: 'webhook-timestamp is too far in the future' };

    const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
    if (key.length === 0) return { ok: false, reason: 'the configured webhook secret is not base64' };
    const expected = hmacSha256(key, `${id}.${timestamp}.`, req.rawBody);
    const matches = signatures
      .split(' ')
      .filter((entry) => entry.startsWith('v1,'))
      .some((entry) => digestsEqual(Buffer.from(entry.slice(3), 'base64'), expected));
    return matches ? { ok: true } : { ok: false, reason: 'no v1 signature matches' };
  }

  extract(req: InboundRequest, body: unknown): { eventCode: string; externalId: string | null } {
    const type = isRecord(body) ? body['type'] : undefined;
    return {
      eventCode: typeof type === 'string' && type !== '' ? type : UNKNOWN_EVENT_CODE,
      externalId: req.headers[WEBHOOK_ID_HEADER] || null,
    };
  }

  eventCodes(): { code: string; description: string }[] {
    return PLATFORM_CATALOG.filter((d) => !d.archived && d.source !== EventTypeSource.Operational).map((d) => ({
      code: d.name,
      description: d.description,
    }));
  }

  normalise(eventCode: string, body: unknown): NormaliseResult {
    const definition = findPlatformEventType(eventCode);
    if (!definition) return { kind: 'skip', reason: `"${eventCode}" is not a catalog event type` };
    if (definition.archived) return { kind: 'skip', reason: `"${eventCode}" is archived` };
    // Only the platform may publish endpoint.failing and friends.
    if (definition.source === EventTypeSource.Operational) {
      return { kind: 'skip', reason: `"${eventCode}" is an operational event type, published by the platform only` };
    }
    if (!isRecord(body)) throw new Error('generic: body must be a JSON object');

    const data = body['data'] ?? body;
    if (!isRecord(data)) throw new Error('generic: body.data must be a JSON object');
    const channels = body['channels'] ?? [];
    if (!Array.isArray(channels) || !channels.every((c): c is string => typeof c === 'string' && c !== '')) {
      throw new Error('generic: body.channels must be an array of non-empty strings');
    }
    const orderingKey = body['ordering_key'] ?? body['orderingKey'];
    if (orderingKey !== undefined && (typeof orderingKey !== 'string' || orderingKey === '')) {
      throw new Error('generic: body.ordering_key must be a non-empty string');
    }
    return {
      kind: 'publish',
      events: [{ eventType: eventCode, payload: data, channels, ...(orderingKey ? { orderingKey } : {}) }],
    };
  }

  signatureHeaderNames(): string[] {
    return [WEBHOOK_SIGNATURE_HEADER];
  }
}
