/**
 * Temu (open platform "webhook" push), as documented in Temu's Webhook Integration Guide:
 *
 *   POST, headers x-tm-app-key, x-tm-event-code, x-tm-timestamp (ms), x-tm-ext-param, x-tm-signature;
 *   body {"eventData": base64(AES-128-CBC/PKCS5(json, key = iv = first 16 bytes of the app secret))}.
 *   x-tm-signature = hex HMAC-SHA256(app secret) over the sorted, non-blank fields
 *   {x-tm-app-key, x-tm-event-code, x-tm-ext-param, x-tm-timestamp, eventData (decrypted)}
 *   concatenated as key+value (the guide's worked example). Its Java sample joins them as
 *   key=value&..., so both forms are accepted. The secret is credentials.appSecret, else webhookSecret.
 *   No timestamp window: Temu retries for up to ~28 h and does not say it re-signs; replays are
 *   caught by the external id (a hash of event code + ciphertext, stable across retries).
 *
 * Also accepted (relays, tests): the plain envelope `{ type, message_id, mall_id, data }` signed by
 * `X-Temu-Signature` = HMAC-SHA256 of the raw body with the same secret, hex or base64.
 *
 * decodeBody() turns a push into that same envelope, so extract/normalise see one shape.
 * Temu's order event is a notice (mallId, parentOrderSn, orderSn, orderStatus, updateTime): it becomes
 * order.updated, or order.cancelled for status 3. Full orders need bg.order.detail.v2.get (TemuApiClient).
 * Temu pushes no stock events; the other codes are stored and skipped.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { PayloadReader, compact, isRecord, type JsonObject } from '../payload-reader';
import {
  UNKNOWN_EVENT_CODE,
  type InboundRequest,
  type NormaliseResult,
  type ProviderAdapter,
  type ProviderSecrets,
  type VerifyResult,
} from '../provider-adapter';
import { decodeSha256Digest, digestsEqual, hmacSha256 } from '../signature';

export const TEMU_SIGNATURE_HEADER = 'x-tm-signature';
export const TEMU_EVENT_CODE_HEADER = 'x-tm-event-code';
export const TEMU_APP_KEY_HEADER = 'x-tm-app-key';
export const TEMU_TIMESTAMP_HEADER = 'x-tm-timestamp';
export const TEMU_EXT_PARAM_HEADER = 'x-tm-ext-param';
export const TEMU_RELAY_SIGNATURE_HEADER = 'x-temu-signature';

const SIGNED_HEADERS = [TEMU_APP_KEY_HEADER, TEMU_EVENT_CODE_HEADER, TEMU_TIMESTAMP_HEADER, TEMU_EXT_PARAM_HEADER];

interface EventMapping {
  description: string;
  /** Why a known code publishes nothing; absent for the order status event. */
  skipReason?: string;
}

const ORDER_STATUS_EVENT = 'bg_order_status_change_event';

const EVENTS: Record<string, EventMapping> = {
  [ORDER_STATUS_EVENT]: {
    description: 'Order created, paid, shipped, delivered or cancelled → order.updated / order.cancelled',
  },
  bg_cancel_order_status_change: {
    description: 'A cancellation request was created, approved or rejected',
    skipReason: 'cancellation requests are not mapped; the cancelled order arrives as bg_order_status_change_event',
  },
  bg_aftersales_status_change: {
    description: 'A return or refund changed status',
    skipReason: 'after-sales events are not mapped to a catalog event type yet',
  },
  bg_trade_logistics_address_changed: {
    description: 'The buyer changed the shipping address',
    skipReason: 'address changes carry no order status; not mapped yet',
  },
  bg_open_event_test: { description: "Temu's test event", skipReason: 'Temu test event' },
};

/** Temu parent order status → catalog status. */
const ORDER_STATUS: Record<number, string> = {
  1: 'pending',
  2: 'processing',
  3: 'cancelled',
  4: 'shipped',
  5: 'delivered',
};
const CANCELLED = 3;

export class TemuAdapter implements ProviderAdapter {
  readonly provider = 'temu';

