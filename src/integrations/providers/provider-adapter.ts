/**
 * One adapter per inbound provider (Faire, Temu, generic Standard Webhooks).
 * Adapters are pure: no I/O, no Nest. The inbound pipeline verifies the raw body, extracts the
 * event code and the provider's event id (for dedupe), stores, then normalises in the background.
 */
export interface InboundRequest {
  rawBody: Buffer;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
}

export interface ProviderSecrets {
  webhookSecret?: string | null;
  credentials?: Record<string, unknown> | null;
}

export interface NormalisedEvent {
  eventType: string;
  payload: Record<string, unknown>;
  channels: string[];
  orderingKey?: string;
}

export type NormaliseResult = { kind: 'publish'; events: NormalisedEvent[] } | { kind: 'skip'; reason: string };

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export interface ProviderAdapter {
  readonly provider: string;
  verify(req: InboundRequest, secrets: ProviderSecrets, now?: Date): VerifyResult;
  /**
   * Optional: turns a verified request into the body that extract/normalise expect, when that is
   * not simply the parsed JSON (Temu encrypts its payload). Throws on a body it cannot decode.
   */
  decodeBody?(req: InboundRequest, secrets: ProviderSecrets): unknown;
  extract(req: InboundRequest, body: unknown): { eventCode: string; externalId: string | null };
  eventCodes(): { code: string; description: string }[];
  /** Throws an Error with a clear message on a malformed payload of a known code. */
  normalise(eventCode: string, body: unknown): NormaliseResult;
  /** Headers to redact when showing stored headers. */
  signatureHeaderNames(): string[];
}

/** extract() returns this when the request names no event code. */
export const UNKNOWN_EVENT_CODE = 'unknown';
