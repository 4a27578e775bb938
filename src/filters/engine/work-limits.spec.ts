/**
 * Issue 17, items 1 and 2, as classes: queries whose matches multiply, reducers that repeat work,
 * string methods over big strings. Each must stop at a limit (LIMIT_EXCEEDED) having done bounded
 * work, and the same shapes on legitimate data must still give the library's answer. Budgets here
 * use a frozen clock: the step, visit and node limits are asserted, never the deadline.
 */
import { query, type JsonValue } from 'jsonpath-rfc9535';
import { BadUserInputError } from '../../common/errors/domain-error';
import { compileCondition } from './condition-compiler';
import { compileFilter } from './filter';
import { FilterLimitError } from './filter-engine.errors';
import { compileJsonPath } from './json-path';
import { FilterLimits } from './limits';
import { compileReducer } from './reducer';
import { StepBudget } from './step-budget';

const frozen = (limit: number = FilterLimits.maxSteps, field = 'filter'): StepBudget =>
  new StepBudget(limit, { field, now: () => 0 });

function limitError(run: () => unknown): FilterLimitError {
  try {
    run();
  } catch (error) {
    if (error instanceof FilterLimitError) return error;
    throw error;
  }
  throw new Error('expected a limit error');
}

/** n-ary tree of the given depth, every leaf 1. */
function tree(width: number, depth: number): JsonValue {
  return depth === 0 ? 1 : Array.from({ length: width }, () => tree(width, depth - 1));
}

