/**
 * The fast paths against the general ones: json-path.ts's written-out walkers against the library
 * and against the plain-object rule itself, fused leaves (fast-leaf.ts) against extract() followed
 * by the interpreter and by the condition's run(), with the same results and the same steps, and
 * the limit tripping at the same budget. condition-forms.spec.ts compares the forms on their own.
 */
import { query, type JsonValue } from 'jsonpath-rfc9535';
import { Order, jsonValue, oddValue, random } from '../../../test/support/random-json';
import { checkCondition } from './condition-checker';
import { compileCondition, interpreted } from './condition-compiler';
import { parseCondition } from './condition-parser';
import { fastLeaf } from './fast-leaf';
import { compileFilter } from './filter';
import { CompiledJsonPath, compileJsonPath } from './json-path';
import { isPlainObject } from './safe-values';
import { StepBudget } from './step-budget';

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
        for (const name of step.startsWith('[')
          ? step
              .slice(1, -1)
              .split(',')
              .map((part) => part.replace(/'/g, ''))
          : [step.slice(1)]) {
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
        expect({ source: QUERIES[q], doc, matches }).toEqual({
          source: QUERIES[q],
          doc,
          matches: query(doc, QUERIES[q]),
        });
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
    Object.defineProperty(Object.prototype, 'c', {
      value: { a: 'polluted' },
      configurable: true,
      writable: true,
      enumerable: false,
    });
    try {
      const doc = JSON.parse('{"a": {"x": 1}, "b": 2, "list": [{"x": 1}, {"b": "own"}]}') as JsonValue;
      expect(compileJsonPath('$.a.b', 'q').extract(doc)).toBeUndefined();
      expect(compileJsonPath('$.a.c.a', 'q').extract(doc)).toBeUndefined();
      expect(compileJsonPath('$.b', 'q').extract(doc)).toBe(2);
      expect(compileJsonPath('$.list[*].b', 'q').select(doc)).toEqual(['own']);
      const filter = compileFilter({ query: '$.a.b', condition: 'v => v === "polluted"' });
      expect(filter.matches(doc)).toBe(false);
      expect(
        compileFilter({ query: '$.list[*].b', condition: 'v => v.some(x => x === "polluted")' }).matches(doc),
      ).toBe(false);
    } finally {
      delete proto.b;
      delete proto.c;
    }
  });
});

const LONG = 'y'.repeat(130);

const CONDITIONS = [
  'v => v > 100',
  '(v) => 100 < v',
  'v => v >= "m"',
  'v => v === "EUR"',
  'v => v == 1',
  'v => v != null',
  'v => v !== undefined',
  'v => v < NaN',
  `v => v !== "${LONG}"`,
  'v => ["USD", "EUR"].includes(v)',
  'v => [1, NaN, null, true, "x"].includes(v)',
  'v => [undefined, "SKU-1"].includes(v)',
  'v => [].includes(v)',
  'v => v.startsWith("SKU-")',
  'v => v.endsWith("1")',
  `v => v.endsWith("${LONG}")`,
  '(skus) => skus.some(s => s.startsWith("SKU-"))',
  's => s.every(x => x > 1)',
  's => s.some(x => ["a", "x"].includes(x))',
  's => s.every(x => 2 <= x)',
  's => s.some(x => x == "100")',
  `s => s.every(x => x.startsWith("${LONG}"))`,
  'value > 3',
  // no form: the general path on both sides
  'v => v?.some(x => x > 1)',
  's => s.filter(x => x !== null).length > 1',
];
const FUSED_QUERIES = [
  '$',
  '$.a',
  '$.a.b',
  '$.a.b.c',
  '$.a.b.c.a',
  '$.toString',
  '$.constructor',
  '$[*]',
  '$.a[*]',
  '$[*].b',
  '$.a[*].b',
  '$.a.b[*].c',
  '$.a.*.b',
  '$.a.b.c[*]',
  '$.a.b.c[*].b',
  '$.a.b.c[*].toString',
  "$['0'][*].c",
  '$.a.b.c[0]',
];

