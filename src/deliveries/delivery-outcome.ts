import type { HttpResult } from '../common/http/http-client';
import { DeliveryStatus } from './delivery.entity';

export const JITTER = 0.2;
const MAX_ERROR_LENGTH = 1000;

export interface AttemptOutcome {
  status: DeliveryStatus.SUCCEEDED | DeliveryStatus.RETRYING | DeliveryStatus.FAILED | DeliveryStatus.DEAD_LETTER;
  /** When to try again (RETRYING only). */
  retryInMs: number | null;
  responseStatus: number | null;
  error: string | null;
  /** The endpoint answered 410 Gone: it must be disabled. */
  gone: boolean;
}

/** `Retry-After` as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function withJitter(delayMs: number, random: () => number = Math.random): number {
  return Math.max(0, Math.round(delayMs * (1 - JITTER + 2 * JITTER * random())));
}

/**
 * What an attempt's result means (contract "Outbound delivery"): 2xx succeeds; network errors, timeouts, 408,
 * 429 (honouring Retry-After, capped at twice the scheduled delay) and 5xx are retried on the schedule; 410
 * fails and disables the endpoint; any other status (other 4xx, and 3xx since redirects are never followed)
 * fails at once. After the last scheduled retry the delivery is DEAD_LETTER.
 */
export function decideOutcome(
  result: HttpResult,
  attemptNumber: number,
  scheduleMs: readonly number[],
  now = Date.now(),
  random: () => number = Math.random,
): AttemptOutcome {
  const scheduled = attemptNumber - 1 < scheduleMs.length ? scheduleMs[attemptNumber - 1] : null;
  const retry = (responseStatus: number | null, error: string, retryAfterMs: number | null = null): AttemptOutcome => {
    if (scheduled === null)
      return {
        status: DeliveryStatus.DEAD_LETTER,
        retryInMs: null,
        responseStatus,
        error: `${error}; no retries left after ${attemptNumber} attempts`,
        gone: false,
      };
    const delay = retryAfterMs !== null ? Math.min(retryAfterMs, scheduled * 2) : withJitter(scheduled, random);
    return { status: DeliveryStatus.RETRYING, retryInMs: delay, responseStatus, error, gone: false };
  };

  if (!result.ok) return retry(null, truncate(result.error));
  const { status } = result;
  if (status >= 200 && status < 300)
    return { status: DeliveryStatus.SUCCEEDED, retryInMs: null, responseStatus: status, error: null, gone: false };
  if (status === 429)
    return retry(status, 'HTTP 429 Too Many Requests', parseRetryAfter(result.headers['retry-after'], now));
  if (status === 408 || status >= 500) return retry(status, `HTTP ${status}`);
  if (status === 410)
    return {
      status: DeliveryStatus.FAILED,
      retryInMs: null,
      responseStatus: status,
      error: 'HTTP 410 Gone: endpoint disabled',
      gone: true,
    };
  if (status >= 300 && status < 400) {
    const location = result.headers.location ? ` to ${truncate(result.headers.location, 200)}` : '';
    return {
      status: DeliveryStatus.FAILED,
      retryInMs: null,
      responseStatus: status,
      error: `HTTP ${status} redirect${location} not followed`,
      gone: false,
    };
  }
  return {
    status: DeliveryStatus.FAILED,
    retryInMs: null,
    responseStatus: status,
    error: `HTTP ${status}: not retried`,
    gone: false,
  };
}

/** A delivery that cannot be signed (its secret's key is not in the ring): FAILED at once, never sent or retried. */
export function unsignableOutcome(reason: string): AttemptOutcome {
  return { status: DeliveryStatus.FAILED, retryInMs: null, responseStatus: null, error: truncate(reason), gone: false };
}

function truncate(text: string, max = MAX_ERROR_LENGTH): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
