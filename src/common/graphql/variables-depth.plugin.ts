import type { ApolloServerPlugin } from '@apollo/server';
import { VariablesTooDeepError } from './graphql.errors';
import { MAX_JSON_DEPTH } from './scalars';

/**
 * graphql-js coerces variables recursively: a filter tree nested 10,000 deep overflows the stack (a 500). Legitimate
 * variables stay far below this; it leaves room for a JSON scalar's own MAX_JSON_DEPTH levels under its argument.
 */
export const MAX_VARIABLES_DEPTH = MAX_JSON_DEPTH + 36;

export interface TooDeep {
  variable: string;
  /** Where the limit was crossed, cut to its first few segments: `input.filter.conditions…`. */
  at: string;
}

/** The first variable nested deeper than `max` levels, and where, or null. Iterative: any depth is safe. */
export function findTooDeepVariable(
  variables: Record<string, unknown> | undefined,
  max = MAX_VARIABLES_DEPTH,
): TooDeep | null {
  interface Frame {
    value: unknown;
    depth: number;
    path: string;
  }
  for (const [variable, root] of Object.entries(variables ?? {})) {
    const stack: Frame[] = [{ value: root, depth: 1, path: variable }];
    while (stack.length > 0) {
      const { value, depth, path } = stack.pop() as Frame;
      if (value === null || typeof value !== 'object') continue;
      if (depth > max) return { variable, at: path };
      for (const [key, child] of Object.entries(value)) {
        const next =
          depth <= 4
            ? `${path}.${key.length > 40 ? `${key.slice(0, 40)}…` : key}`
            : path.endsWith('…')
              ? path
              : `${path}…`;
        stack.push({ value: child, depth: depth + 1, path: next });
      }
    }
  }
  return null;
}

/** The name of the first variable nested deeper than `max` levels, or null (graphql-ws checks subscribe payloads with it). */
export function tooDeepVariable(
  variables: Record<string, unknown> | undefined,
  max = MAX_VARIABLES_DEPTH,
): string | null {
  return findTooDeepVariable(variables, max)?.variable ?? null;
}

/** Refuses over-deep variables before execution coerces them: BAD_USER_INPUT naming the variable, HTTP 400. */
export function variablesDepthPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(ctx) {
          const found = findTooDeepVariable(ctx.request.variables);
          if (found === null) return;
          ctx.response.http.status = 400;
          const reason = `is nested deeper than ${MAX_VARIABLES_DEPTH} levels (at ${found.at})`;
          throw new VariablesTooDeepError(found.variable, reason, MAX_VARIABLES_DEPTH);
        },
      };
    },
  };
}
