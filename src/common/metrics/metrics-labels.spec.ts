import type { Request } from 'express';
import { buildSchema, OperationDefinitionNode, parse } from 'graphql';
import { operationLabel, routeLabel, UNMATCHED_ROUTE } from './metrics.service';

const schema = buildSchema('type Query { endpoints: Int, event: Int } type Mutation { publishEvent: Int }');
const op = (text: string): OperationDefinitionNode => parse(text).definitions[0] as OperationDefinitionNode;

describe('operationLabel', () => {
  it.each([
    ['query AnyName { endpoints }', 'endpoints'],
    ['query { __typename event }', 'event'],
    ['mutation Random123 { publishEvent }', 'publishEvent'],
    ['mutation { endpoints }', 'other'],
    ['query { nope }', 'other'],
    ['query { __typename }', 'other'],
  ])('%s → %s', (text, label) => {
    expect(operationLabel({ operation: op(text), schema })).toBe(label);
  });

  it('is "other" when no operation was resolved (parse or validation failure)', () => {
    expect(operationLabel({ operation: undefined, schema })).toBe('other');
  });
});

describe('routeLabel', () => {
  const req = (fields: Partial<Request>): Request =>
    ({ originalUrl: '/x', url: '/x', baseUrl: '', path: '/x', ...fields }) as Request;

  it('uses the route template, /graphql for the Apollo mount, and one value for everything unmatched', () => {
    expect(routeLabel(req({ route: { path: '/inbound/:provider/:integrationId' } }))).toBe(
      '/inbound/:provider/:integrationId',
    );
    expect(routeLabel(req({ originalUrl: '/graphql?x=1', url: '/' }))).toBe('/graphql');
    expect(routeLabel(req({ originalUrl: '/wp-admin/../etc', path: '/wp-admin/../etc' }))).toBe(UNMATCHED_ROUTE);
    expect(routeLabel(req({ originalUrl: `/${'a'.repeat(5000)}` }))).toBe(UNMATCHED_ROUTE);
  });
});