  verify(req: InboundRequest, secrets: ProviderSecrets): VerifyResult {
    const secret = temuAppSecret(secrets);
    if (!secret) return { ok: false, reason: 'no Temu app secret is configured for this integration' };
    const pushSignature = req.headers[TEMU_SIGNATURE_HEADER];
    if (pushSignature) return verifyPush(req, secret, pushSignature, secrets);
    const relaySignature = req.headers[TEMU_RELAY_SIGNATURE_HEADER];
    if (relaySignature) {
      const given = decodeSha256Digest(relaySignature);
      if (!given) return { ok: false, reason: 'X-Temu-Signature is not a hex or base64 SHA-256 digest' };
      return digestsEqual(given, hmacSha256(secret, req.rawBody))
        ? { ok: true }
        : { ok: false, reason: 'signature does not match the body' };
    }
    return { ok: false, reason: 'missing x-tm-signature header' };
  }

  /** A push becomes `{ type, message_id, mall_id, timestamp, data }`; anything else is returned as parsed. */
  decodeBody(req: InboundRequest, secrets: ProviderSecrets): unknown {
    const body: unknown = JSON.parse(req.rawBody.toString('utf8'));
    const eventCode = req.headers[TEMU_EVENT_CODE_HEADER];
    if (!eventCode || !isRecord(body) || typeof body['eventData'] !== 'string') return body;
    const secret = temuAppSecret(secrets);
    if (!secret) throw new Error('Temu: no app secret to decrypt eventData');
    const data: unknown = JSON.parse(decryptTemuEventData(body['eventData'], secret));
    const mallId = isRecord(data) ? (data['mallId'] ?? data['mall_id']) : undefined;
    const timestamp = Number(req.headers[TEMU_TIMESTAMP_HEADER]);
    return compact({
      type: eventCode,
      message_id: pushMessageId(eventCode, body['eventData']),
      mall_id: typeof mallId === 'string' || typeof mallId === 'number' ? mallId : undefined,
      timestamp: Number.isFinite(timestamp) ? timestamp : undefined,
      data,
    });
  }

  extract(req: InboundRequest, body: unknown): { eventCode: string; externalId: string | null } {
    const record = isRecord(body) ? body : {};
    const eventCode =
      req.headers[TEMU_EVENT_CODE_HEADER] ??
      firstString(record, 'type', 'event_code', 'eventCode') ??
      UNKNOWN_EVENT_CODE;
    const messageId = firstString(record, 'message_id', 'messageId');
    if (messageId) return { eventCode, externalId: messageId };
    const eventData = record['eventData'];
    return { eventCode, externalId: typeof eventData === 'string' ? pushMessageId(eventCode, eventData) : null };
  }

  eventCodes(): { code: string; description: string }[] {
    return Object.entries(EVENTS).map(([code, mapping]) => ({ code, description: mapping.description }));
  }

  normalise(eventCode: string, body: unknown): NormaliseResult {
    const mapping = EVENTS[eventCode];
    if (!mapping) return { kind: 'skip', reason: `unknown Temu event "${eventCode}"` };
    if (mapping.skipReason) return { kind: 'skip', reason: mapping.skipReason };
    const root = PayloadReader.of(body, `Temu ${eventCode}`);
    if (typeof root.value['eventData'] === 'string' && !root.has('data')) {
      throw new Error(
        `Temu ${eventCode}: eventData is still encrypted; pass the request through TemuAdapter.decodeBody first`,
      );
    }
    const data = root.optObject('data') ?? root;
    const mallId = data.optId('mallId', 'mall_id') ?? root.optId('mall_id', 'mallId');
    const orderId = data.id('parentOrderSn', 'parent_order_sn', 'orderSn', 'order_sn');
    const subOrderId = data.optId('orderSn', 'order_sn');
    const statusCode = data.integer('orderStatus', 'order_status', 'parentOrderStatus', 'parent_order_status');
    const order = compact({
      id: orderId,
      status: ORDER_STATUS[statusCode] ?? 'unknown',
      provider_status: String(statusCode),
      suborder_id: subOrderId !== orderId ? subOrderId : undefined,
      updated_at: toIsoTime(data.optNumber('updateTime', 'update_time')),
    });
    return {
      kind: 'publish',
      events: [
        {
          eventType: statusCode === CANCELLED ? 'order.cancelled' : 'order.updated',
          payload: mallId ? { shop_id: mallId, order } : { order },
          channels: mallId ? [`shop:${mallId}`] : [],
          orderingKey: `order:${orderId}`,
        },
      ],
    };
  }

