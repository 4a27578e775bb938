import { BadUserInputError } from '../common/errors/domain-error';
import { FilterLogic } from './dto/filter-condition.input';
import { toStorableConfig, validateFilter, validateReducer } from './filter-validation';

const order = (total: number): Record<string, unknown> => ({
  order: { id: 'ord_1', total, country: 'US', items: [{ sku: 'SKU-1', qty: 2 }] },
});
const example = { query: '$.order.total', condition: '(v) => v > 100' };

describe('validateFilter', () => {
  it('explains the issue example: true for 150, false for 80', () => {
    expect(validateFilter({ sampleData: order(150), filter: example })).toEqual({
      success: true,
      filterResult: true,
      message: '$.order.total extracted 150, (v) => v > 100 returned true',
    });
    expect(validateFilter({ sampleData: order(80), filter: example })).toEqual({
      success: true,
      filterResult: false,
      message: '$.order.total extracted 80, (v) => v > 100 returned false',
    });
  });

  it('names the leaf that decided a nested AND/OR', () => {
    const filter = {
      logic: FilterLogic.AND,
      conditions: [
        { query: '$.order.country', condition: 'v => ["US","CA"].includes(v)' },
        { logic: FilterLogic.OR, conditions: [example, { query: '$.order.items[*].qty', condition: 'q => q >= 5' }] },
      ],
    };
    expect(validateFilter({ sampleData: order(80), filter })).toEqual({
      success: true,
      filterResult: false,
      message:
        'AND failed at conditions[1]: OR failed: none of 2 conditions were true, the last at conditions[1]: $.order.items[*].qty extracted 2, q => q >= 5 returned false',
    });
    expect(validateFilter({ sampleData: order(150), filter }).filterResult).toBe(true);
  });

  it('answers a malformed filter with success false, the field and the position', () => {
    const result = validateFilter({
      sampleData: order(1),
      filter: { conditions: [example, { query: '$.order.total', condition: '(v) => v >' }] },
    });
    expect(result).toEqual({
      success: false,
      filterResult: null,
      message: 'filter.conditions[1].condition: parse error at position 10: Expected expression after >',
    });
    expect(validateFilter({ sampleData: {}, filter: { query: '$.a[' } }).message).toMatch(
      /^filter\.query: invalid JSONPath at position 4/,
    );
  });

  it('answers an escape attempt with success false and the reason', () => {
    const result = validateFilter({
      sampleData: {},
      filter: { query: '$', condition: 'v => v.constructor.constructor("return process")()' },
    });
    expect(result).toEqual({
      success: false,
      filterResult: null,
      message: expect.stringMatching(/property "constructor" is not allowed/),
    });
  });

  it('refuses inputs over the size limits with BAD_USER_INPUT', () => {
    expect(() => validateFilter({ sampleData: { s: 'x'.repeat(300_000) }, filter: example })).toThrow(
      BadUserInputError,
    );
    expect(() =>
      validateFilter({ sampleData: {}, filter: { conditions: Array.from({ length: 51 }, () => example) } }),
    ).toThrow(/more than 50 nodes/);
  });
});

describe('validateReducer', () => {
  it('returns the reducer output', () => {
    expect(
      validateReducer({
        sampleData: order(150),
        reducer: { id: '$.order.id', skus: '$.order.items[*].sku', source: 'shop', missing: '$.nope' },
      }),
    ).toEqual({
      success: true,
      message: null,
      reducerResult: { id: 'ord_1', skus: 'SKU-1', source: 'shop', missing: null },
    });
  });

  it('answers a failing path with success false', () => {
    expect(validateReducer({ sampleData: {}, reducer: { a: { b: '$.x[' } } })).toEqual({
      success: false,
      reducerResult: null,
      message: expect.stringMatching(/^reducer\.a\.b: invalid JSONPath at position 4/),
    });
    expect(validateReducer({ sampleData: {}, reducer: ['$.a'] }).message).toBe(
      'reducer: must be a JSON object, e.g. { "id": "$.order.id" }',
    );
  });

  it('refuses an output over 256 KiB with LIMIT_EXCEEDED, and a sample over 256 KiB', () => {
    const sampleData = { text: 'x'.repeat(150_000) };
    expect(() => validateReducer({ sampleData, reducer: { a: '$.text', b: '$.text' } })).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^reducer: output is larger than 262144 characters/),
        details: expect.objectContaining({ reasonCode: 'LIMIT_EXCEEDED', limit: 262144 }),
      }),
    );
    expect(() => validateReducer({ sampleData: { text: 'x'.repeat(300_000) }, reducer: { a: '$.text' } })).toThrow(
      /^sampleData: is larger than/,
    );
  });
});

describe('toStorableConfig', () => {
  it('needs a filter or a reducer', () => {
    expect(() => toStorableConfig({})).toThrow(/^input: give a filter, a reducer or both/);
    expect(() => toStorableConfig({ filter: null, reducer: null })).toThrow(BadUserInputError);
  });

  it('returns plain JSON for both parts', () => {
    expect(toStorableConfig({ filter: { ...example, logic: null }, reducer: { id: '$.order.id' } })).toEqual({
      filter: example,
      reducer: { id: '$.order.id' },
    });
    expect(toStorableConfig({ reducer: { id: '$.order.id' } })).toEqual({
      filter: null,
      reducer: { id: '$.order.id' },
    });
  });

  it('throws BAD_USER_INPUT naming the failing field', () => {
    expect(() => toStorableConfig({ filter: { conditions: [example, { condition: 'v => this' }] } })).toThrow(
      /^filter\.conditions\[1\]\.condition: "this" is not allowed/,
    );
    expect(() => toStorableConfig({ filter: example, reducer: { a: 'ok', b: { c: '$[' } } })).toThrow(
      /^reducer\.b\.c: invalid JSONPath/,
    );
    expect(() => toStorableConfig({ reducer: 'not an object' })).toThrow(/^reducer: must be a JSON object/);
  });
});
