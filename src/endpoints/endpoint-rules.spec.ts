import { BadUserInputError } from '../common/errors/domain-error';
import { normalizeHeaders, normalizeList, normalizeMetadata } from './endpoint-rules';

function refusal(fn: () => unknown): { field: unknown; reason: unknown } {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadUserInputError) return { field: error.details.field, reason: error.details.reason };
    throw error;
  }
  throw new Error('expected a BadUserInputError');
}

describe('normalizeList', () => {
  it('deduplicates, keeping the first occurrence and the order', () => {
    expect(normalizeList('channels', ['shop:1', 'shop:2', 'shop:1'])).toEqual(['shop:1', 'shop:2']);
  });

  it('refuses empty, long and control-character entries, and more than 100', () => {
    expect(refusal(() => normalizeList('channels', ['']))).toEqual({
      field: 'channels',
      reason: 'entries must be non-empty strings',
    });
    expect(refusal(() => normalizeList('channels', ['x'.repeat(201)])).reason).toMatch(/200/);
    expect(refusal(() => normalizeList('channels', ['shop:1\n'])).reason).toMatch(/control/);
    expect(
      refusal(() =>
        normalizeList(
          'eventTypes',
          Array.from({ length: 101 }, (_, i) => `t${i}`),
        ),
      ).field,
    ).toBe('eventTypes');
  });
});

describe('normalizeHeaders', () => {
  it('accepts ordinary custom headers', () => {
    expect(normalizeHeaders({ 'X-Api-Version': '2025-01', authorization: 'Bearer abc' })).toEqual({
      'X-Api-Version': '2025-01',
      authorization: 'Bearer abc',
    });
  });

  it.each([
    [{ 'x-a': 'v\r\nX-Evil: 1' }, /CR, LF/],
    [{ 'x-a': 'tab\there' }, /control/],
    [{ 'x a': 'v' }, /not a valid HTTP header name/],
    [{ 'x-a:': 'v' }, /not a valid HTTP header name/],
    [{ Host: 'evil.example' }, /cannot be overridden/],
    [{ 'Content-Type': 'text/plain' }, /cannot be overridden/],
    [{ 'transfer-encoding': 'chunked' }, /cannot be overridden/],
    [{ 'Content-Encoding': 'gzip' }, /cannot be overridden/],
    [{ 'content-encoding': 'identity' }, /cannot be overridden/],
    [{ 'CONTENT-RANGE': 'bytes 0-1/2' }, /cannot be overridden/],
    [{ 'Proxy-Authorization': 'x' }, /reserved/],
    [{ 'webhook-signature': 'v1,forged' }, /reserved/],
    [{ 'Svix-Id': 'x' }, /reserved/],
    [{ 'x-a': 'a', 'X-A': 'b' }, /twice/],
    [{ 'x-a': 42 }, /must be a string/],
    [{ 'x-a': 'x'.repeat(1025) }, /1024/],
    [Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`x-h${i}`, 'v'])), /at most 20/],
    [['x-a'], /must be an object/],
    ['x-a: v', /must be an object/],
  ])('refuses %j', (headers, reason) => {
    const r = refusal(() => normalizeHeaders(headers));
    expect(r.field).toBe('headers');
    expect(r.reason).toMatch(reason);
  });
});

describe('normalizeMetadata', () => {
  it('accepts an object up to 8 KiB and refuses larger ones and non-objects', () => {
    expect(normalizeMetadata({ team: 'growth', tags: ['a'] })).toEqual({ team: 'growth', tags: ['a'] });
    expect(refusal(() => normalizeMetadata({ blob: 'x'.repeat(8200) })).reason).toMatch(/8192 bytes/);
    expect(refusal(() => normalizeMetadata([1, 2])).field).toBe('metadata');
    expect(refusal(() => normalizeMetadata('text')).field).toBe('metadata');
  });
});
