import { stripSecrets } from './audit.service';

describe('stripSecrets', () => {
  it('removes secrets by key name and by value shape, at any depth, and keeps the rest', () => {
    const out = stripSecrets({
      name: 'orders hook',
      secret: 'whsec_c2VjcmV0',
      webhookSecret: 'plain-text-secret',
      credentials: { appKey: 'k', appSecret: 's' },
      headers: { authorization: 'Bearer abc', 'x-shop': '123' },
      note: 'whk_leaked_key_in_a_note',
      nested: [{ token: 't', ok: 1 }],
    });
    expect(out).toEqual({
      name: 'orders hook',
      secret: '[redacted]',
      webhookSecret: '[redacted]',
      credentials: '[redacted]',
      headers: { authorization: '[redacted]', 'x-shop': '123' },
      note: '[redacted]',
      nested: [{ token: '[redacted]', ok: 1 }],
    });
    expect(JSON.stringify(out)).not.toMatch(/whsec_|whk_|Bearer|plain-text-secret/);
  });
});
