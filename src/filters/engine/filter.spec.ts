import { BadUserInputError } from '../../common/errors/domain-error';
import { FilterLimitError } from './filter-engine.errors';
import { CompiledFilter, FilterNode, compileFilter } from './filter';

function filterError(node: unknown): BadUserInputError {
  try {
    compileFilter(node as FilterNode);
  } catch (error) {
    if (error instanceof BadUserInputError) return error;
    throw error;
  }
  throw new Error('expected the filter to be rejected');
}

/** evaluate() and matches() must always agree. */
function evaluate(filter: CompiledFilter, payload: unknown): { result: boolean; explanation: string } {
  const evaluation = filter.evaluate(payload);
  expect(filter.matches(payload)).toBe(evaluation.result);
  return evaluation;
}

const order = (total: number, extra: Record<string, unknown> = {}): unknown => ({
  order: {
    total,
    currency: 'EUR',
    country: 'US',
    line_items: [
      { sku: 'SKU-1', qty: 1 },
      { sku: 'SKU-2', qty: 2 },
    ],
    ...extra,
  },
});

describe('compileFilter: the issue example', () => {
  const filter = compileFilter({ query: '$.order.total', condition: '(v) => v > 100' });

  it('is true for 150 and says why', () => {
    expect(evaluate(filter, order(150))).toEqual({
      result: true,
      explanation: '$.order.total extracted 150, (v) => v > 100 returned true',
    });
  });

  it('is false for 80 and says why', () => {
    expect(evaluate(filter, order(80))).toEqual({
      result: false,
      explanation: '$.order.total extracted 80, (v) => v > 100 returned false',
    });
  });

  it('says when the query matched nothing', () => {
    expect(evaluate(filter, {})).toEqual({
      result: false,
      explanation: '$.order.total extracted nothing, (v) => v > 100 returned false',
    });
  });

  it('returns a plain object that serialises and spreads with its explanation', () => {
    const evaluation = filter.evaluate(order(150));
    expect(JSON.parse(JSON.stringify(evaluation))).toEqual({ ...evaluation });
    expect(Object.keys(evaluation).sort()).toEqual(['explanation', 'result']);
  });
});

describe('compileFilter: extracted values', () => {
  it('passes one match as the value, several as an array, none as undefined', () => {
    const single = compileFilter({ query: '$.order.country', condition: 'v => ["US","CA"].includes(v)' });
    expect(evaluate(single, order(1)).result).toBe(true);
    const several = compileFilter({
      query: '$.order.line_items[*].sku',
      condition: 'v => Array.isArray(v) && v.length === 2',
    });
    expect(evaluate(several, order(1))).toEqual({
      result: true,
      explanation:
        '$.order.line_items[*].sku extracted ["SKU-1","SKU-2"], v => Array.isArray(v) && v.length === 2 returned true',
    });
    const none = compileFilter({ query: '$.order.coupon', condition: 'v => v === undefined' });
    expect(evaluate(none, order(1)).result).toBe(true);
  });

  it('a query without a condition is true when it matches at least one node', () => {
    const filter = compileFilter({ query: '$.order.line_items[?@.qty > 1]' });
    expect(evaluate(filter, order(1))).toEqual({
      result: true,
      explanation: '$.order.line_items[?@.qty > 1] matched {"sku":"SKU-2","qty":2}',
    });
    expect(evaluate(filter, order(1, { line_items: [{ qty: 1 }] }))).toEqual({
      result: false,
      explanation: '$.order.line_items[?@.qty > 1] matched nothing',
    });
    expect(evaluate(compileFilter({ query: '$.order.note' }), order(1, { note: null })).result).toBe(true);
  });

  it('a condition without a query gets the whole payload', () => {
    const filter = compileFilter({ condition: 'value.order.total > 100' });
    expect(evaluate(filter, order(101)).result).toBe(true);
    expect(evaluate(filter, { a: 1 }).explanation).toBe(
      'the payload {"a":1}, value.order.total > 100 failed (counted as false): cannot read "total" of undefined',
    );
  });

  it('uses truthiness for non-boolean results and says so', () => {
    const filter = compileFilter({ query: '$.order.line_items', condition: 'v => v.filter(i => i.qty > 1)' });
    expect(evaluate(filter, order(1)).explanation).toMatch(/returned \[\{"sku":"SKU-2","qty":2\}\] \(truthy\)$/);
    expect(evaluate(compileFilter({ query: '$.order.total', condition: 'v => v - 1' }), order(1))).toEqual({
      result: false,
      explanation: '$.order.total extracted 1, v => v - 1 returned 0 (falsy)',
    });
  });

  it('truncates long extracted values in the explanation', () => {
    const filter = compileFilter({ query: '$.text', condition: 'v => v.length > 5' });
    const { explanation } = evaluate(filter, { text: 'x'.repeat(500) });
    expect(explanation).toBe(`$.text extracted "${'x'.repeat(99)}…, v => v.length > 5 returned true`);
  });
});

