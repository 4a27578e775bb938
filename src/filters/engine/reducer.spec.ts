import { BadUserInputError } from '../../common/errors/domain-error';
import { FilterLimitError } from './filter-engine.errors';
import { FilterLimits } from './limits';
import { compileReducer, jsonSize } from './reducer';
import { StepBudget } from './step-budget';

/** A reducer budget whose clock never moves: specs assert the step, visit and node limits, not the deadline. */
const frozen = (): StepBudget => new StepBudget(FilterLimits.maxReducerSteps, { field: 'reducer', now: () => 0 });

function reducerError(reducer: unknown): BadUserInputError {
  try {
    compileReducer(reducer);
  } catch (error) {
    if (error instanceof BadUserInputError) return error;
    throw error;
  }
  throw new Error('expected the reducer to be rejected');
}

const payload = {
  order: {
    id: 'ord_1',
    total: 150,
    customer: { email: 'ada@example.com' },
    line_items: [
      { sku: 'SKU-1', qty: 1 },
      { sku: 'SKU-2', qty: 3 },
    ],
  },
};

describe('compileReducer', () => {
  it('keeps literals, nests objects and arrays, and resolves $-queries', () => {
    const reducer = compileReducer({
      id: '$.order.id',
      source: 'shop',
      version: 2,
      live: true,
      nothing: null,
      customer: { email: '$.order.customer.email', tags: ['web', '$.order.total'] },
      skus: '$.order.line_items[*].sku',
      missing: '$.order.coupon',
      big: '$.order.line_items[?@.qty > 2]',
    });
    expect(reducer.apply(payload)).toEqual({
      id: 'ord_1',
      source: 'shop',
      version: 2,
      live: true,
      nothing: null,
      customer: { email: 'ada@example.com', tags: ['web', 150] },
      skus: ['SKU-1', 'SKU-2'],
      missing: null,
      big: { sku: 'SKU-2', qty: 3 },
    });
  });

  it('keeps the template key order and does not share literal containers between calls', () => {
    const reducer = compileReducer({ b: 1, a: { list: [1] } });
    const first = reducer.apply({}) as { a: { list: number[] } };
    first.a.list.push(2);
    expect(Object.keys(reducer.apply({}) as object)).toEqual(['b', 'a']);
    expect(reducer.apply({})).toEqual({ b: 1, a: { list: [1] } });
  });

  it('gives null for every query on a payload that is not an object', () => {
    expect(compileReducer({ id: '$.id', all: '$' }).apply('text')).toEqual({ id: null, all: 'text' });
  });

  it.each<[unknown]>([[[1, 2]], ['$.a'], [null], [42], [undefined]])('must be a JSON object, not %p', (reducer) => {
    const error = reducerError(reducer);
    expect(error.details.field).toBe('reducer');
    expect(error.message).toMatch(/must be a JSON object/);
  });

  it('names the leaf with a bad JSONPath', () => {
    const error = reducerError({ order: { lines: ['$.ok', '$.bad['] } });
    expect(error.details.field).toBe('reducer.order.lines[1]');
    expect(error.details.reason).toMatch(/invalid JSONPath at position 6/);
    expect(reducerError({ 'a b': '$[' }).details.field).toBe('reducer["a b"]');
  });

  it('refuses non-JSON values, a __proto__ key and deep templates', () => {
    expect(reducerError({ when: new Date() }).details.field).toBe('reducer.when');
    expect(reducerError({ n: Number.NaN }).details.reason).toMatch(/must be a JSON value/);
    const proto = reducerError(JSON.parse('{"__proto__": {"x": 1}}'));
    expect(proto.details.reason).toMatch(/"__proto__" is not allowed/);
    let deep: Record<string, unknown> = { leaf: '$.a' };
    for (let i = 0; i < 500; i++) deep = { d: deep };
    const error = reducerError(deep);
    expect(error).toBeInstanceOf(FilterLimitError);
    expect(error.details.reason).toMatch(/nested deeper than 32 levels/);
  });

  it('refuses an output larger than 256 KiB', () => {
    const reducer = compileReducer({ text: '$.text' });
    const fits = 'x'.repeat(256 * 1024 - '{"text":""}'.length);
    expect(JSON.stringify(reducer.apply({ text: fits })).length).toBe(256 * 1024);
    expect(() => reducer.apply({ text: `${fits}x` })).toThrow(FilterLimitError);
    expect(() => reducer.apply({ text: `${fits}x` })).toThrow(
      /^reducer: output is larger than 262144 characters of JSON/,
    );
  });

  it('refuses a template larger than 256 KiB', () => {
    expect(reducerError({ text: 'x'.repeat(300 * 1024) }).details.reason).toMatch(/larger than 262144/);
  });

  it('stops a $..* over a large payload early with a limit error', () => {
    const large = { rows: Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `row ${i}`, tags: ['a', 'b'] })) };
    const reducer = compileReducer({ everything: '$..*' });
    const started = Date.now();
    expect(() => reducer.apply(large, frozen())).toThrow(/^reducer: a JSONPath query produced more than 10000 nodes/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('jsonSize', () => {
  it.each<[unknown]>([
    [{ a: [1, 'two', null, true, { b: false }], c: 'x' }],
    [[]],
    [{}],
    ['s'],
    [12.5],
    [[[], {}]],
    [{ 'quote"key': 'quote"and\\slash\n\u0001é' }],
    [{ u: undefined, f: () => 1, n: Infinity, list: [undefined, NaN] }],
  ])('equals JSON.stringify length for %p', (value) => {
    expect(jsonSize(value, Number.MAX_SAFE_INTEGER)).toBe(JSON.stringify(value).length);
  });

  it('stops soon after the limit instead of walking everything', () => {
    const wide = { rows: Array.from({ length: 100_000 }, (_, i) => ({ id: i })) };
    const size = jsonSize(wide, 1_000);
    expect(size).toBeGreaterThan(1_000);
    expect(size).toBeLessThan(JSON.stringify(wide).length);
  });

  it('never calls toJSON found in the data', () => {
    const toJSON = jest.fn(() => 'x');
    expect(jsonSize({ a: 1, toJSON }, 1_000)).toBe('{"a":1}'.length);
    expect(toJSON).not.toHaveBeenCalled();
  });
});
