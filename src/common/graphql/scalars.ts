import { GraphQLError, GraphQLScalarType, Kind, ValueNode } from 'graphql';

function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO 8601 date-time', { extensions: { code: 'BAD_USER_INPUT' } });
  return date;
}

/** ISO 8601 date-time; also serialises strings, so payloads that went through the Redis pub/sub still work. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO 8601 date-time string, e.g. 2026-11-22T18:06:34.000Z',
  serialize: (value) => toDate(value).toISOString(),
  parseValue: (value) => {
    if (typeof value !== 'string') throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return toDate(value);
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return toDate(ast.value);
  },
});

function literalValue(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalValue(v, variables));
    case Kind.OBJECT: {
      const out: Record<string, unknown> = {};
      for (const field of ast.fields) out[field.name.value] = literalValue(field.value, variables);
      return out;
    }
    case Kind.VARIABLE:
      return variables ? variables[ast.name.value] : undefined;
    default:
      throw new GraphQLError('JSON value expected', { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

/** Deeper JSON is refused before anything walks it recursively (class-transformer would overflow the stack). */
export const MAX_JSON_DEPTH = 64;

/** Iterative (no recursion to overflow): true when a JSON value nests deeper than `max` levels. */
export function nestedDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

function assertDepth(value: unknown): unknown {
  if (nestedDeeperThan(value)) throw new GraphQLError(`JSON value is nested deeper than ${MAX_JSON_DEPTH} levels`, { extensions: { code: 'BAD_USER_INPUT' } });
  return value;
}

export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value',
  serialize: (value) => value,
  parseValue: (value) => assertDepth(value),
  parseLiteral: (ast, variables) => assertDepth(literalValue(ast, variables)),
});