function nested(depth: number): JsonValue {
  let value: JsonValue = [1];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

describe('queries whose matches multiply stop at a limit, inside the walk', () => {
  const tenZeros = `[${Array.from({ length: 10 }, () => '0').join(',')}]`;

  it('refuses the issue example when compiling: ten repeated indexes nine levels deep', () => {
    const error = limitError(() => compileJsonPath(`$${tenZeros.repeat(9)}`, 'reducer.x'));
    expect(error.details).toMatchObject({
      field: 'reducer.x',
      reasonCode: 'LIMIT_EXCEEDED',
      limit: FilterLimits.maxQueryNodes,
    });
    expect(error.message).toMatch(/unions can make up to 1000000000 nodes/);
    // Four levels (10^4) compile; with a descendant segment after them they stop at the node limit.
    const four = compileJsonPath(`$${tenZeros.repeat(4)}..*`, 'q');
    const budget = frozen(1_000_000);
    expect(limitError(() => four.select(nested(9), budget)).message).toMatch(/produced more than 10000 nodes/);
    expect(budget.visits).toBeLessThan(100_000);
  });

  const wide = tree(12, 5); // 12^5 = 248,832 leaves
  it.each([
    '$[*][*][*][*][*]',
    '$.*.*.*.*.*',
    '$[*,*][*,*][*,*][*,*][*,*]',
    '$[::1][::1][::1][::1][::1]',
    '$[0:12][0:12][0:12][0:12][0:12]',
    '$[-12:][::-1][::2,1::2][*][0,1,2,3,4,5,6,7,8,9,10,11]',
    '$[?@][?@][?@][?@][?@]',
    '$[*][?@[0]][*][?@ == 1 || @[0] == 1][*]',
    '$..*',
    '$..[*]',
    '$..[?@]',
    '$..[0,1,2,3,4,5,6,7,8,9,10,11]',
    '$[?count(@[*][*][*][*]) > 1]',
    '$[*][?count(@[*][*][*]) > 1]',
  ])('%s over 12^5 nodes', (source) => {
    const path = compileJsonPath(source, 'q');
    const budget = frozen(1_000_000);
    const error = limitError(() => path.select(wide, budget));
    expect(error.details.reasonCode).toBe('LIMIT_EXCEEDED');
    expect(error.message).toMatch(/produced more than 10000 nodes|visited more than 250000 nodes/);
    // The work done is what was charged: never past the visit limit by more than one array.
    expect(budget.visits).toBeLessThanOrEqual(FilterLimits.maxVisits + 12);
  });

  it('deep equality inside filters is charged too', () => {
    const big = { a: tree(8, 6), b: tree(8, 6) };
    const budget = frozen(1_000_000);
    expect(limitError(() => compileJsonPath('$[?@.a == @.b]', 'q').select({ x: big }, budget)).message).toMatch(
      /visited more than/,
    );
    // Equal small values still compare equal.
    expect(compileJsonPath('$[?@.a == @.b]', 'q').select({ x: { a: [1, { c: 'd' }], b: [1, { c: 'd' }] } })).toEqual([
      { a: [1, { c: 'd' }], b: [1, { c: 'd' }] },
    ]);
  });

  it('the filter step budget stops the same shapes in a filter, and the leaf is false with the reason', () => {
    for (const source of ['$..*', '$[*][*][*][*][*]', '$..[?@]']) {
      const filter = compileFilter({ query: source, condition: 'v => true' });
      expect(filter.matches(wide)).toBe(false);
      const evaluation = filter.evaluate(wide);
      expect(evaluation.result).toBe(false);
      expect(evaluation.limit?.details.reasonCode).toBe('LIMIT_EXCEEDED');
    }
  });

  it('agree with the library on the same shapes over data that fits (positive control)', () => {
    const small = tree(3, 3) as JsonValue;
    const doc = { a: [5, 3, 8, { b: 1, c: [9, 8] }], d: { e: 'x', f: [1, 2, 3, 4, 5, 6] } } as JsonValue;
    for (const source of [
      '$[*][*][*]',
      '$[*,*][0,1]',
      '$[::1][0:2]',
      '$[::-1][-2:]',
      '$[1::2][::-2]',
      '$[?@][?@]',
      '$..*',
      '$..[*]',
      '$..[0,1]',
      '$..[?@ == 1]',
      '$[?count(@[*][*]) > 1]',
    ]) {
      expect({ source, matches: compileJsonPath(source, 'q').select(small) }).toEqual({
        source,
        matches: query(small, source),
      });
    }
    for (const source of [
      '$.d.f[1:5:2]',
      '$.d.f[5:1:-2]',
      '$.d.f[-1:-4:-1]',
      '$.a[?@ > 4]',
      '$..f[*]',
      '$..[?@.b == 1].c[*]',
      '$["a","d"][0,"e"]',
    ]) {
      expect({ source, matches: compileJsonPath(source, 'q').select(doc) }).toEqual({
        source,
        matches: query(doc, source),
      });
    }
  });
});

describe('reducers pay for their queries', () => {
  /** About 230 KB of orders, as in the stored-reducer measurement. */
  const payload = {
    orders: Array.from({ length: 1_500 }, (_, i) => ({
      id: `ord_${i}`,
      total: i,
      lines: [
        { sku: `SKU-${i}`, qty: 1 },
        { sku: 'X', qty: 2 },
      ],
    })),
  };

  it('refuses more than 1,000 query leaves when compiling', () => {
    const keys = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, '$..zz']));
    const error = limitError(() => compileReducer(keys));
    expect(error.details).toMatchObject({ reasonCode: 'LIMIT_EXCEEDED', limit: FilterLimits.maxReducerQueries });
    const inArrays = {
      a: Array.from({ length: 600 }, () => '$.x'),
      b: { c: Array.from({ length: 401 }, () => ['$.y']) },
    };
    expect(limitError(() => compileReducer(inArrays)).message).toMatch(/more than 1000 JSONPath queries/);
  });

  it.each<[string, Record<string, unknown>]>([
    ['1,000 keys of $..zz', Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`k${i}`, '$..zz']))],
    [
      'nested templates of $..id',
      { a: { b: { c: Array.from({ length: 300 }, () => ({ id: '$..id', n: ['$..total'] })) } } },
    ],
    ['arrays of wildcard queries', { all: Array.from({ length: 500 }, () => '$.orders[*].lines[*].sku') }],
  ])('%s over a 230 KB payload stops at the visit or match budget', (_name, template) => {
    const budget = frozen(FilterLimits.maxReducerSteps, 'reducer');
    const error = limitError(() => compileReducer(template).apply(payload, budget));
    expect(error.details).toMatchObject({ field: 'reducer', reasonCode: 'LIMIT_EXCEEDED' });
    expect(budget.visits).toBeLessThanOrEqual(FilterLimits.maxVisits + 1_500);
  });

  it('a huge output stops at 256 KiB as it is produced', () => {
    const template = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`copy${i}`, '$.orders']));
    expect(
      limitError(() => compileReducer(template).apply(payload, frozen(FilterLimits.maxReducerSteps, 'reducer')))
        .message,
    ).toMatch(/output is larger than 262144/);
  });

  it('a legitimate reducer over the same payload still works, $..id included (positive control)', () => {
    const reducer = compileReducer({
      ids: '$..id',
      first: '$.orders[0].id',
      skus: '$.orders[0:3].lines[0].sku',
      count: 'n',
    });
    const output = reducer.apply(payload, frozen(FilterLimits.maxReducerSteps, 'reducer')) as Record<string, unknown>;
    expect(output.ids).toHaveLength(1_500);
    expect(output).toMatchObject({ first: 'ord_0', skus: ['SKU-0', 'SKU-1', 'SKU-2'], count: 'n' });
  });
});

