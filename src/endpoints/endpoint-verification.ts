import { randomBytes } from 'node:crypto';
import type { HttpResult } from '../common/http/http-client';

export const VERIFICATION_EVENT_TYPE = 'webhook.verification';
export const DEFAULT_VERIFICATION_TIMEOUT_MS = 30_000;

export interface VerificationOutcome {
  verified: boolean;
  reason: string | null;
}

export function newChallenge(): string {
  return randomBytes(24).toString('base64url');
}

export function verificationBody(challenge: string): string {
  return JSON.stringify({ type: VERIFICATION_EVENT_TYPE, challenge });
}

/** VERIFICATION_TIMEOUT_MS lets tests shorten the contract's 30 s. */
export function verificationTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = Number(env.VERIFICATION_TIMEOUT_MS);
  return Number.isInteger(raw) && raw >= 100 && raw <= 120_000 ? raw : DEFAULT_VERIFICATION_TIMEOUT_MS;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 100)}…` : flat;
}

/** Judges the endpoint's answer to the handshake; the reason is written for a person. */
export function judgeVerification(result: HttpResult, challenge: string, timeoutMs: number): VerificationOutcome {
  const fail = (reason: string): VerificationOutcome => ({ verified: false, reason });
  if (!result.ok) {
    switch (result.errorKind) {
      case 'timeout':
        return fail(`timeout: no answer within ${seconds(timeoutMs)}`);
      case 'blocked':
        return fail(`blocked address: ${result.error.replace(/^blocked: /, '')}`);
      case 'dns':
        return fail(`the host could not be resolved: ${result.error}`);
      default:
        return fail(`could not connect: ${result.error}`);
    }
  }
  const { status } = result;
  if (status >= 300 && status < 400) {
    const location = result.headers['location'];
    return fail(
      `redirect not followed: the endpoint answered status ${status}${location ? ` to ${snippet(location)}` : ''}; it must answer 2xx itself`,
    );
  }
  if (status < 200 || status >= 300) return fail(`the endpoint answered status ${status}; expected 2xx`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.body);
  } catch {
    return fail(
      `the response body is not JSON (got "${snippet(result.body)}"); expected {"challenge": "<the challenge sent>"}`,
    );
  }
  const echoed = typeof parsed === 'object' && parsed !== null && 'challenge' in parsed ? parsed.challenge : undefined;
  if (echoed === undefined)
    return fail('the response has no challenge; expected {"challenge": "<the challenge sent>"}');
  if (echoed !== challenge) return fail("wrong challenge: the response's challenge does not match the one sent");
  return { verified: true, reason: null };
}
