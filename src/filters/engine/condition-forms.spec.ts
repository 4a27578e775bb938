/**
 * The forms against the interpreter: which conditions have a form, and, on random values, that a
 * form returns what the interpreter returns for the same condition, with the same steps, the same
 * errors, and the step limit tripping at the same budget.
 */
import { checkCondition } from './condition-checker';
import { compileCondition, interpreted } from './condition-compiler';
import { ConditionForm } from './condition-forms';
import { parseCondition } from './condition-parser';
import { FilterLimitError } from './filter-engine.errors';
import { StepBudget } from './step-budget';
import { jsonValue, oddValue, random } from '../../../test/support/random-json';

type Run = (value: unknown, budget: StepBudget) => unknown;

const interpreter = (source: string): Run => interpreted(checkCondition(parseCondition(source, 'c'), 'c'));

/** What a run did: its result or its error, and its steps. */
function outcome(run: Run, value: unknown, budget: StepBudget): { result?: unknown; error?: string; steps: number } {
  try {
    return { result: run(value, budget), steps: budget.steps };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}`, steps: budget.steps };
  }
}

const LONG = 'x'.repeat(150);

const FORM_CONDITIONS = [
  'v => v > 100',
  '(v) => 100 < v',
  'v => v >= "m"',
  'v => v <= "SKU-1"',
  'v => v === "EUR"',
  'v => "EUR" !== v',
  'v => v == 1',
  'v => v == "1"',
  'v => v != null',
  'v => v !== undefined',
  'v => v < NaN',
  'v => v > Infinity',
  'v => v == true',
  `v => v === "${LONG}"`,
  `v => v < "${LONG}"`,
  'v => ["USD", "EUR"].includes(v)',
  'v => [1, NaN, null, true, "x"].includes(v)',
  'v => [undefined, 0].includes(v)',
  'v => [].includes(v)',
  'v => v.startsWith("SKU-")',
  'v => v.endsWith("1")',
  'v => v.startsWith("")',
  `v => v.startsWith("${LONG}")`,
  `v => v.endsWith("${LONG}")`,
  '(skus) => skus.some(s => s.startsWith("SKU-"))',
  's => s.every(x => x > 1)',
  's => s.some(x => ["a", "x"].includes(x))',
  's => s.every(x => 2 <= x)',
  's => s.some(s => s === null)',
  `s => s.every(x => x.endsWith("${LONG}"))`,
  'value > 3',
  'v.startsWith("x")',
];

/** Values for the conditions above: JSON of every kind, values parsed JSON never holds, long strings. */
function valueFor(next: () => number): unknown {
  const roll = next();
  if (roll < 0.1) return oddValue(next);
  if (roll < 0.2) return [LONG, `${LONG}x`, 'SKU-1', `x${LONG}`].slice(Math.floor(next() * 4));
  if (roll < 0.25) return next() < 0.5 ? LONG : `${LONG}${LONG}`;
  if (roll < 0.35) return Array.from({ length: Math.floor(next() * 6) }, () => jsonValue(next, 1));
  return jsonValue(next, 3);
}

describe('condition forms', () => {
  const formOf = (source: string): ConditionForm | undefined => compileCondition(source, 'c').form;

  it.each<[string, ConditionForm]>([
    ['(v) => v > 100', { kind: 'compare', operator: '>', literal: 100, valueFirst: true }],
    ['v => 100 <= v', { kind: 'compare', operator: '<=', literal: 100, valueFirst: false }],
    ['value === "EUR"', { kind: 'compare', operator: '===', literal: 'EUR', valueFirst: true }],
    ['v => v != undefined', { kind: 'compare', operator: '!=', literal: undefined, valueFirst: true }],
    ['v => ["USD", "EUR"].includes(v)', { kind: 'oneOf', literals: ['USD', 'EUR'] }],
    ['v => [NaN, undefined].includes(v)', { kind: 'oneOf', literals: [NaN, undefined] }],
    ['v => v.startsWith("SKU-")', { kind: 'affix', starts: true, text: 'SKU-' }],
    ['v => v.endsWith("-x")', { kind: 'affix', starts: false, text: '-x' }],
    [
      '(skus) => skus.some(s => s.startsWith("SKU-"))',
      { kind: 'each', every: false, item: { kind: 'affix', starts: true, text: 'SKU-' } },
    ],
    [
      'v => v.every(x => 1 < x)',
      { kind: 'each', every: true, item: { kind: 'compare', operator: '<', literal: 1, valueFirst: false } },
    ],
    // the callback's parameter shadows the condition's
    [
      'v => v.some(v => v === 2)',
      { kind: 'each', every: false, item: { kind: 'compare', operator: '===', literal: 2, valueFirst: true } },
    ],
  ])('%s', (source, form) => {
    expect(formOf(source)).toEqual(form);
  });

  it.each([
    'v => v > v',
    'v => 1 < 2',
    'v => v.a > 1',
    'v => v + 1 > 2',
    'v => v && 1',
    'v => v?.startsWith("S")',
    'v => v.startsWith("S", 1)',
    'v => v.startsWith(v)',
    'v => ["a"].includes(v, 1)',
    'v => ["a", v].includes(v)',
    'v => ["a"]?.includes(v)',
    'v => ["a"].indexOf(v)',
    'v => v.includes("a")',
    'v => v?.some(x => x > 1)',
    'v => v.some((x, i) => x > i)',
    'v => v.some(() => true)',
    'v => v.some(x => x > v)',
    'v => v.some(x => x.a > 1)',
    'v => v.filter(x => x > 1)',
    'v => [1].some(x => x > 1)',
    'v => v.some(x => x.some(y => y > 1))',
  ])('%s has none', (source) => {
    expect(formOf(source)).toBeUndefined();
  });

  it('every condition of the differential test below has a form', () => {
    expect(FORM_CONDITIONS.filter((source) => formOf(source) === undefined)).toEqual([]);
  });
});

describe('forms against the interpreter', () => {
  const compiled = FORM_CONDITIONS.map((source) => ({
    source,
    form: compileCondition(source, 'c').run,
    general: interpreter(source),
  }));

  it.each([1, 2, 3, 4])('same results, errors and steps on random values (seed %d)', (seed) => {
    const next = random(seed);
    let failures = 0;
    for (let i = 0; i < 300; i++) {
      const value = valueFor(next);
      for (const { source, form, general } of compiled) {
        const expected = outcome(general, value, new StepBudget());
        const actual = outcome(form, value, new StepBudget());
        if (expected.error !== undefined) failures++;
        expect({ source, value, ...actual }).toEqual({ source, value, ...expected });
      }
    }
    // The type errors are part of what is compared.
    expect(failures).toBeGreaterThan(100);
  });

  it.each([5, 6])('trip the step limit at the same budget (seed %d)', (seed) => {
    const next = random(seed);
    for (let i = 0; i < 40; i++) {
      const value = valueFor(next);
      for (const { source, form, general } of compiled) {
        for (let limit = 0; limit <= 12; limit++) {
          const expected = outcome(general, value, new StepBudget(limit));
          const actual = outcome(form, value, new StepBudget(limit));
          expect({ source, limit, result: actual.result, error: actual.error, tripped: actual.steps > limit }).toEqual({
            source,
            limit,
            result: expected.result,
            error: expected.error,
            tripped: expected.steps > limit,
          });
        }
      }
    }
  });
});

describe('condition steps', () => {
  const steps = (source: string, value: unknown): number => {
    const budget = new StepBudget();
    compileCondition(source, 'c').run(value, budget);
    return budget.steps;
  };

  it.each<[string, unknown, number]>([
    // operator, value, literal
    ['v => v > 100', 150, 3],
    ['v => 1 < 2', undefined, 3],
    // call, the array (its step and its two elements); the iteration, then operator and operands
    ['(a) => [a, 1].some((x, i) => x === i)', 0, 1 + 3 + 1 + 3],
    // call, array (length + 1), value, then one per element compared
    ['v => ["USD", "EUR", "GBP"].includes(v)', 'EUR', 1 + 4 + 1 + 2],
    ['v => ["USD", "EUR", "GBP"].includes(v)', 'CHF', 1 + 4 + 1 + 3],
    ['v => ["USD", "EUR", "GBP"].indexOf(v)', 'GBP', 1 + 4 + 1 + 3],
    ['v => ["USD", "EUR"].includes("EUR")', undefined, 1 + 3 + 1 + 2],
    // call, target, argument(s)
    ['v => v.startsWith("SKU-")', 'SKU-1', 3],
    // and a step per 64 characters of a longer search string
    [`v => v.startsWith("${LONG}")`, 'SKU-1', 3 + 3],
    ['v => v.includes("K", 1)', 'SKU-1', 4],
    ['v => v.includes(2)', [1, 2, 3], 3 + 2],
    ['v => v?.includes(2)', null, 2],
    // call, target; per item: iteration, then the body
    ['v => v.some(x => x.startsWith("b"))', ['a', 'b', 'c'], 2 + 2 * 4],
    ['v => v.every(x => x > 0)', [1, 2, 0, 3], 2 + 3 * 4],
    ['v => v.map(x => x === 1)', [1, 2], 2 + 2 * 4],
  ])('%s on %j: %d steps', (source, value, expected) => {
    expect(steps(source, value)).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['v => v > 100', 150],
    ['v => ["USD", "EUR", "GBP"].includes(v)', 'GBP'],
    ['v => v.startsWith("SKU-")', 'SKU-1'],
    ['v => v.some(x => x.startsWith("b"))', ['a', 'b']],
    ['v => v.some((x, i) => x.startsWith("b") && i > 0)', ['a', 'b']],
  ])('%s trips the limit one step short', (source, value) => {
    const needed = steps(source, value);
    expect(() => compileCondition(source, 'c').run(value, new StepBudget(needed - 1))).toThrow(FilterLimitError);
    expect(() => compileCondition(source, 'c').run(value, new StepBudget(needed))).not.toThrow();
  });

  it('keeps the type checks', () => {
    expect(() => compileCondition('v => v.startsWith("S")', 'c').run(5, new StepBudget())).toThrow(
      'startsWith() needs a string, got number',
    );
    expect(() => compileCondition('v => v.some(x => x > 1)', 'c').run('ab', new StepBudget())).toThrow(
      'some() needs an array, got string',
    );
    expect(() => compileCondition('v => v.some(x => x.endsWith("1"))', 'c').run([null], new StepBudget())).toThrow(
      'endsWith() needs a string, got null',
    );
  });
});
