import { REDACTED, redactHeaders } from './redact-headers';

describe('redactHeaders', () => {
  it('redacts signature, credential and adapter-named headers and keeps the rest', () => {
    const out = redactHeaders(
      {
        'X-Faire-Hmac-SHA256': 'abc',
        'webhook-signature': 'v1,xyz',
        authorization: 'Bearer t',
        'x-faire-brand-token': 'tok',
        'x-tm-ext-param': 'p',
        'x-faire-webhook-topic': 'ORDER_CREATED',
        'content-type': 'application/json',
        missing: undefined,
      },
      ['x-tm-ext-param'],
    );
    expect(out).toEqual({
      'x-faire-hmac-sha256': REDACTED,
      'webhook-signature': REDACTED,
      authorization: REDACTED,
      'x-faire-brand-token': REDACTED,
      'x-tm-ext-param': REDACTED,
      'x-faire-webhook-topic': 'ORDER_CREATED',
      'content-type': 'application/json',
    });
  });
});
