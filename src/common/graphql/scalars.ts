import { GraphQLError, GraphQLScalarType, Kind, ValueNode } from 'graphql';

function badInput(message: string, reason = message): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', reason } });
}

function toDate(value: unknown): Date {
  const date =
    value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw badInput('DateTime must be an ISO 8601 date-time');
  return date;
}

/** Years 1 to 9999: ISO 8601 without extensions. JavaScript reaches year −271821, Postgres only 4713 BC (a 500). */
export const MIN_DATE = new Date('0001-01-01T00:00:00.000Z');
export const MAX_DATE = new Date('9999-12-31T23:59:59.999Z');

export function isDateInRange(date: Date): boolean {
  const time = date.getTime();
  return time >= MIN_DATE.getTime() && time <= MAX_DATE.getTime();
}

function toInputDate(value: string): Date {
  const date = toDate(value);
  if (!isDateInRange(date))
    throw badInput(`DateTime must be between ${MIN_DATE.toISOString()} and ${MAX_DATE.toISOString()}`);
  return date;
}

/** ISO 8601 date-time; also serialises strings, so payloads that went through the Redis pub/sub still work. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO 8601 date-time string, e.g. 2026-11-22T18:06:34.000Z',
  serialize: (value) => toDate(value).toISOString(),
  parseValue: (value) => {
    if (typeof value !== 'string') throw badInput('DateTime must be a string');
    return toInputDate(value);
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badInput('DateTime must be a string');
    return toInputDate(ast.value);
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
      // defineProperty, not assignment: `{ __proto__: {...} }` is a member like any other, not a new prototype.
      for (const field of ast.fields) {
        Object.defineProperty(out, field.name.value, {
          value: literalValue(field.value, variables),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    case Kind.VARIABLE:
      return variables ? variables[ast.name.value] : undefined;
    default:
      throw badInput('JSON value expected');
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

/**
 * Every object or array the JSON scalar hands out. The validation pipe keeps these away from class-transformer, which
 * would drop members such as "constructor" or "toString" (and Nest's pipe strips "__proto__" and "prototype").
 */
const jsonValues = new WeakSet<object>();

export function isJsonScalarValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && jsonValues.has(value);
}

function assertDepth(value: unknown): unknown {
  if (nestedDeeperThan(value)) throw badInput(`JSON value is nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (typeof value === 'object' && value !== null) jsonValues.add(value);
  return value;
}

export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value',
  serialize: (value) => value,
  parseValue: (value) => assertDepth(value),
  parseLiteral: (ast, variables) => assertDepth(literalValue(ast, variables)),
});