describe('string methods cost their length', () => {
  const big = 'a'.repeat(250_000);
  const list = Array.from({ length: 3_000 }, (_, i) => i);
  const run = (condition: string, value: unknown): unknown => compileCondition(condition, 'c').run(value, frozen());

  it.each([
    'v => v.list.map(x => v.big.toUpperCase())',
    'v => v.list.map(x => v.big.toLowerCase())',
    'v => v.list.map(x => v.big.trim())',
    'v => v.list.map(x => v.big.includes("b"))',
    'v => v.list.map(x => v.big.indexOf("b"))',
    'v => v.list.map(x => v.big.startsWith(v.big))',
    'v => v.list.map(x => v.big.endsWith(v.big))',
    'v => v.list.map(x => v.big === v.copy)',
    'v => v.list.map(x => v.big < v.copy)',
    'v => v.list.map(x => v.big == v.list)',
    'v => v.list.map(x => Number(v.big))',
    'v => v.list.map(x => Date.parse(v.big))',
    'v => v.list.map(x => String(v.list))',
    'v => v.list.map(x => v.list + "")',
    'v => v.list.map(x => v.half + v.half)',
    'v => v.list.map(x => v.list.includes(String(v.list)))',
  ])('%s', (condition) => {
    const value = { big, copy: `${'a'.repeat(249_999)}b`, half: 'b'.repeat(30_000), list };
    const error = limitError(() => run(condition, value));
    expect(error.details.reasonCode).toBe('LIMIT_EXCEEDED');
  });

  it('one call over a big string costs about one step per 64 characters', () => {
    const budget = frozen(1_000_000);
    compileCondition('v => v.includes("b")', 'c').run(big, budget);
    expect(budget.steps).toBeGreaterThanOrEqual(250_000 / 64);
    expect(budget.steps).toBeLessThan(250_000 / 64 + 20);
  });

  it('case mapping past 64 KiB is refused before the string is built', () => {
    expect(limitError(() => run('v => v.toUpperCase()', 'x'.repeat(70_000))).message).toMatch(
      /string longer than 65536/,
    );
    // ß maps to SS: the result is checked too.
    expect(limitError(() => run('v => v.toUpperCase()', 'ß'.repeat(40_000))).message).toMatch(
      /string longer than 65536/,
    );
  });

  it('the same methods on ordinary strings give the JavaScript results (positive control)', () => {
    expect(
      run(
        'v => [v.toUpperCase(), v.toLowerCase(), v.trim(), v.includes("b"), v.indexOf("c"), v.startsWith(" A"), v.endsWith("c ")]',
        ' Abc ',
      ),
    ).toEqual([' ABC ', ' abc ', 'Abc', true, 3, true, true]);
    expect(run('v => String(v) + "!" + Number("12") + Date.parse("2025-01-01T00:00:00Z")', [1, [2, 3]])).toBe(
      '1,2,3!121735689600000',
    );
  });
});

describe('the wall-clock deadline, with an injected clock', () => {
  it('stops an evaluation that runs past 50 ms of its clock, checked every 1,024 steps', () => {
    let now = 0;
    const budget = new StepBudget(1_000_000, { now: () => now });
    budget.charge(1_000);
    now = 1_000; // the clock is first read at the first check, which starts it
    budget.charge(100);
    now = 1_049;
    budget.charge(1_024);
    now = 1_051;
    expect(() => budget.charge(1_024)).toThrow(/evaluation took longer than 50 ms/);
  });

  it('visits look at the clock too', () => {
    let now = 0;
    const budget = new StepBudget(10, { now: () => now });
    budget.visit(1_025);
    now = 60;
    const error = limitError(() => budget.visit(1_025));
    expect(error.details).toMatchObject({ reasonCode: 'LIMIT_EXCEEDED', limit: 50 });
  });

  it('a short evaluation never reads the clock', () => {
    const clock = jest.fn(() => 0);
    const budget = new StepBudget(FilterLimits.maxSteps, { now: clock });
    budget.charge(1_000);
    budget.visit(1_000);
    expect(clock).not.toHaveBeenCalled();
  });

  it('a filter leaf past the deadline is false, and says why', () => {
    expect(new BadUserInputError('f', 'r')).toBeInstanceOf(BadUserInputError);
    let now = 0;
    const budget = new StepBudget(FilterLimits.maxSteps, { now: () => (now += 10) });
    const condition = compileCondition('v => v.map(x => v.map(y => y))', 'c');
    expect(
      limitError(() =>
        condition.run(
          Array.from({ length: 90 }, (_, i) => i),
          budget,
        ),
      ).message,
    ).toMatch(/took longer than 50 ms/);
  });
});
