/**
 * The fast paths against the general ones: json-path.ts's written-out walkers against the library
 * and against the plain-object rule itself, fused leaves (fast-leaf.ts) against extract() + run(),
 * with the same results and the same steps, and the limit tripping at the same budget.
 */
import { query, type JsonValue } from 'jsonpath-rfc9535';
import { CompiledCondition, ConditionForm, compileCondition } from './condition-compiler';
import { fastLeaf } from './fast-leaf';
import { compileFilter } from './filter';
import { FilterLimitError } from './filter-engine.errors';
import { CompiledJsonPath, compileJsonPath } from './json-path';
import { isPlainObject } from './safe-values';
import { StepBudget } from './step-budget';

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const KEYS = ['a', 'b', 'c', 'toString', 'constructor', 'length', '0'];
const SCALARS: JsonValue[] = [0, 1, 2, 100, 101, 150.5, -1, '', 'EUR', 'USD', 'SKU-1', 'SKU-', 'x', '100', true, false, null];

function jsonValue(next: () => number, depth: number): JsonValue {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const roll = next();
  if (depth <= 0 || roll < 0.35) return pick(SCALARS);
  if (roll < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => jsonValue(next, depth - 1));
  const out: Record<string, JsonValue> = {};
  for (let i = 0, n = 1 + Math.floor(next() * 4); i < n; i++) out[pick(KEYS)] = jsonValue(next, depth - 1);
  return out;
}

class Order {
  a = 1;
  b = 'SKU-1';
}

/** Values parsed JSON never holds, which the walkers must still treat as the general rule does. */
function oddValue(next: () => number): unknown {
  const inner = (): unknown => jsonValue(next, 2);
  switch (Math.floor(next() * 6)) {
    case 0:
      return new Order();
    case 1:
      return Object.assign(Object.create(null) as Record<string, unknown>, { a: inner(), b: inner() });
    case 2:
      return JSON.parse('{"__proto__": {"a": 5}, "b": "SKU-9"}') as unknown;
    case 3:
      return Object.assign([inner(), inner()], { b: 'x' });
    case 4:
      return { a: undefined, b: { a: new Order(), b: [new Order(), { b: 'SKU-2' }] } };
    default:
      return { a: Object.create({ b: 'inherited' }) as unknown, b: [Object.create(null) as unknown, 'SKU-3'] };
  }
}

const QUERIES = [
  '$',
  '$.a',
  '$.a.b',
  '$.a.b.c',
  '$.a.b.c.a',
  '$.toString',
  '$.a.constructor',
  '$.length',
  "$['0']",
  '$.a[0]',
  '$.a[-1].b',
  '$.a[0].b.c',
  '$[*]',
  '$.a[*]',
  '$[*].b',
  '$.a[*].b',
  '$.a.b[*].c',
  '$.a.*',
  '$.a.*.b',
  '$[*].toString',
  '$[*][*]',
  '$.a[0,1].b',
];

