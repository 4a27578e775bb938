import { query, type JsonValue } from 'jsonpath-rfc9535';
import { BadUserInputError } from '../../common/errors/domain-error';
import { FilterLimitError } from './filter-engine.errors';
import { compileJsonPath } from './json-path';
import { StepBudget } from './step-budget';

const doc = JSON.parse(
  JSON.stringify({
    a: { b: 1, c: [1, 2, 3], 'x y': 'spaced', "q'uote": 'quoted' },
    arr: [{ x: 1, y: 'p' }, { x: 2 }, { y: 'q' }, 7, [8, 9]],
    obj: { k1: 'v1', k2: { k3: true }, k4: null },
    n: null,
    empty: [],
  }),
) as JsonValue;

function pathError(source: unknown): BadUserInputError {
  try {
    compileJsonPath(source, 'filter.query');
  } catch (error) {
    if (error instanceof BadUserInputError) return error;
    throw error;
  }
  throw new Error(`expected ${String(source)} to be rejected`);
}

describe('compileJsonPath', () => {
  it('extracts one match as the value, several as an array, none as undefined', () => {
    expect(compileJsonPath('$.a.b', 'q').extract(doc)).toBe(1);
    expect(compileJsonPath('$.arr[*].x', 'q').extract(doc)).toEqual([1, 2]);
    expect(compileJsonPath('$.missing', 'q').extract(doc)).toBeUndefined();
    // A single match that is itself an array stays that array.
    expect(compileJsonPath('$.a.c', 'q').extract(doc)).toEqual([1, 2, 3]);
    // null is a match, not "nothing".
    expect(compileJsonPath('$.n', 'q').extract(doc)).toBeNull();
    expect(compileJsonPath('$.empty[*]', 'q').extract(doc)).toBeUndefined();
  });

  // The compiled walker must agree with the library, order included.
  it.each([
    '$',
    '$.a',
    '$.a.b',
    "$['a']['x y']",
    '$.a["q\'uote"]',
    '$.a.c[0]',
    '$.a.c[-1]',
    '$.a.c[5]',
    '$.a.c[-9]',
    '$.arr[*]',
    '$.arr[*].x',
    '$.arr[*].y',
    '$.arr[*][*]',
    '$.arr[0,1].x',
    "$.obj['k1','k4','nope']",
    '$.obj.*',
    '$.obj.*.k3',
    '$[*]',
    '$.*.*',
    '$.missing.deeper',
    '$.a.b.c',
    '$.a.toString',
    '$.constructor',
    '$.arr.length',
    // library path (slices, filters, descendants)
    '$.a.c[0:2]',
    '$.arr[?@.x > 1]',
    '$..x',
    '$..*',
    '$.arr[?@.y == "q"].y',
    '$.arr[?length(@.y) == 1]',
    '$.arr[?@.x == $.a.b]',
  ])('agrees with jsonpath-rfc9535 on %s', (source) => {
    expect(compileJsonPath(source, 'q').select(doc)).toEqual(query(doc, source));
  });

  it('walks plain objects only, like the library', () => {
    class Order {
      total = 5;
    }
    const payload = { order: new Order(), list: [new Order()] };
    expect(compileJsonPath('$.order.total', 'q').extract(payload)).toBeUndefined();
    expect(compileJsonPath('$.list[*].total', 'q').extract(payload)).toBeUndefined();
  });

  it('charges one step per match to the budget', () => {
    const budget = new StepBudget();
    compileJsonPath('$.arr[*]', 'q').extract(doc, budget);
    compileJsonPath('$.a.b', 'q').extract(doc, budget);
    compileJsonPath('$..x', 'q').extract(doc, budget);
    expect(budget.steps).toBe(5 + 1 + 2);
    expect(() => compileJsonPath('$..*', 'q').extract(doc, new StepBudget(3))).toThrow(/step limit of 3 exceeded/);
  });

  it('reports syntax errors with the position', () => {
    const error = pathError('$.order[');
    expect(error.message).toMatch(/^filter\.query: invalid JSONPath at position 8: /);
    expect(error.details).toMatchObject({ field: 'filter.query', position: 8 });
    expect(pathError('order.total').message).toMatch(/invalid JSONPath at position 0/);
    expect(pathError('').message).toMatch(/invalid JSONPath/);
  });

  it.each<[unknown, RegExp]>([
    [5, /JSONPath must be a string/],
    ["$[?(@.constructor.constructor('return process')())]", /invalid JSONPath at position \d+/],
    ['$[?match(@.a, "(a+)+b")]', /match\(\) is not supported: regular expressions are not supported/],
    ['$[?search(@.a, "a")]', /search\(\) is not supported/],
    ['$..a..b', /at most one descendant segment/],
    ['$.a[?@..b]', /descendant segments \(\.\.\) are not supported inside filter expressions/],
    ['$.a[?count(@..b) > 1]', /not supported inside filter expressions/],
    ['$[?$.*]', /singular absolute query/],
    ['$[?count($[*]) > 1]', /singular absolute query/],
  ])('refuses %p', (source, message) => {
    expect(pathError(source).message).toMatch(message);
  });

  it('limits length to 1,000 characters and bracket nesting before parsing', () => {
    const long = `$${'.a'.repeat(500)}`;
    expect(long).toHaveLength(1001);
    const tooLong = pathError(long);
    expect(tooLong).toBeInstanceOf(FilterLimitError);
    expect(tooLong.message).toMatch(/1001 characters long; the limit is 1000/);
    expect(compileJsonPath(`$${'.a'.repeat(499)}`, 'q').extract(doc)).toBeUndefined();
    const nested = pathError(`$[?${'('.repeat(400)}@.a${')'.repeat(400)}]`);
    expect(nested).toBeInstanceOf(FilterLimitError);
    expect(nested.message).toMatch(/nested deeper than 32 levels/);
  });

  it('refuses a filter expression too deep to walk', () => {
    const chain = `$[?@.a${' && @.a'.repeat(120)}]`;
    expect(pathError(chain).message).toMatch(/nested too deeply/);
  });
});