interface Pair {
  readonly source: string;
  readonly condition: string;
  readonly path: CompiledJsonPath;
  /** The leaf on the general path: extract(), then the interpreter, any failure false. */
  readonly general: (payload: unknown, budget: StepBudget) => boolean;
  /** The leaf as filter.ts runs it when there is no fused closure: extract(), then run(). */
  readonly run: (payload: unknown, budget: StepBudget) => boolean;
  readonly fast: ((payload: unknown, budget: StepBudget) => boolean) | null;
}

function leafOf(path: CompiledJsonPath, run: (value: unknown, budget: StepBudget) => unknown) {
  return (payload: unknown, budget: StepBudget): boolean => {
    try {
      return Boolean(run(path.extract(payload, budget), budget));
    } catch {
      return false;
    }
  };
}

function pairsOf(queries: readonly string[], conditions: readonly string[]): Pair[] {
  return queries.flatMap((source) =>
    conditions.map((condition) => {
      const path = compileJsonPath(source, 'q');
      const compiled = compileCondition(condition, 'c');
      const general = leafOf(path, interpreted(checkCondition(parseCondition(condition, 'c'), 'c')));
      return { source, condition, path, general, run: leafOf(path, compiled.run), fast: fastLeaf(path, compiled) };
    }),
  );
}

type LeafTest = (payload: unknown, budget: StepBudget) => boolean;

/** The leaves compared with the general one: run() on the extracted value, and the fused closure if there is one. */
function checkedLeaves(run: LeafTest, fast: LeafTest | null): Array<readonly ['run' | 'fast', LeafTest]> {
  return fast === null
    ? [['run', run]]
    : [
        ['run', run],
        ['fast', fast],
      ];
}

function payloadFor(next: () => number): unknown {
  const roll = next();
  const leaf = (): unknown => {
    const kind = next();
    if (kind < 0.2) return oddValue(next);
    if (kind < 0.27) return [`${LONG}`, `${LONG}x`, `x${LONG}`].slice(Math.floor(next() * 3));
    return jsonValue(next, 2);
  };
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
  const shallow = next() < 0.1 ? Object.fromEntries(items.map((value, i) => [`k${i}`, value])) : items;
  return {
    a:
      next() < 0.2
        ? leaf()
        : { b: next() < 0.3 ? leaf() : { c: next() < 0.5 ? shallow : leaf(), a: leaf() }, c: leaf() },
    b: leaf(),
    toString: leaf(),
    0: items,
  };
}