describe('compileFilter: AND / OR trees', () => {
  const tree: FilterNode = {
    logic: 'AND',
    conditions: [
      { query: '$.order.total', condition: '(v) => v > 100' },
      {
        logic: 'OR',
        conditions: [
          { query: '$.order.country', condition: 'v => ["US","CA"].includes(v)' },
          { query: '$.order.vip', condition: 'v => v === true' },
        ],
      },
      { query: '$.order.line_items[*].sku', condition: '(skus) => skus.every(s => s.startsWith("SKU-"))' },
    ],
  };
  const filter = compileFilter(tree);

  it('passes when every AND child passes, naming the last', () => {
    expect(evaluate(filter, order(150))).toEqual({
      result: true,
      explanation:
        'AND passed: all 3 conditions were true, the last at conditions[2]: $.order.line_items[*].sku extracted ["SKU-1","SKU-2"], ' +
        '(skus) => skus.every(s => s.startsWith("SKU-")) returned true',
    });
  });

  it('fails at the first failing AND child', () => {
    expect(evaluate(filter, order(80))).toEqual({
      result: false,
      explanation: 'AND failed at conditions[0]: $.order.total extracted 80, (v) => v > 100 returned false',
    });
  });

  it('explains a nested OR that failed', () => {
    expect(evaluate(filter, order(150, { country: 'FR' }))).toEqual({
      result: false,
      explanation:
        'AND failed at conditions[1]: OR failed: none of 2 conditions were true, the last at conditions[1]: ' +
        '$.order.vip extracted nothing, v => v === true returned false',
    });
  });

  it('explains which OR child passed', () => {
    expect(evaluate(filter, order(150, { country: 'FR', vip: true })).result).toBe(true);
    const or = compileFilter({ logic: 'OR', conditions: tree.conditions });
    expect(evaluate(or, order(5))).toEqual({
      result: true,
      explanation:
        'OR passed at conditions[1]: OR passed at conditions[0]: $.order.country extracted "US", v => ["US","CA"].includes(v) returned true',
    });
  });

  it('treats an empty AND as true and an empty OR as false; AND is the default', () => {
    expect(evaluate(compileFilter({ logic: 'AND', conditions: [] }), {})).toEqual({
      result: true,
      explanation: 'AND passed: no conditions (an empty AND is true)',
    });
    expect(evaluate(compileFilter({ logic: 'OR', conditions: [] }), {})).toEqual({
      result: false,
      explanation: 'OR failed: no conditions (an empty OR is false)',
    });
    expect(evaluate(compileFilter({}), {}).result).toBe(true);
    const implicitAnd = compileFilter({ conditions: [{ condition: 'v => true' }, { condition: 'v => false' }] });
    expect(evaluate(implicitAnd, {}).explanation).toMatch(/^AND failed at conditions\[1\]/);
  });

  it('accepts input class instances, as a validation pipe may produce them', () => {
    class FilterConditionInput {
      query?: string;
      condition?: string;
      conditions?: FilterConditionInput[];
    }
    const leaf = Object.assign(new FilterConditionInput(), { query: '$.a', condition: 'v => v > 1' });
    const root = Object.assign(new FilterConditionInput(), { conditions: [leaf] });
    expect(evaluate(compileFilter(root), { a: 2 }).result).toBe(true);
    expect(evaluate(compileFilter(root), { a: 1 }).result).toBe(false);
  });

  it('accepts null for absent fields, as GraphQL sends them', () => {
    const filter = compileFilter({ query: '$.a', condition: null, logic: null, conditions: null });
    expect(evaluate(filter, { a: 1 }).result).toBe(true);
  });
});

