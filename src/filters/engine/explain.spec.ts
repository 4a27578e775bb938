import { preview, truncate } from './explain';

describe('preview', () => {
  it.each<[unknown]>([
    [{ a: [1, 'two', null, true, { b: false }], c: 'x' }],
    [[]],
    [{}],
    ['quote"and\\slash'],
    [12.5],
    [[[], {}, [1, [2]]]],
    [{ u: undefined, f: () => 1, n: Infinity, list: [undefined, NaN] }],
  ])('matches JSON.stringify for short values: %p', (value) => {
    expect(preview(value)).toBe(JSON.stringify(value));
  });

  it('says "nothing" for undefined', () => {
    expect(preview(undefined)).toBe('nothing');
  });

  it('cuts at 100 characters without walking the rest', () => {
    const huge = Array.from({ length: 200_000 }, (_, i) => ({ id: i }));
    const shown = preview(huge);
    expect(shown).toBe(`${JSON.stringify(huge).slice(0, 100)}…`);
    expect(preview('y'.repeat(1_000_000))).toBe(`"${'y'.repeat(99)}…`);
  });

  it('never calls toJSON found in the data and marks non-JSON values', () => {
    const toJSON = jest.fn(() => 'x');
    expect(preview({ a: 1, toJSON, when: new Map() })).toBe('{"a":1,"when":"[non-JSON value]"}');
    expect(toJSON).not.toHaveBeenCalled();
  });
});

describe('truncate', () => {
  it('keeps short text and marks cut text', () => {
    expect(truncate('abc', 5)).toBe('abc');
    expect(truncate('abcdef', 5)).toBe('abcde…');
  });
});
