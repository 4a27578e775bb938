import { BadUserInputError } from '../../common/errors/domain-error';
import { compileCondition } from './condition-compiler';
import { ConditionRuntimeError, FilterLimitError } from './filter-engine.errors';
import { StepBudget } from './step-budget';

const run = (source: string, value?: unknown, budget = new StepBudget()): unknown =>
  compileCondition(source, 'filter.condition').run(value, budget);

function compileError(source: unknown): BadUserInputError {
  try {
    compileCondition(source, 'filter.conditions[1].condition');
  } catch (error) {
    if (error instanceof BadUserInputError) return error;
    throw error;
  }
  throw new Error(`expected ${String(source)} to be rejected`);
}

function runtimeError(source: string, value: unknown): Error {
  try {
    run(source, value);
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error(`expected ${source} to fail at run time`);
}

describe('compileCondition: whitelisted forms', () => {
  it.each<[string, unknown, unknown]>([
    ['v => 42', undefined, 42],
    ['v => -1.5e2', undefined, -150],
    ['v => "double"', undefined, 'double'],
    ["v => 'single \\' quote'", undefined, "single ' quote"],
    ['v => true', undefined, true],
    ['v => false', undefined, false],
    ['v => null', 1, null],
    ['v => undefined', 1, undefined],
    ['v => Infinity', 1, Infinity],
    ['() => 7', 1, 7],
    ['(x) => x', 'same', 'same'],
    ['x => x', 3, 3],
  ])('literal / parameter %s', (source, value, expected) => {
    expect(run(source, value)).toStrictEqual(expected);
  });

  it('NaN is a known constant', () => {
    expect(run('v => NaN')).toBeNaN();
  });

  it('a bare expression names the value `value` or `v`', () => {
    expect(run('value > 100', 150)).toBe(true);
    expect(run('value > 100', 80)).toBe(false);
    expect(run('v.startsWith("SKU-")', 'SKU-1')).toBe(true);
    expect(run('value === v', 'x')).toBe(true);
  });

  it.each<[string, unknown, unknown]>([
    ['v => v == "5"', 5, true],
    ['v => v === "5"', 5, false],
    ['v => v != "5"', 5, false],
    ['v => v !== "5"', 5, true],
    ['v => v < 5', 4, true],
    ['v => v <= 5', 5, true],
    ['v => v > 5', 5, false],
    ['v => v >= 5', 5, true],
    ['v => v < "b"', 'a', true],
    ['v => v == null', undefined, true],
    ['v => v == 1', [1], true],
    ['v => v == v', { a: 1 }, true],
    ['v => v == 0', null, false],
  ])('comparison %s on %p', (source, value, expected) => {
    expect(run(source, value)).toBe(expected);
  });

  it.each<[string, unknown, unknown]>([
    ['v => v + 1', 2, 3],
    ['v => "n" + v', 2, 'n2'],
    ['v => v + 1', { a: 1 }, '[object Object]1'],
    ['v => v + 1', [1, 2], '1,21'],
    ['v => v - 1', [5], 4],
    ['v => v * 3', 2, 6],
    ['v => v / 4', 2, 0.5],
    ['v => v % 3', 7, 1],
    ['v => -v', 2, -2],
    ['v => +v', '3', 3],
    ['v => (v + 1) * 2', 2, 6],
  ])('arithmetic %s on %p', (source, value, expected) => {
    expect(run(source, value)).toStrictEqual(expected);
  });

  it.each<[string, unknown, unknown]>([
    ['v => v && "yes"', 1, 'yes'],
    ['v => v && "yes"', 0, 0],
    ['v => v || "fallback"', '', 'fallback'],
    ['v => v ?? "default"', null, 'default'],
    ['v => v ?? "default"', 0, 0],
    ['v => !v', '', true],
    ['v => !!v', 'x', true],
    ['v => v > 1 ? "big" : "small"', 2, 'big'],
    ['v => v > 1 ? "big" : "small"', 1, 'small'],
  ])('logic %s on %p', (source, value, expected) => {
    expect(run(source, value)).toStrictEqual(expected);
  });

  it('array literals, including ones built from the value', () => {
    expect(run('v => [1, v, "x"]', 5)).toEqual([1, 5, 'x']);
    expect(run('v => ["US", "CA"].includes(v)', 'CA')).toBe(true);
    expect(run('v => ["US", "CA"].includes(v)', 'FR')).toBe(false);
    // A constant array is shared between runs, so it must not be mutable.
    expect(Object.isFrozen(run('v => ["US", "CA"]'))).toBe(true);
  });

  it('member access: dot, computed index and key, optional chaining, length', () => {
    const order = { a: { b: 2 }, items: [10, 20, 30], 'a-b': 'dash', i: 2, s: 'hello' };
    expect(run('v => v.a.b', order)).toBe(2);
    expect(run('v => v.items[1]', order)).toBe(20);
    expect(run('v => v["a-b"]', order)).toBe('dash');
    expect(run('v => v.items[v.i]', order)).toBe(30);
    expect(run('v => v.items["0"]', order)).toBe(10);
    expect(run('v => v.s.length', order)).toBe(5);
    expect(run('v => v.s[1]', order)).toBe('e');
    expect(run('v => v.items.length', order)).toBe(3);
    expect(run('v => v.items[-1]', order)).toBeUndefined();
    expect(run('v => v.items[1.5]', order)).toBeUndefined();
    expect(run('v => v.missing', order)).toBeUndefined();
    expect(run('v => v?.a', null)).toBeUndefined();
    expect(run('v => v.missing?.b', order)).toBeUndefined();
    expect(run('v => v?.[0]', undefined)).toBeUndefined();
    expect(run('v => v.n.length', { n: 5 })).toBeUndefined();
  });

  it('reads own data only: inherited names on plain objects are undefined', () => {
    expect(run('v => v.hasOwn', {})).toBeUndefined();
    expect(run('v => v["keys"]', {})).toBeUndefined();
    expect(run('v => v.isArray', [])).toBeUndefined();
  });

  it.each<[string, unknown, unknown]>([
    ['v => v.includes("ell")', 'hello', true],
    ['v => v.includes("ell", 2)', 'hello', false],
    ['v => v.startsWith("SKU-")', 'SKU-1', true],
    ['v => v.startsWith("KU", 1)', 'SKU-1', true],
    ['v => v.endsWith(".com")', 'a@b.com', true],
    ['v => v.toLowerCase()', 'AbC', 'abc'],
    ['v => v.toUpperCase()', 'AbC', 'ABC'],
    ['v => v.trim()', '  x ', 'x'],
    ['v => v.indexOf("l")', 'hello', 2],
    ['v => v.includes(1)', 'a1', true],
  ])('string method %s on %p', (source, value, expected) => {
    expect(run(source, value)).toStrictEqual(expected);
  });

  it.each<[string, unknown, unknown]>([
    ['v => v.includes(2)', [1, 2, 3], true],
    ['v => v.includes(NaN)', [NaN], true],
    ['v => v.includes(1, 1)', [1, 2], false],
    ['v => v.indexOf(3)', [1, 2, 3], 2],
    ['v => v.indexOf(9)', [1, 2, 3], -1],
    ['v => v.some(x => x > 2)', [1, 2, 3], true],
    ['v => v.some(x => x > 5)', [1, 2, 3], false],
    ['v => v.every(x => x > 0)', [1, 2, 3], true],
    ['v => v.every(x => x > 1)', [1, 2, 3], false],
    ['v => v.filter(x => x % 2 === 1)', [1, 2, 3], [1, 3]],
    ['v => v.map(x => x * 10)', [1, 2, 3], [10, 20, 30]],
    ['v => v.map((x, i) => i)', ['a', 'b'], [0, 1]],
    ['v => v.find(x => x.id === 2)', [{ id: 1 }, { id: 2, n: 'b' }], { id: 2, n: 'b' }],
    ['v => v.find(x => x > 9)', [1], undefined],
    ['v => v.map(() => 1)', [5, 6], [1, 1]],
  ])('array method %s on %p', (source, value, expected) => {
    expect(run(source, value)).toStrictEqual(expected);
  });

  it('nested arrows see outer parameters and shadow by name', () => {
    const items = [
      { qty: 1, k: 'a' },
      { qty: 2, k: 'b' },
    ];
    expect(run('(items) => items.length >= 2 && items.every(i => i.qty > 0)', items)).toBe(true);
    expect(run('(items) => items.length >= 2 && items.every(i => i.qty > 1)', items)).toBe(false);
    expect(run('v => v.some(a => v.some(b => a !== b && a.k === b.k))', items)).toBe(false);
    expect(run('v => v.map(v => v * 2)', [1, 2])).toEqual([2, 4]);
    expect(
      run('(skus) => skus.filter(s => s.startsWith("SKU-")).map(s => s.length)', ['SKU-1', 'X', 'SKU-22']),
    ).toEqual([5, 6]);
  });

  it.each<[string, unknown, unknown]>([
    ['v => Number(v)', '5', 5],
    ['v => Number()', 1, 0],
    ['v => String(v)', 5, '5'],
    ['v => String(v)', [1, [2, 3], null], '1,2,3,'],
    ['v => String(v)', { a: 1 }, '[object Object]'],
    ['v => Boolean(v)', '', false],
    ['v => Boolean(v)', 'x', true],
    ['v => Math.min(3, v, 2)', 1, 1],
    ['v => Math.max(3, v, 2)', 9, 9],
    ['v => Math.max()', 0, -Infinity],
    ['v => Math.abs(v)', -2, 2],
    ['v => Math.round(v)', 2.5, 3],
    ['v => Array.isArray(v)', [1], true],
    ['v => Array.isArray(v)', '[1]', false],
    ['v => Date.parse(v)', '2025-01-01T00:00:00Z', 1735689600000],
    ['v => Date.parse(v) > Date.parse("2024-01-01")', '2025-06-01', true],
  ])('global %s on %p', (source, value, expected) => {
    expect(run(source, value)).toStrictEqual(expected);
  });
});

describe('compileCondition: run-time failures are errors for the caller (the filter makes the leaf false)', () => {
  it.each<[string, unknown, RegExp]>([
    ['v => v.startsWith("a")', 5, /startsWith\(\) needs a string, got number/],
    ['v => v.a.b', {}, /cannot read "b" of undefined/],
    ['v => v.some(x => x)', 'abc', /some\(\) needs an array, got string/],
    ['v => v.includes(1)', { includes: 1 }, /includes\(\) needs a string or an array, got object/],
    ['v => v.a', new Map([['a', 1]]), /cannot read "a" of a non-JSON value/],
    ['v => v[v.k]', { k: true }, /computed property key must be a number or a string, got boolean/],
  ])('%s on %p', (source, value, message) => {
    const error = runtimeError(source, value);
    expect(error).toBeInstanceOf(ConditionRuntimeError);
    expect(error.message).toMatch(message);
  });
});

describe('compileCondition: compile-time rejection', () => {
  it('reports parse errors with the position', () => {
    const error = compileError('(v) => v >');
    expect(error.message).toMatch(/^filter\.conditions\[1\]\.condition: parse error at position 10: /);
    expect(error.details).toMatchObject({ field: 'filter.conditions[1].condition', position: 10 });
  });

  it('reports an unclosed string with a position', () => {
    expect(compileError('v => v === "abc').message).toMatch(/parse error at position \d+: Unclosed quote/);
  });

  it.each<[unknown, RegExp]>([
    ['', /must not be empty/],
    [42, /must be a string/],
    ['v => v.foo()', /method "foo" is not allowed/],
    ['v => v.toLowerCase(1)', /toLowerCase\(\) takes 0 arguments/],
    ['v => v.startsWith()', /startsWith\(\) takes 1 to 2 arguments/],
    ['v => v.some(1)', /some\(\) takes one arrow function/],
    ['v => v.map(x => x, 1)', /map\(\) takes one arrow function/],
    ['(a, b) => a', /a condition takes one parameter/],
    ['v => v.map((a, b, c) => a)', /at most 2 parameters/],
    ['v => w => 1', /arrow functions are only allowed/],
    ['v => [v => 1]', /arrow functions are only allowed/],
    ['v => v | 1', /operator "\|" is not supported/],
    ['v => v ** 2', /operator "\*\*" is not supported/],
    ['v => v << 1', /operator "<<" is not supported/],
    ['v => ~v', /operator "~" is not supported/],
    ['v => Math', /Math can only be called/],
    ['v => Number', /Number can only be called/],
    ['v => Math.pow(2, 3)', /Math\.pow is not allowed/],
    ['v => Date.now()', /Date\.now is not allowed/],
    ['v => Math.abs()', /Math\.abs takes 1 argument/],
    ['v => v(1)', /"v" is a value, not a function/],
    ['v => v, 1', /write a single expression/],
    ['v => (v, 1)', /sequence expressions/],
    ['v => x', /identifier "x" is not allowed/],
    ['v => v in [1]', /"in" is not supported/],
    ['v => v instanceof Array', /"instanceof" is not supported/],
    ['v => v++', /increment and decrement/],
    ['v => v += 1', /assignment is not supported/],
    ['v => [...v]', /spread syntax is not supported/],
    ['v => v // comment', /comments are not supported/],
    ['v => 1; 2', /statements are not supported/],
    ['v => v[1, 2]', /sequence expressions|parse error/],
  ])('%p', (source, message) => {
    expect(compileError(source).message).toMatch(message);
  });

  it('accepts division, which the regex check must not confuse with a regular expression', () => {
    expect(run('v => v.total / 2 > 10', { total: 30 })).toBe(true);
    expect(run('v => (v + 1) / 2', 3)).toBe(2);
    expect(run('v => "a/b".includes("/")')).toBe(true);
  });
});

describe('compileCondition: limits', () => {
  it('accepts 2,000 characters and refuses 2,001', () => {
    const fits = `v => v !== "${'a'.repeat(2000 - 'v => v !== ""'.length)}"`;
    expect(fits).toHaveLength(2000);
    expect(run(fits, 'b')).toBe(true);
    const error = compileError(`${fits} `);
    expect(error).toBeInstanceOf(FilterLimitError);
    expect(error.message).toMatch(/2001 characters long; the limit is 2000/);
  });

  it('refuses brackets nested deeper than 32 before parsing', () => {
    expect(run(`v => ${'('.repeat(32)}v${')'.repeat(32)}`, 1)).toBe(1);
    const error = compileError(`v => ${'('.repeat(33)}v${')'.repeat(33)}`);
    expect(error).toBeInstanceOf(FilterLimitError);
    expect(error.message).toMatch(/nested deeper than 32 levels \(at position 37\)/);
  });

  it('refuses a deep expression without brackets (unary chain, long operator chain)', () => {
    expect(compileError(`v => ${'- '.repeat(40)}v`).message).toMatch(/expression is nested deeper than 32 levels/);
    expect(compileError(`v => ${Array.from({ length: 40 }, () => 'v').join(' + ')}`).message).toMatch(
      /nested deeper than 32/,
    );
  });

  it('counts steps for every node and iteration and stops at the budget', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    expect(() => run('v => v.map(a => v.map(b => 1))', items)).toThrow(/evaluation step limit of 10000 exceeded/);
    const budget = new StepBudget();
    run('v => v.map(a => 1)', items, budget);
    // the call and the parameter, then two steps (iteration + literal) per item
    expect(budget.steps).toBe(2 + 2 * 100);
    expect(() => run('v => v.includes(-1)', items, new StepBudget(50))).toThrow(FilterLimitError);
  });

  it('refuses to build strings over 64 KiB', () => {
    const big = 'x'.repeat(40_000);
    expect(run('v => v.length', big)).toBe(40_000);
    expect(() => run('v => v + v', big)).toThrow(/string longer than 65536 characters/);
    expect(() =>
      run(
        'v => String(v)',
        Array.from({ length: 30_000 }, () => 'abc'),
      ),
    ).toThrow(/string longer than 65536/);
  });
});