describe('compileFilter: run-time errors make the leaf false', () => {
  it('calling startsWith on a number', () => {
    const filter = compileFilter({
      logic: 'OR',
      conditions: [
        { query: '$.sku', condition: '(sku) => sku.startsWith("SKU-")' },
        { query: '$.fallback', condition: 'v => v === 1' },
      ],
    });
    expect(evaluate(filter, { sku: 42 })).toEqual({
      result: false,
      explanation:
        'OR failed: none of 2 conditions were true, the last at conditions[1]: $.fallback extracted nothing, v => v === 1 returned false',
    });
    const leaf = compileFilter({ query: '$.sku', condition: '(sku) => sku.startsWith("SKU-")' });
    expect(evaluate(leaf, { sku: 42 })).toEqual({
      result: false,
      explanation:
        '$.sku extracted 42, (sku) => sku.startsWith("SKU-") failed (counted as false): startsWith() needs a string, got number',
    });
    // The OR still passes when another child passes.
    expect(evaluate(filter, { sku: 42, fallback: 1 }).result).toBe(true);
  });

  it('the step budget is shared by the whole evaluation and a breach is explained', () => {
    const big = Array.from({ length: 100 }, (_, i) => i);
    const filter = compileFilter({
      logic: 'OR',
      conditions: [
        { query: '$.items', condition: 'v => v.map(a => v.map(b => v.map(c => 1)))' },
        { query: '$.items', condition: 'v => v.length > 0' },
      ],
    });
    const evaluation = evaluate(filter, { items: big });
    expect(evaluation.result).toBe(false);
    expect(evaluation.explanation).toMatch(/failed \(counted as false\): evaluation step limit of 10000 exceeded$/);
    // the same filter on a small array is fine
    expect(evaluate(filter, { items: [1, 2] }).result).toBe(true);
  });

  it('a query that exhausts the budget is explained too', () => {
    const wide = { rows: Array.from({ length: 20_000 }, (_, i) => i) };
    const evaluation = evaluate(compileFilter({ query: '$.rows[*]' }), wide);
    expect(evaluation).toEqual({
      result: false,
      explanation: '$.rows[*] failed (counted as false): a JSONPath query produced more than 10000 nodes',
      limit: expect.any(FilterLimitError),
    });
  });
});

describe('compileFilter: invalid filters name the failing node', () => {
  it.each<[unknown, string, RegExp]>([
    [
      { logic: 'AND', conditions: [{ query: '$.a' }, { query: '$.b', condition: '(v) => v >' }] },
      'filter.conditions[1].condition',
      /parse error at position 10/,
    ],
    [
      { conditions: [{ conditions: [{ query: '$[' }] }] },
      'filter.conditions[0].conditions[0].query',
      /invalid JSONPath at position 2/,
    ],
    [{ query: '$.a', conditions: [] }, 'filter', /either query\/condition .* or conditions/],
    [{ condition: 'v => 1', conditions: [{ query: '$' }] }, 'filter', /not both/],
    [{ logic: 'XOR', conditions: [] }, 'filter.logic', /must be AND or OR/],
    [{ conditions: { query: '$' } }, 'filter.conditions', /must be a list/],
    [{ conditions: ['$.a'] }, 'filter.conditions[0]', /must be an object/],
    [{ conditions: [{ condtion: 'v => v' }] }, 'filter.conditions[0]', /unknown field "condtion"/],
    [null, 'filter', /must be an object/],
    [[{ query: '$' }], 'filter', /must be an object/],
    [{ query: 12 }, 'filter.query', /must be a string/],
    [{ query: '$.a', logic: 'and' }, 'filter.logic', /must be AND or OR/],
  ])('%j', (node, field, reason) => {
    const error = filterError(node);
    expect(error.details.field).toBe(field);
    expect(error.details.reason).toMatch(reason);
    expect(error.message).toMatch(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: `));
  });

  it('refuses a tree deeper than 32 levels without overflowing the stack', () => {
    let node: FilterNode = { query: '$.a' };
    for (let i = 0; i < 500; i++) node = { logic: 'AND', conditions: [node] };
    const error = filterError(node);
    expect(error).toBeInstanceOf(FilterLimitError);
    expect(error.details.reason).toMatch(/nested deeper than 32 levels/);
    let fits: FilterNode = { query: '$.a' };
    for (let i = 0; i < 31; i++) fits = { conditions: [fits] };
    expect(compileFilter(fits).evaluate({ a: 1 }).result).toBe(true);
  });

  it('refuses more than 1,000 nodes', () => {
    const wide: FilterNode = { logic: 'OR', conditions: Array.from({ length: 1_000 }, () => ({ query: '$.a' })) };
    expect(filterError(wide).details.reason).toMatch(/more than 1000 nodes/);
  });
});
