import { createHmac } from 'node:crypto';
import { secretKeyBytes } from './webhook-secret';

export interface SignPayloadInput {
  /** The event id: the same on every attempt, so receivers can dedupe. */
  msgId: string;
  /** Unix seconds. */
  timestamp: number;
  /** The exact string sent as the request body. */
  body: string;
  /** [current, previous?]: the previous secret only while it is in its grace period. */
  secrets: readonly string[];
}

export interface SignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The Standard Webhooks `webhook-signature` value: `v1,<sig>` per secret, space-separated, current first. */
export function signPayload({ msgId, timestamp, body, secrets }: SignPayloadInput): string {
  if (secrets.length === 0) {
    throw new Error('signPayload needs at least one secret');
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new Error(`signPayload: timestamp must be whole unix seconds (got ${timestamp})`);
  }
  const content = `${msgId}.${timestamp}.${body}`;
  return secrets
    .map((secret) => 'v1,' + createHmac('sha256', secretKeyBytes(secret)).update(content, 'utf8').digest('base64'))
    .join(' ');
}

export function buildSignatureHeaders(input: SignPayloadInput): SignatureHeaders {
  return {
    'webhook-id': input.msgId,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signPayload(input),
  };
}