/** The rule the walkers implement, one step at a time: names on plain objects' own keys, indexes on arrays. */
function referenceSelect(root: unknown, source: string): unknown[] {
  const steps = source
    .slice(1)
    .split(/(?=[.[])/)
    .filter((step) => step !== '');
  let nodes: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (step === '.*' || step === '[*]') {
        if (Array.isArray(node)) next.push(...(node as unknown[]));
        else if (isPlainObject(node)) for (const key of Object.keys(node)) next.push(node[key]);
      } else if (/^\[-?\d+\]$/.test(step)) {
        const index = Number(step.slice(1, -1));
        if (Array.isArray(node)) {
          const at = index < 0 ? node.length + index : index;
          if (at >= 0 && at < node.length) next.push(node[at]);
        }
      } else {
        for (const name of step.startsWith('[') ? step.slice(1, -1).split(',').map((part) => part.replace(/'/g, '')) : [step.slice(1)]) {
          if (/^\d+$/.test(name) && step.startsWith('[') && !step.includes("'")) {
            if (Array.isArray(node) && Number(name) < node.length) next.push(node[Number(name)]);
          } else if (isPlainObject(node) && Object.hasOwn(node, name)) {
            next.push(node[name]);
          }
        }
      }
    }
    nodes = next;
  }
  return nodes;
}

function selectWithSteps(path: CompiledJsonPath, root: unknown): { matches: unknown[]; steps: number } {
  const budget = new StepBudget();
  const matches = path.select(root, budget);
  return { matches, steps: budget.steps };
}

describe('json-path walkers', () => {
  const compiled = QUERIES.map((source) => compileJsonPath(source, 'q'));

  it('agree with jsonpath-rfc9535 on random JSON, and charge one step per match', () => {
    const next = random(7);
    for (let i = 0; i < 400; i++) {
      const doc = jsonValue(next, 4);
      compiled.forEach((path, q) => {
        const { matches, steps } = selectWithSteps(path, doc);
        expect({ source: QUERIES[q], doc, matches }).toEqual({ source: QUERIES[q], doc, matches: query(doc, QUERIES[q]) });
        expect(steps).toBe(matches.length);
        const extracted = path.extract(doc);
        expect(extracted).toEqual(matches.length === 0 ? undefined : matches.length === 1 ? matches[0] : matches);
      });
    }
  });

  it('walk plain objects and own keys only, for values parsed JSON never holds', () => {
    const next = random(11);
    for (let i = 0; i < 400; i++) {
      const doc = { a: oddValue(next), b: [oddValue(next), oddValue(next)], c: oddValue(next) };
      compiled.forEach((path, q) => {
        const matches = path.select(doc);
        const expected = referenceSelect(doc, QUERIES[q]);
        expect(matches).toHaveLength(expected.length);
        matches.forEach((match, m) => expect(match).toBe(expected[m]));
      });
    }
  });

  it('still see a polluted Object.prototype as inherited', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.b = 'polluted';
    Object.defineProperty(Object.prototype, 'c', { value: { a: 'polluted' }, configurable: true, writable: true, enumerable: false });
    try {
      const doc = JSON.parse('{"a": {"x": 1}, "b": 2, "list": [{"x": 1}, {"b": "own"}]}') as JsonValue;
      expect(compileJsonPath('$.a.b', 'q').extract(doc)).toBeUndefined();
      expect(compileJsonPath('$.a.c.a', 'q').extract(doc)).toBeUndefined();
      expect(compileJsonPath('$.b', 'q').extract(doc)).toBe(2);
      expect(compileJsonPath('$.list[*].b', 'q').select(doc)).toEqual(['own']);
      const filter = compileFilter({ query: '$.a.b', condition: 'v => v === "polluted"' });
      expect(filter.matches(doc)).toBe(false);
      expect(compileFilter({ query: '$.list[*].b', condition: 'v => v.some(x => x === "polluted")' }).matches(doc)).toBe(false);
    } finally {
      delete proto.b;
      delete proto.c;
    }
  });
});

describe('condition forms', () => {
  const formOf = (source: string): ConditionForm | undefined => compileCondition(source, 'c').form;

  it.each<[string, ConditionForm]>([
    ['(v) => v > 100', { kind: 'compare', operator: '>', literal: 100, valueFirst: true }],
    ['v => 100 <= v', { kind: 'compare', operator: '<=', literal: 100, valueFirst: false }],
    ['value === "EUR"', { kind: 'compare', operator: '===', literal: 'EUR', valueFirst: true }],
    ['v => v != undefined', { kind: 'compare', operator: '!=', literal: undefined, valueFirst: true }],
    ['v => ["USD", "EUR"].includes(v)', { kind: 'oneOf', literals: ['USD', 'EUR'] }],
    ['v => v.startsWith("SKU-")', { kind: 'affix', starts: true, text: 'SKU-' }],
    ['v => v.endsWith("-x")', { kind: 'affix', starts: false, text: '-x' }],
    [
      '(skus) => skus.some(s => s.startsWith("SKU-"))',
      { kind: 'each', every: false, item: { kind: 'affix', starts: true, text: 'SKU-' } },
    ],
    ['v => v.every(x => 1 < x)', { kind: 'each', every: true, item: { kind: 'compare', operator: '<', literal: 1, valueFirst: false } }],
    // the callback's parameter shadows the condition's
    ['v => v.some(v => v === 2)', { kind: 'each', every: false, item: { kind: 'compare', operator: '===', literal: 2, valueFirst: true } }],
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
    'v => ["a"].indexOf(v)',
    'v => v.includes("a")',
    'v => v?.some(x => x > 1)',
    'v => v.some((x, i) => x > i)',
    'v => v.some(x => x > v)',
    'v => v.some(x => x.a > 1)',
    'v => v.filter(x => x > 1)',
    'v => [1].some(x => x > 1)',
  ])('%s has none', (source) => {
    expect(formOf(source)).toBeUndefined();
  });
});

