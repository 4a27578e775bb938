/**
 * Attempts to run code, reach globals or mutate state through filters and reducers. Each must
 * fail with a clear error (at compile time, or as a false leaf with an explanation) and leave no
 * trace: prototypes, globals and the payload are compared before and after.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadUserInputError } from '../../common/errors/domain-error';
import { FilterNode, FilterLimits, compileFilter, compileReducer } from './index';
import { StepBudget } from './step-budget';

interface Snapshot {
  prototypes: string[][];
  globals: string[];
  sentinel: unknown;
  payload: unknown;
}

const SENTINEL_KEY = '__hooklineEscapeSentinel';
const sentinelHolder = globalThis as unknown as Record<string, unknown>;

function snapshot(payload: unknown): Snapshot {
  return {
    prototypes: [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype].map(
      (proto) => Reflect.ownKeys(proto).map(String).sort(),
    ),
    globals: Reflect.ownKeys(globalThis).map(String).sort(),
    sentinel: structuredClone(sentinelHolder[SENTINEL_KEY]),
    payload: structuredClone(payload),
  };
}

/** Parsed from text, as payloads are, so "__proto__" is an own key and not a prototype. */
function makePayload(): Record<string, unknown> {
  return JSON.parse(
    '{"order": {"total": 150, "sku": "SKU-1", "items": [{"qty": 1}, {"qty": 2}]}, "text": "abc", "nested": {"__proto__": {"polluted": true}}}',
  ) as Record<string, unknown>;
}

type Outcome = { kind: 'compile'; error: BadUserInputError } | { kind: 'run'; result: boolean; explanation: string };

function attempt(condition: string, payload: unknown, query: string | null = '$'): Outcome {
  let filter;
  try {
    filter = compileFilter({ query, condition });
  } catch (error) {
    if (error instanceof BadUserInputError) return { kind: 'compile', error };
    throw error;
  }
  return { kind: 'run', ...filter.evaluate(payload) };
}

let exitSpy: jest.SpyInstance;

beforeEach(() => {
  sentinelHolder[SENTINEL_KEY] = { untouched: true };
  exitSpy = jest.spyOn(process, 'exit').mockImplementation((() => {
    throw new Error('process.exit was called');
  }) as () => never);
});

afterEach(() => {
  exitSpy.mockRestore();
  delete sentinelHolder[SENTINEL_KEY];
});

