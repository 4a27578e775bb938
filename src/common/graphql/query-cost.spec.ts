import { buildSchema, parse } from 'graphql';
import { assertOperationCost, operationCost, UNPAGED_LIST_SIZE } from './query-cost';

const schema = buildSchema(`
  type Stats { total: Int }
  type Attempt { n: Int }
  type Delivery { id: ID attempts: [Attempt!]! }
  type DeliveryEdge { node: Delivery }
  type DeliveryConnection { edges: [DeliveryEdge!]! totalCount: Int }
  type Endpoint { id: ID stats: Stats deliveries(first: Int): DeliveryConnection }
  type EndpointEdge { node: Endpoint cursor: String }
  type EndpointConnection { edges: [EndpointEdge!]! totalCount: Int }
  type Query { endpoints(first: Int): EndpointConnection }
`);
const cost = (q: string, variables: Record<string, unknown> = {}) =>
  operationCost(schema, parse(q), undefined, variables, 1e12);

describe('operationCost', () => {
  it('multiplies what is under a page by first, once (edges are the page)', () => {
    expect(cost('{ endpoints(first: 10) { totalCount } }')).toBe(2);
    // endpoints 1 + edges 1 + node 10 + id 10
    expect(cost('{ endpoints(first: 10) { edges { node { id } } } }')).toBe(22);
  });

  it('uses the default page size without first, and the variable value (or its default) with one', () => {
    expect(cost('{ endpoints { edges { node { id } } } }')).toBe(42);
    expect(cost('query($n: Int) { endpoints(first: $n) { edges { node { id } } } }', { n: 5 })).toBe(12);
    expect(cost('query($n: Int = 7) { endpoints(first: $n) { edges { node { id } } } }')).toBe(16);
    expect(cost('query($n: Int) { endpoints(first: $n) { edges { node { id } } } }', { n: 100_000 })).toBe(202);
  });

  it('multiplies nested lists, and counts an unpaged list as UNPAGED_LIST_SIZE items', () => {
    const nested = cost(
      '{ endpoints(first: 10) { edges { node { deliveries(first: 10) { edges { node { id attempts { n } } } } } } } }',
    );
    // endpoints 1, edges 1, then per endpoint: node, deliveries, edges, and per delivery: node, id, attempts, UNPAGED × n
    expect(nested).toBe(2 + 10 * (3 + 10 * (3 + UNPAGED_LIST_SIZE)));
  });

  it('expands fragments and inline fragments, and counts aliases separately', () => {
    const direct = cost(
      '{ a: endpoints(first: 10) { edges { node { id } } } b: endpoints(first: 10) { edges { node { id } } } }',
    );
    const hidden = cost(
      '{ ...F } fragment F on Query { a: endpoints(first: 10) { ...E } b: endpoints(first: 10) { ... on EndpointConnection { edges { node { id } } } } } fragment E on EndpointConnection { edges { node { id } } }',
    );
    expect(hidden).toBe(direct);
    expect(direct).toBe(44);
  });

  it('throws a BAD_USER_INPUT naming the cost and the limit', () => {
    const doc = parse(
      `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: endpoints(first: 100) { edges { node { id stats { total } } } }`).join(' ')} }`,
    );
    expect(() => assertOperationCost(schema, doc, undefined, {}, 10_000)).toThrow(
      /costs at least \d+, over the limit of 10000/,
    );
    expect(() =>
      assertOperationCost(
        schema,
        parse('{ endpoints(first: 100) { edges { node { id stats { total } } } } }'),
        undefined,
        {},
        10_000,
      ),
    ).not.toThrow();
  });

  it('stops counting soon after the limit, whatever the document', () => {
    const doc = parse(
      `query { ...F0 } ${Array.from({ length: 40 }, (_, i) => `fragment F${i} on Query { ${i === 39 ? 'endpoints { totalCount }' : `...F${i + 1} a${i}: endpoints { totalCount } ...F${i + 1}`} }`).join(' ')}`,
    );
    expect(operationCost(schema, doc, undefined, {}, 1_000)).toBeLessThan(1_100);
  });
});
