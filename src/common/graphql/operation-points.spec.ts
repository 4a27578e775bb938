import { buildSchema, parse } from 'graphql';
import { operationPoints, RATE_LIMIT_ITEMS } from './operation-points';

const schema = buildSchema(`
  input In { n: Int }
  type Query { hello: String }
  type Mutation { publishEvents(inputs: [In!]!): Int publishEvent(input: In): Int }
`);
schema.getMutationType()!.getFields().publishEvents.extensions = { [RATE_LIMIT_ITEMS]: 'inputs' };
const points = (query: string, variables: Record<string, unknown> = {}, name?: string) =>
  operationPoints(schema, parse(query), name, variables).points;

describe('operationPoints', () => {
  it('is one point for an operation without counted lists', () => {
    expect(points('{ hello }')).toBe(1);
    expect(points('mutation { publishEvent(input: { n: 1 }) }')).toBe(1);
  });

  it('is one point per item of a counted list, from a variable or a literal, through fragments and aliases', () => {
    expect(points('mutation($i: [In!]!) { publishEvents(inputs: $i) }', { i: Array(100).fill({ n: 1 }) })).toBe(100);
    expect(points('mutation { publishEvents(inputs: [{ n: 1 }, { n: 2 }, { n: 3 }]) }')).toBe(3);
    expect(points('mutation { publishEvents(inputs: { n: 1 }) }')).toBe(1); // coerced to a list of one
    expect(
      points(
        'mutation($i: [In!]!) { a: publishEvents(inputs: $i) ...F } fragment F on Mutation { b: publishEvents(inputs: $i) }',
        { i: [{}, {}] },
      ),
    ).toBe(4);
    expect(operationPoints(schema, parse('mutation { publishEvents(inputs: [{}, {}]) }'), undefined, {}).field).toBe(
      'inputs',
    );
  });

  it('charges the operation that runs, and at least one point', () => {
    const doc = 'query Q { hello } mutation M($i: [In!]!) { publishEvents(inputs: $i) }';
    expect(points(doc, { i: [{}, {}] }, 'M')).toBe(2);
    expect(points(doc, { i: [{}, {}] }, 'Q')).toBe(1);
    expect(points('mutation($i: [In!]!) { publishEvents(inputs: $i) }', { i: [] })).toBe(1);
  });
});