describe('escape attempts in conditions are refused when compiling', () => {
  it.each<[string, RegExp]>([
    ['v => v.constructor.constructor("return process")()', /property "constructor" is not allowed/],
    ['v => this', /"this" is not allowed/],
    ['v => globalThis', /identifier "globalThis" is not allowed/],
    ['v => process.exit()', /identifier "process" is not allowed/],
    ['v => require("fs")', /calling "require" is not allowed/],
    ['v => import("fs")', /"import" is not supported/],
    ['v => eval("1")', /calling "eval" is not allowed/],
    ['v => Function("return 1")()', /calling "Function" is not allowed/],
    ['v => v["__proto__"]', /property "__proto__" is not allowed/],
    ['v => v.__proto__', /property "__proto__" is not allowed/],
    ['v => (v.x = 1)', /assignment is not supported/],
    ['v => { while(true){} }', /blocks, statements and object literals are not supported/],
    ['v => [].constructor', /property "constructor" is not allowed/],
    ['v => Object.assign({}, v)', /object literals are not supported/],
    ['v => Object.assign(v, v)', /identifier "Object" is not allowed/],
    ['v => `${v}`', /template literals are not supported/],
    ['v => new Date()', /"new" is not supported/],
    ['v => /a/.test(v)', /regular expressions are not supported/],
    ['v => v.toString()', /property "toString" is not allowed/],
    ['v => v.valueOf', /property "valueOf" is not allowed/],
    ['v => v.text.includes.call(null, 1)', /property "call" is not allowed/],
    ['v => v.some.constructor', /property "constructor" is not allowed/],
    ['v => v?.constructor', /property "constructor" is not allowed/],
    ['v => v.__defineGetter__("x", 1)', /property "__defineGetter__" is not allowed/],
    ['v => v["prototype"]', /property "prototype" is not allowed/],
    ['v => Math.constructor', /Math\.constructor is not allowed|Math can only be called/],
    ['v => Array.from(v)', /Array\.from is not allowed/],
    ['v => String(v).constructor', /property "constructor" is not allowed/],
    ['v => v.map(x => x.constructor)', /property "constructor" is not allowed/],
    ['v => setTimeout(v, 1)', /calling "setTimeout" is not allowed/],
    ['v => v.a; process.exit()', /statements are not supported/],
    ['v => (v, process)', /sequence expressions/],
    ['v => typeof v', /"typeof" is not supported/],
    ['v => v.order.total++', /increment and decrement/],
    ['v => Reflect.ownKeys(v)', /identifier "Reflect" is not allowed/],
    ['v => v.map(x => y => 1)', /arrow functions are only allowed/],
  ])('%s', (condition, message) => {
    const payload = makePayload();
    const before = snapshot(payload);
    const outcome = attempt(condition, payload);
    expect(outcome.kind).toBe('compile');
    if (outcome.kind === 'compile') {
      expect(outcome.error.details.field).toBe('filter.condition');
      expect(outcome.error.message).toMatch(message);
    }
    expect(snapshot(payload)).toEqual(before);
    expect(exitSpy).not.toHaveBeenCalled();
  });

  it('a 1 MB condition', () => {
    const before = snapshot(null);
    const outcome = attempt(`v => ${'v + '.repeat(250_000)}1`, null);
    expect(outcome.kind === 'compile' && outcome.error.message).toMatch(/1000006 characters long; the limit is 2000/);
    expect(snapshot(null)).toEqual(before);
  });

  it('a 500-deep nesting', () => {
    const before = snapshot(null);
    const parens = attempt(`v => ${'('.repeat(500)}v${')'.repeat(500)}`, null);
    expect(parens.kind === 'compile' && parens.error.message).toMatch(/nested deeper than 32 levels/);
    const arrays = attempt(`v => ${'['.repeat(500)}v${']'.repeat(500)}`, null);
    expect(arrays.kind === 'compile' && arrays.error.message).toMatch(/nested deeper than 32 levels/);
    const unary = attempt(`v => ${'!'.repeat(500)}v`, null);
    expect(unary.kind === 'compile' && unary.error.message).toMatch(/nested deeper than 32 levels/);
    expect(snapshot(null)).toEqual(before);
  });

  it('a 500-deep filter tree', () => {
    let node: FilterNode = { query: '$', condition: 'v => true' };
    for (let i = 0; i < 500; i++) node = { logic: 'OR', conditions: [node] };
    const before = snapshot(null);
    expect(() => compileFilter(node)).toThrow(/nested deeper than 32 levels/);
    expect(snapshot(null)).toEqual(before);
  });
});

