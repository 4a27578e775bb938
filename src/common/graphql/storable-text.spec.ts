import { findUnstorableText, jsonPathOf, unstorableReason } from './storable-text';

describe('unstorableReason', () => {
  it.each([
    ['a NUL', 'a\u0000b', /NUL character \(U\+0000\)/],
    ['a lone high surrogate', 'a\ud800b', /lone UTF-16 surrogate \(U\+D800\)/],
    ['a lone high surrogate at the end', 'ab\udbff', /U\+DBFF/],
    ['a lone low surrogate', '\udc00ab', /U\+DC00/],
    ['two high surrogates in a row', '\ud800\ud800\udc00', /U\+D800/],
  ])('refuses %s', (_label, text, reason) => {
    expect(unstorableReason(text)).toMatch(reason);
  });

  it.each([
    ['plain text', 'hello'],
    ['an emoji (a surrogate pair)', 'ok 😀 ok'],
    ['other control characters', 'tab\tand\u0001'],
    ['empty', ''],
  ])('accepts %s', (_label, text) => {
    expect(unstorableReason(text)).toBeNull();
  });
});

describe('findUnstorableText', () => {
  const json = new Set<unknown>();
  const isJson = (v: unknown): boolean => json.has(v);

  it('names the DTO field, and the place inside a JSON value, for values and member names', () => {
    const payload = { meta: { items: [{ ok: 1 }, { ok: 2 }, { name: 'x\u0000' }] } };
    json.add(payload);
    expect(findUnstorableText({ eventType: 'a.b', payload }, '', isJson)).toEqual({
      field: 'payload',
      reason: expect.stringMatching(/NUL.* at \$\.meta\.items\[2\]\.name$/),
    });

    const metadata = { deep: [[{ 'k\ud800': 1 }]] };
    json.add(metadata);
    expect(findUnstorableText({ metadata }, '', isJson)).toEqual({
      field: 'metadata',
      reason: expect.stringMatching(/^a member name contains a lone UTF-16 surrogate.* at \$\.deep\[0\]\[0\]$/),
    });
  });

  it('names nested DTO fields without array indices, and a bare argument by its name', () => {
    expect(findUnstorableText({ filter: { eventCode: 'E\u0000' } }, '', isJson)?.field).toBe('filter.eventCode');
    expect(findUnstorableText({ eventTypes: ['a', 'b\ud800'] }, '', isJson)?.field).toBe('eventTypes');
    expect(findUnstorableText('x\u0000', 'after', isJson)).toEqual({
      field: 'after',
      reason: expect.stringMatching(/NUL/),
    });
    expect(findUnstorableText({ ok: ['fine', { also: 'fine 😀' }] }, '', isJson)).toBeNull();
  });

  it('walks 100,000 levels without recursion', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(findUnstorableText({ deep }, '', isJson)?.reason).toMatch(/NUL/);
  });
});

describe('jsonPathOf', () => {
  it('spells identifiers with dots, other keys quoted, and cuts long keys', () => {
    expect(jsonPathOf(['a', 0, 'b c', 'k'.repeat(50)])).toBe(`$.a[0]["b c"]["${'k'.repeat(40)}…"]`);
  });
});