const CONDITIONS = [
  'v => v > 100',
  '(v) => 100 < v',
  'v => v >= "m"',
  'v => v === "EUR"',
  'v => v == 1',
  'v => v != null',
  'v => v !== undefined',
  'v => v < NaN',
  'v => ["USD", "EUR"].includes(v)',
  'v => [1, NaN, null, true, "x"].includes(v)',
  'v => [].includes(v)',
  'v => v.startsWith("SKU-")',
  'v => v.endsWith("1")',
  '(skus) => skus.some(s => s.startsWith("SKU-"))',
  's => s.every(x => x > 1)',
  's => s.some(x => ["a", "x"].includes(x))',
  's => s.every(x => 2 <= x)',
  'value > 3',
];
const FUSED_QUERIES = [
  '$',
  '$.a',
  '$.a.b',
  '$.a.b.c',
  '$.a.b.c.a',
  '$.toString',
  '$[*]',
  '$.a[*]',
  '$[*].b',
  '$.a[*].b',
  '$.a.b[*].c',
  '$.a.*.b',
  '$.a.b.c[*]',
  '$.a.b.c[*].b',
  "$['0'][*].c",
];

/** A leaf as filter.ts runs it without fast-leaf.ts: extract(), then run(), any failure false. */
function generalLeaf(path: CompiledJsonPath, condition: CompiledCondition, payload: unknown, budget: StepBudget): boolean {
  try {
    return Boolean(condition.run(path.extract(payload, budget), budget));
  } catch {
    return false;
  }
}

function payloadFor(next: () => number): unknown {
  const roll = next();
  const leaf = (): unknown => (next() < 0.2 ? oddValue(next) : jsonValue(next, 2));
  if (roll < 0.15) return jsonValue(next, 4);
  const item = (): unknown => {
    const kind = next();
    if (kind < 0.5) return { b: leaf(), c: leaf() };
    if (kind < 0.6) return new Order();
    if (kind < 0.7) return Object.assign(Object.create(null) as Record<string, unknown>, { b: leaf() });
    if (kind < 0.8) return JSON.parse('{"__proto__": {"b": "SKU-0"}, "c": "SKU-9"}') as unknown;
    return leaf();
  };
  const items = Array.from({ length: Math.floor(next() * 5) }, item);
  return { a: next() < 0.2 ? leaf() : { b: next() < 0.3 ? leaf() : { c: next() < 0.5 ? items : leaf(), a: leaf() }, c: leaf() }, b: leaf(), toString: leaf(), 0: items };
}