describe('escape attempts that can only be seen at run time make the leaf false', () => {
  it.each<[string, RegExp]>([
    ['v => v["con"+"structor"]', /property "constructor" is not allowed/],
    ['v => v[["__proto__"]]', /computed property key must be a number or a string, got array/],
    ['v => v[String("__pro") + "to__"]', /property "__proto__" is not allowed/],
    ['v => v.order["to" + "String"]', /property "toString" is not allowed/],
    ['v => v.nested[v.text.length > 0 ? "__proto__" : "x"]', /property "__proto__" is not allowed/],
  ])('%s', (condition, reason) => {
    const payload = makePayload();
    const before = snapshot(payload);
    const outcome = attempt(condition, payload);
    expect(outcome.kind).toBe('run');
    if (outcome.kind === 'run') {
      expect(outcome.result).toBe(false);
      expect(outcome.explanation).toMatch(reason);
    }
    expect(snapshot(payload)).toEqual(before);
  });

  it('an array method chain over the step budget', () => {
    const payload = { items: Array.from({ length: 100 }, (_, i) => i) };
    const before = snapshot(payload);
    const started = Date.now();
    const outcome = attempt('v => v.map(a => v.map(b => v.map(c => 1)))', payload, '$.items');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(outcome).toEqual({
      kind: 'run',
      result: false,
      explanation: expect.stringMatching(/evaluation step limit of 10000 exceeded$/),
      limit: expect.objectContaining({
        details: expect.objectContaining({ reasonCode: 'LIMIT_EXCEEDED', limit: 10_000 }),
      }),
    });
    expect(snapshot(payload)).toEqual(before);
  });

  it('string growth past 64 KiB', () => {
    const payload = { text: 'x'.repeat(40_000) };
    const outcome = attempt('v => (v + v).length > 0', payload, '$.text');
    expect(outcome.kind === 'run' && outcome.explanation).toMatch(/string longer than 65536 characters/);
  });

  it('never calls functions found in the data', () => {
    let called = 0;
    const trap = (): boolean => {
      called++;
      return true;
    };
    const payload = { includes: trap, startsWith: trap, list: { some: trap }, valueOf: trap, toJSON: trap };
    for (const condition of [
      'v => v.includes(1)',
      'v => v.list.some(x => x)',
      'v => v.startsWith("a")',
      'v => v + 1 > 0',
      'v => v == 1',
      'v => v < 2',
      'v => String(v)',
      'v => Number(v)',
      'v => v.includes',
    ]) {
      attempt(condition, payload, null);
    }
    expect(called).toBe(0);
  });

  it('reads an own "__proto__" key of the payload as data without touching any prototype', () => {
    const payload = makePayload();
    const before = snapshot(payload);
    const filter = compileFilter({ query: '$.nested.__proto__.polluted', condition: 'v => v === true' });
    expect(filter.evaluate(payload).result).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(snapshot(payload)).toEqual(before);
  });
});

describe('escape attempts through JSONPath and reducers', () => {
  it('a JSONPath filter expression that tries to run code is invalid JSONPath', () => {
    const before = snapshot(null);
    expect(() => compileFilter({ query: "$[?(@.constructor.constructor('return process')())]" })).toThrow(
      /^filter\.query: invalid JSONPath at position \d+/,
    );
    expect(() => compileReducer({ x: "$..[?(@.constructor.constructor('return process')())]" })).toThrow(
      /^reducer\.x: invalid JSONPath/,
    );
    expect(snapshot(null)).toEqual(before);
  });

  it('a regex-based JSONPath function (ReDoS) is refused', () => {
    expect(() => compileFilter({ query: '$[?match(@.a, "(a+)+$")]' })).toThrow(/regular expressions are not supported/);
  });

  it('a reducer with $..* over a large payload hits a limit instead of hanging', () => {
    const payload = { rows: Array.from({ length: 50_000 }, (_, i) => ({ id: i, tags: ['a', 'b', 'c'] })) };
    const before = snapshot(null);
    const started = Date.now();
    // A frozen clock: the node limit is asserted, not the deadline, which a loaded machine could hit first.
    const budget = new StepBudget(FilterLimits.maxReducerSteps, { field: 'reducer', now: () => 0 });
    expect(() => compileReducer({ all: '$..*' }).apply(payload, budget)).toThrow(
      /^reducer: a JSONPath query produced more than 10000 nodes/,
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(snapshot(null)).toEqual(before);
    expect(payload.rows).toHaveLength(50_000);
  });
});

describe('the engine source', () => {
  // The specs quote escape attempts, so only the implementation files are checked.
  const sources = readdirSync(__dirname)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
    .map((name) => ({ name, text: readFileSync(join(__dirname, name), 'utf8') }));

  it('exists where this test expects it', () => {
    expect(sources.map((s) => s.name)).toEqual(
      expect.arrayContaining(['condition-compiler.ts', 'json-path.ts', 'filter.ts']),
    );
  });

  it.each([
    /\beval\s*\(/,
    /new\s+Function\b/,
    /\bFunction\s*\(/,
    /from\s+'vm'|require\('vm'\)|node:vm/,
    /isolated-vm/,
    /jsonpath-plus|from\s+'jsonpath'/,
  ])('never uses %s', (pattern) => {
    for (const { name, text } of sources) expect({ name, uses: pattern.test(text) }).toEqual({ name, uses: false });
  });
});
