import type { HttpResult } from '../common/http/http-client';
import { judgeVerification, verificationTimeoutMs } from './endpoint-verification';

const answer = (status: number, body: string, headers: Record<string, string> = {}): HttpResult => ({
  ok: true,
  status,
  body,
  headers,
  durationMs: 5,
});
const failure = (errorKind: 'timeout' | 'network' | 'blocked' | 'dns', error: string): HttpResult => ({
  ok: false,
  errorKind,
  error,
  durationMs: 5,
});

describe('judgeVerification', () => {
  it('verifies a 2xx JSON answer that echoes the challenge', () => {
    expect(judgeVerification(answer(200, '{"challenge":"abc"}'), 'abc', 30_000)).toEqual({
      verified: true,
      reason: null,
    });
    expect(judgeVerification(answer(204, '{"challenge":"abc","extra":1}'), 'abc', 30_000).verified).toBe(true);
  });

  it.each([
    [answer(200, '{"challenge":"other"}'), /^wrong challenge/],
    [answer(200, '{"ok":true}'), /no challenge/],
    [answer(200, 'OK'), /not JSON/],
    [answer(500, '{"challenge":"abc"}'), /status 500/],
    [answer(302, '', { location: 'https://elsewhere.example/' }), /^redirect not followed.*302.*elsewhere/],
    [failure('timeout', 'timeout after 30000 ms'), /^timeout: no answer within 30 s/],
    [
      failure('blocked', 'blocked: 127.0.0.1 is a loopback address'),
      /^blocked address: 127\.0\.0\.1 is a loopback address/,
    ],
    [failure('network', 'connection refused'), /could not connect: connection refused/],
    [failure('dns', 'dns lookup failed (ENOTFOUND)'), /could not be resolved/],
  ])('refuses %j with a reason a person understands', (result, reason) => {
    const outcome = judgeVerification(result, 'abc', 30_000);
    expect(outcome.verified).toBe(false);
    expect(outcome.reason).toMatch(reason);
  });

  it('reads VERIFICATION_TIMEOUT_MS, defaulting to 30 s', () => {
    expect(verificationTimeoutMs({})).toBe(30_000);
    expect(verificationTimeoutMs({ VERIFICATION_TIMEOUT_MS: '750' })).toBe(750);
    expect(verificationTimeoutMs({ VERIFICATION_TIMEOUT_MS: 'soon' })).toBe(30_000);
  });
});
