import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import { MAX_ALIASES, MAX_QUERY_DEPTH, queryLimitsRule } from './query-limits';

const schema = buildSchema(`
  type Node { id: ID child: Node }
  type Query { node: Node hello: String }
`);
const errorsOf = (query: string) =>
  validate(schema, parse(query), [...specifiedRules, queryLimitsRule]).map((e) => e.message);
const typenames = (n: number, alias: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => `${alias(i)}: __typename`).join(' ');
const ALIAS_REFUSAL = /more than 30 aliases, the limit: every alias counts, of __typename and of introspection/;

describe('queryLimitsRule', () => {
  it('refuses 1,000 __typename aliases, whether they repeat one alias or not', () => {
    expect(errorsOf(`{ ${typenames(1000, () => 'a')} }`)).toContainEqual(expect.stringMatching(ALIAS_REFUSAL));
    expect(errorsOf(`{ ${typenames(1000, (i) => `a${i}`)} }`)).toContainEqual(expect.stringMatching(ALIAS_REFUSAL));
  });

  it('counts the aliases inside the introspection trees, which are exempt from the depth limit only', () => {
    for (const query of [
      `{ __schema { ${typenames(1000, () => 'a')} } }`,
      `{ __type(name: "Query") { ${typenames(1000, () => 'a')} } }`,
      `{ __schema { types { ${Array.from({ length: 31 }, (_, i) => `n${i}: name`).join(' ')} } } }`,
      `{ __schema { ...S } } fragment S on __Schema { ${typenames(31, (i) => `s${i}`)} }`,
    ])
      expect(errorsOf(query)).toContainEqual(expect.stringMatching(ALIAS_REFUSAL));
  });

  it('answers a document at the limit (positive controls), and the standard introspection query of tooling', () => {
    expect(errorsOf(`{ ${typenames(MAX_ALIASES, (i) => `a${i}`)} }`)).toEqual([]);
    expect(errorsOf(`{ __schema { ${typenames(MAX_ALIASES, () => 'a')} } }`)).toEqual([]);
    expect(errorsOf(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }))).toEqual([]);
  });

  it('still measures depth outside the introspection trees', () => {
    const nest = (n: number): string => (n === 0 ? 'id' : `child { ${nest(n - 1)} }`);
    expect(errorsOf(`{ node { ${nest(MAX_QUERY_DEPTH - 2)} } }`)).toEqual([]);
    expect(errorsOf(`{ node { ${nest(MAX_QUERY_DEPTH)} } }`)).toEqual([
      `query is nested deeper than the limit of ${MAX_QUERY_DEPTH} levels`,
    ]);
  });
});