describe('fused leaves', () => {
  const pairs = pairsOf(FUSED_QUERIES, CONDITIONS);

  it('cover the shapes the bench measures, and only those', () => {
    const fused = pairs.filter((pair) => pair.fast !== null);
    expect(fused.length).toBeGreaterThan(100);
    const fusedFor = (source: string, condition: string) =>
      fastLeaf(compileJsonPath(source, 'q'), compileCondition(condition, 'c'));
    expect(fusedFor('$.order.total', '(v) => v > 100')).not.toBeNull();
    expect(fusedFor('$.order.currency', 'v => ["USD", "EUR"].includes(v)')).not.toBeNull();
    expect(fusedFor('$.order.line_items[*].sku', '(s) => s.some(x => x.startsWith("S"))')).not.toBeNull();
    // not fused: the library's queries, index steps, scalar tests on many matches, and the forms
    // whose fusion did not pay (they run extract() and the form)
    expect(fusedFor('$..total', 'v => v > 1')).toBeNull();
    expect(fusedFor('$.a[0]', 'v => v > 1')).toBeNull();
    expect(fusedFor('$.a[*]', 'v => v > 1')).toBeNull();
    expect(fusedFor('$.a.b', 'v => v.startsWith("S")')).toBeNull();
    expect(fusedFor('$.a.b', 'v => v.some(x => x > 1)')).toBeNull();
  });

  it.each([3, 13, 23])(
    'return what extract() + the interpreter return, with the same steps, on random payloads (seed %d)',
    (seed) => {
      const next = random(seed);
      let fused = 0;
      for (let i = 0; i < 150; i++) {
        const payload = payloadFor(next);
        for (const { source, condition, general, run, fast } of pairs) {
          const expected = new StepBudget();
          const result = general(payload, expected);
          for (const [kind, leaf] of checkedLeaves(run, fast)) {
            const budget = new StepBudget();
            const actual = leaf(payload, budget);
            // toEqual only on a difference, so that it names the case: 90,000 of them are too slow for it.
            if (actual !== result || budget.steps !== expected.steps) {
              expect({ kind, source, condition, payload, result: actual, steps: budget.steps }).toEqual({
                kind,
                source,
                condition,
                payload,
                result,
                steps: expected.steps,
              });
            }
            if (kind === 'fast') fused++;
          }
        }
      }
      expect(fused).toBeGreaterThan(20_000);
    },
  );

  it.each([5, 15])('trip the step limit at the same budget as the general path (seed %d)', (seed) => {
    const next = random(seed);
    let tripped = 0;
    for (let i = 0; i < 20; i++) {
      const payload = payloadFor(next);
      for (const { source, condition, general, run, fast } of pairs) {
        for (let limit = 0; limit <= 14; limit++) {
          const expected = new StepBudget(limit);
          const result = general(payload, expected);
          if (expected.breached) tripped++;
          for (const [kind, leaf] of checkedLeaves(run, fast)) {
            const budget = new StepBudget(limit);
            const actual = leaf(payload, budget);
            if (actual !== result || budget.breached !== expected.breached) {
              expect({ kind, source, condition, limit, result: actual, breached: budget.breached }).toEqual({
                kind,
                source,
                condition,
                limit,
                result,
                breached: expected.breached,
              });
            }
          }
        }
      }
    }
    expect(tripped).toBeGreaterThan(1_000);
  });

  it('count the bench filter as before: 26 steps, a limit below that makes it false', () => {
    const payload = {
      order: {
        total: 154.2,
        currency: 'EUR',
        line_items: Array.from({ length: 8 }, (_, i) => ({ sku: `SKU-${i}`, qty: 1 })),
      },
    };
    const leaves = [
      ['$.order.total', '(v) => v > 100'],
      ['$.order.currency', 'v => ["USD", "EUR"].includes(v)'],
      ['$.order.line_items[*].sku', '(skus) => skus.some(s => s.startsWith("SKU-"))'],
    ] as const;
    // the match, then: operator, value, literal | call, array (length + 1), value, 2 compared |
    // 8 matches, call, value, 1 item (4)
    const steps = [1 + 3, 1 + 1 + 3 + 1 + 2, 8 + 2 + 4];
    leaves.forEach(([source, condition], i) => {
      const fast = fastLeaf(compileJsonPath(source, 'q'), compileCondition(condition, 'c'));
      const budget = new StepBudget();
      expect(fast?.(payload, budget)).toBe(true);
      expect(budget.steps).toBe(steps[i]);
      const short = new StepBudget(steps[i] - 1);
      expect(fast?.(payload, short)).toBe(false);
      expect(short.breached).toBe(true);
    });
    const filter = compileFilter({
      logic: 'AND',
      conditions: leaves.map(([query, condition]) => ({ query, condition })),
    });
    expect(filter.matches(payload)).toBe(true);
    expect(filter.evaluate(payload).result).toBe(true);
  });

  it('a wide wildcard still exhausts the budget before the condition runs', () => {
    // The node limit is asserted, not the wall-clock deadline (work-limits.spec tests that with an injected clock):
    // the clock is frozen, so a busy machine cannot trip the deadline first.
    const clock = jest.spyOn(performance, 'now').mockReturnValue(0);
    try {
      const wide = { rows: Array.from({ length: 20_000 }, (_, i) => ({ id: i })) };
      const filter = compileFilter({ query: '$.rows[*].id', condition: 'v => v.some(x => x === 0)' });
      expect(filter.matches(wide)).toBe(false);
      expect(filter.evaluate(wide).explanation).toMatch(
        /failed \(counted as false\): a JSONPath query produced more than 10000 nodes$/,
      );
      expect(filter.matches({ rows: wide.rows.slice(0, 9_000) })).toBe(true);
    } finally {
      clock.mockRestore();
    }
  });

  it('agree with evaluate() through compileFilter', () => {
    const next = random(9);
    const filters = pairs.map(({ source, condition }) => compileFilter({ query: source, condition }));
    for (let i = 0; i < 50; i++) {
      const payload = payloadFor(next);
      filters.forEach((filter) => expect(filter.matches(payload)).toBe(filter.evaluate(payload).result));
    }
  });
});