  signatureHeaderNames(): string[] {
    return [TEMU_SIGNATURE_HEADER, TEMU_RELAY_SIGNATURE_HEADER];
  }
}

function verifyPush(req: InboundRequest, secret: string, signature: string, secrets: ProviderSecrets): VerifyResult {
  const given = decodeSha256Digest(signature);
  if (!given) return { ok: false, reason: 'x-tm-signature is not a hex SHA-256 digest' };
  const expectedAppKey = secrets.credentials?.['appKey'];
  if (
    typeof expectedAppKey === 'string' &&
    expectedAppKey !== '' &&
    req.headers[TEMU_APP_KEY_HEADER] !== expectedAppKey
  ) {
    return { ok: false, reason: 'x-tm-app-key is not the app key of this integration' };
  }
  let eventData: string;
  try {
    const body: unknown = JSON.parse(req.rawBody.toString('utf8'));
    if (!isRecord(body) || typeof body['eventData'] !== 'string') return { ok: false, reason: 'body has no eventData' };
    eventData = decryptTemuEventData(body['eventData'], secret);
  } catch {
    return { ok: false, reason: 'eventData cannot be decrypted with the app secret' };
  }
  const matches = temuPushSignatureBases(req.headers, eventData).some((base) =>
    digestsEqual(given, hmacSha256(secret, base)),
  );
  return matches ? { ok: true } : { ok: false, reason: 'signature does not match' };
}

function temuAppSecret(secrets: ProviderSecrets): string | undefined {
  const appSecret = secrets.credentials?.['appSecret'];
  if (typeof appSecret === 'string' && appSecret !== '') return appSecret;
  return secrets.webhookSecret || undefined;
}

/** The strings Temu's signature may cover: key+value concatenated (documented example), or key=value&... (Java sample). */
export function temuPushSignatureBases(
  headers: Record<string, string | undefined>,
  decryptedEventData: string,
): string[] {
  const fields: [string, string][] = [
    ...SIGNED_HEADERS.map((name): [string, string] => [name, headers[name] ?? '']),
    ['eventData', decryptedEventData],
  ];
  const signed = fields.filter(([, value]) => value.trim() !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    signed.map(([key, value]) => key + value).join(''),
    signed.map(([key, value]) => `${key}=${value}`).join('&'),
  ];
}

/** Signs a push as Temu does (hex, upper case); for tests and tools. */
export function temuPushSignature(
  headers: Record<string, string | undefined>,
  decryptedEventData: string,
  appSecret: string,
): string {
  const [base] = temuPushSignatureBases(headers, decryptedEventData);
  return hmacSha256(appSecret, base ?? '')
    .toString('hex')
    .toUpperCase();
}

function aesKey(appSecret: string): Buffer {
  const bytes = Buffer.from(appSecret, 'utf8');
  if (bytes.length < 16) throw new Error('Temu: the app secret is shorter than 16 bytes');
  return bytes.subarray(0, 16);
}

export function decryptTemuEventData(eventData: string, appSecret: string): string {
  const key = aesKey(appSecret);
  const decipher = createDecipheriv('aes-128-cbc', key, key);
  return Buffer.concat([decipher.update(Buffer.from(eventData, 'base64')), decipher.final()]).toString('utf8');
}

/** Encrypts as Temu does; for tests and tools. */
export function encryptTemuEventData(plain: string, appSecret: string): string {
  const key = aesKey(appSecret);
  const cipher = createCipheriv('aes-128-cbc', key, key);
  return Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

/** Pushes carry no message id; the fixed IV makes the ciphertext stable across Temu's retries. */
function pushMessageId(eventCode: string, eventData: string): string {
  return createHash('sha256').update(`${eventCode}\n${eventData}`).digest('hex');
}

function firstString(record: JsonObject, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Temu times are unix milliseconds (sometimes seconds). */
function toIsoTime(value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value < 1e12 ? value * 1000 : value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
