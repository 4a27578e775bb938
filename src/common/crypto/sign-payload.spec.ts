import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { buildSignatureHeaders, signPayload } from './sign-payload';
import { generateWebhookSecret } from './webhook-secret';

const now = (): number => Math.floor(Date.now() / 1000);
const body = JSON.stringify({
  id: 'evt_1',
  type: 'order.created',
  timestamp: '2025-01-01T00:00:00.000Z',
  data: { total: 42, note: 'ünï ✓' },
});

describe('signPayload', () => {
  const current = generateWebhookSecret();
  const previous = generateWebhookSecret();

  it('produces a header the standardwebhooks verifier accepts', () => {
    const headers = buildSignatureHeaders({ msgId: 'evt_1', timestamp: now(), body, secrets: [current] });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('matches the reference signer byte for byte', () => {
    const ts = now();
    expect(signPayload({ msgId: 'msg_x', timestamp: ts, body, secrets: [current] })).toBe(
      new Webhook(current).sign('msg_x', new Date(ts * 1000), body),
    );
  });

  it('carries both signatures during the grace period, current first, and either secret verifies', () => {
    const ts = now();
    const headers = buildSignatureHeaders({ msgId: 'evt_2', timestamp: ts, body, secrets: [current, previous] });
    const parts = headers['webhook-signature'].split(' ');
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe(signPayload({ msgId: 'evt_2', timestamp: ts, body, secrets: [current] }));
    expect(parts[1]).toBe(signPayload({ msgId: 'evt_2', timestamp: ts, body, secrets: [previous] }));
    expect(() => new Webhook(current).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
  });

  it('is rejected for a tampered body, a wrong secret, or an old timestamp', () => {
    const headers = buildSignatureHeaders({ msgId: 'evt_3', timestamp: now(), body, secrets: [current] });
    expect(() => new Webhook(current).verify(body.replace('42', '43'), headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow(/No matching signature/);

    const old = buildSignatureHeaders({ msgId: 'evt_3', timestamp: now() - 301, body, secrets: [current] });
    expect(() => new Webhook(current).verify(body, old)).toThrow(/too old/);
  });

  it('binds the message id and timestamp into the signature', () => {
    const ts = now();
    const headers = buildSignatureHeaders({ msgId: 'evt_4', timestamp: ts, body, secrets: [current] });
    expect(() => new Webhook(current).verify(body, { ...headers, 'webhook-id': 'evt_5' })).toThrow(
      /No matching signature/,
    );
    expect(() => new Webhook(current).verify(body, { ...headers, 'webhook-timestamp': String(ts - 1) })).toThrow(
      /No matching signature/,
    );
  });

  it('refuses no secrets, malformed secrets and non-integer timestamps', () => {
    expect(() => signPayload({ msgId: 'm', timestamp: now(), body, secrets: [] })).toThrow(/at least one secret/);
    expect(() => signPayload({ msgId: 'm', timestamp: now(), body, secrets: ['plain'] })).toThrow(/whsec_/);
    expect(() => signPayload({ msgId: 'm', timestamp: now() + 0.5, body, secrets: [current] })).toThrow(/unix seconds/);
  });
});