describe('the evaluator against jsonpath-rfc9535 on random payloads, for the shapes it walks itself', () => {
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state / 0x7fffffff;
    };
  }
  const KEYS = ['a', 'b', 'c', 'id', '0'];
  const SCALARS: JsonValue[] = [0, 1, 2, -1, 1.5, '', 'a', 'b', 'ab', true, false, null];
  function jsonValue(next: () => number, depth: number): JsonValue {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    const roll = next();
    if (depth <= 0 || roll < 0.3) return pick(SCALARS);
    if (roll < 0.6) return Array.from({ length: Math.floor(next() * 5) }, () => jsonValue(next, depth - 1));
    const out: Record<string, JsonValue> = {};
    for (let i = 0, n = 1 + Math.floor(next() * 4); i < n; i++) out[pick(KEYS)] = jsonValue(next, depth - 1);
    return out;
  }
  const SHAPES = [
    // slices, with steps and negatives
    '$[1:3]',
    '$[::2]',
    '$[::-1]',
    '$[-2:]',
    '$[:-1:2]',
    '$[5:0:-2]',
    '$.a[0:10][::1]',
    '$[*][1::2]',
    // unions, repeated ones included
    '$[0,0,1]',
    "$['a','b','a']",
    '$[*,0]',
    '$[0,-1][*,*]',
    '$.a[1:2,0,*]',
    // descendants
    '$..a',
    '$..*',
    '$..[*]',
    '$..[0]',
    '$..[0,1]',
    '$..[::-1]',
    '$.a..b',
    "$..['a','id']",
    // filters
    '$[?@]',
    '$[?@.a]',
    '$[?!@.a]',
    '$[?@.a == 1]',
    '$[?@.a != @.b]',
    '$[?@ > 0]',
    '$[?@ <= "ab"]',
    '$[?@.a && @.b]',
    '$[?@.a || @.b == 2]',
    '$[?@.a == @.a]',
    '$[?@ == $.a]',
    '$[?length(@) > 1]',
    '$[?count(@.*) == 2]',
    '$[?count(@[*][*]) > 1]',
    '$[?value(@.a) == 1]',
    '$[?@[?@ == 1]]',
    '$..[?@ == 1]',
    '$..[?@.id]',
    '$[*][?@ == true, 0]',
  ];

  it('gives the same matches in the same order', () => {
    const compiled = SHAPES.map((source) => compileJsonPath(source, 'q'));
    const next = random(17);
    for (let i = 0; i < 300; i++) {
      const root = jsonValue(next, 4);
      compiled.forEach((path, q) => {
        expect({ source: SHAPES[q], root, matches: path.select(root) }).toEqual({
          source: SHAPES[q],
          root,
          matches: query(root, SHAPES[q]),
        });
      });
    }
  });

  it('departs from the library only where the library departs from RFC 9535', () => {
    // An index in a singular query inside a filter: the library never matches it.
    expect(compileJsonPath('$[?@[0] == 1]', 'q').select([[1], [2]])).toEqual([[1]]);
    expect(query([[1], [2]], '$[?@[0] == 1]')).toEqual([]);
    // length() counts code points: one emoji is one.
    expect(compileJsonPath('$[?length(@) == 1]', 'q').select(['\u{1F600}'])).toEqual(['\u{1F600}']);
  });
});