describe('fused leaves', () => {
  const pairs = FUSED_QUERIES.flatMap((source) => CONDITIONS.map((condition) => [source, condition] as const));

  it('cover the common shapes', () => {
    const fused = pairs.filter(([source, condition]) => fastLeaf(compileJsonPath(source, 'q'), compileCondition(condition, 'c')) !== null);
    expect(fused.length).toBeGreaterThan(100);
    expect(fastLeaf(compileJsonPath('$.order.total', 'q'), compileCondition('(v) => v > 100', 'c'))).not.toBeNull();
    expect(fastLeaf(compileJsonPath('$.order.line_items[*].sku', 'q'), compileCondition('(s) => s.some(x => x.startsWith("S"))', 'c'))).not.toBeNull();
    // not fused: the library's queries, index steps, and scalar tests on many matches
    expect(fastLeaf(compileJsonPath('$..total', 'q'), compileCondition('v => v > 1', 'c'))).toBeNull();
    expect(fastLeaf(compileJsonPath('$.a[0]', 'q'), compileCondition('v => v > 1', 'c'))).toBeNull();
    expect(fastLeaf(compileJsonPath('$.a[*]', 'q'), compileCondition('v => v > 1', 'c'))).toBeNull();
  });

  it('return what extract() + run() return, with the same steps, on random payloads', () => {
    const next = random(3);
    const compiled = pairs.map(([source, condition]) => {
      const path = compileJsonPath(source, 'q');
      const compiledCondition = compileCondition(condition, 'c');
      return { source, condition, path, compiledCondition, fast: fastLeaf(path, compiledCondition) };
    });
    let checked = 0;
    for (let i = 0; i < 200; i++) {
      const payload = payloadFor(next);
      for (const { source, condition, path, compiledCondition, fast } of compiled) {
        if (fast === null) continue;
        const general = new StepBudget();
        const expected = generalLeaf(path, compiledCondition, payload, general);
        const budget = new StepBudget();
        expect({ source, condition, payload, result: fast(payload, budget), steps: budget.steps }).toEqual({
          source,
          condition,
          payload,
          result: expected,
          steps: general.steps,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20_000);
  });

  it('trip the step limit at the same budget as the general path', () => {
    const next = random(5);
    const compiled = pairs.map(([source, condition]) => {
      const path = compileJsonPath(source, 'q');
      const compiledCondition = compileCondition(condition, 'c');
      return { source, condition, path, compiledCondition, fast: fastLeaf(path, compiledCondition) };
    });
    for (let i = 0; i < 25; i++) {
      const payload = payloadFor(next);
      for (const { source, condition, path, compiledCondition, fast } of compiled) {
        if (fast === null) continue;
        for (let limit = 0; limit <= 12; limit++) {
          const general = new StepBudget(limit);
          const budget = new StepBudget(limit);
          const expected = generalLeaf(path, compiledCondition, payload, general);
          expect({ source, condition, limit, result: fast(payload, budget), tripped: budget.steps > limit }).toEqual({
            source,
            condition,
            limit,
            result: expected,
            tripped: general.steps > limit,
          });
        }
      }
    }
  });

  it('count the bench filter as before: 26 steps, a limit below that makes it false', () => {
    const payload = {
      order: { total: 154.2, currency: 'EUR', line_items: Array.from({ length: 8 }, (_, i) => ({ sku: `SKU-${i}`, qty: 1 })) },
    };
    const leaves = [
      ['$.order.total', '(v) => v > 100'],
      ['$.order.currency', 'v => ["USD", "EUR"].includes(v)'],
      ['$.order.line_items[*].sku', '(skus) => skus.some(s => s.startsWith("SKU-"))'],
    ] as const;
    // the match, then: operator, value, literal | call, array (length + 1), value, 2 compared | 8 matches, call, value, 1 item (4)
    const steps = [1 + 3, 1 + 1 + 3 + 1 + 2, 8 + 2 + 4];
    leaves.forEach(([source, condition], i) => {
      const fast = fastLeaf(compileJsonPath(source, 'q'), compileCondition(condition, 'c'));
      const budget = new StepBudget();
      expect(fast?.(payload, budget)).toBe(true);
      expect(budget.steps).toBe(steps[i]);
      expect(fast?.(payload, new StepBudget(steps[i] - 1))).toBe(false);
    });
    const filter = compileFilter({ logic: 'AND', conditions: leaves.map(([query, condition]) => ({ query, condition })) });
    expect(filter.matches(payload)).toBe(true);
    expect(filter.evaluate(payload).result).toBe(true);
  });

  it('a wide wildcard still exhausts the budget before the condition runs', () => {
    const wide = { rows: Array.from({ length: 20_000 }, (_, i) => ({ id: i })) };
    const filter = compileFilter({ query: '$.rows[*].id', condition: 'v => v.some(x => x === 0)' });
    expect(filter.matches(wide)).toBe(false);
    expect(filter.evaluate(wide).explanation).toMatch(/failed \(counted as false\): a JSONPath query produced more than 10000 nodes$/);
    expect(filter.matches({ rows: wide.rows.slice(0, 9_000) })).toBe(true);
  });

  it('agree with evaluate() through compileFilter', () => {
    const next = random(9);
    const filters = pairs.map(([query, condition]) => compileFilter({ query, condition }));
    for (let i = 0; i < 50; i++) {
      const payload = payloadFor(next);
      filters.forEach((filter) => expect(filter.matches(payload)).toBe(filter.evaluate(payload).result));
    }
  });
});

describe('condition steps with operands read inline', () => {
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
  ])('%s trips the limit one step short', (source, value) => {
    const needed = steps(source, value);
    expect(() => compileCondition(source, 'c').run(value, new StepBudget(needed - 1))).toThrow(FilterLimitError);
    expect(() => compileCondition(source, 'c').run(value, new StepBudget(needed))).not.toThrow();
  });

  it('keeps the type checks', () => {
    expect(() => compileCondition('v => v.startsWith("S")', 'c').run(5, new StepBudget())).toThrow('startsWith() needs a string, got number');
    expect(() => compileCondition('v => v.some(x => x > 1)', 'c').run('ab', new StepBudget())).toThrow('some() needs an array, got string');
    expect(() => compileCondition('v => v.some(x => x.endsWith("1"))', 'c').run([null], new StepBudget())).toThrow(
      'endsWith() needs a string, got null',
    );
  });
});
