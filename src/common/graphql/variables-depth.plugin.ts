import type { ApolloServerPlugin } from '@apollo/server';
import { BadUserInputError } from '../errors/domain-error';
import { MAX_JSON_DEPTH, nestedDeeperThan } from './scalars';

/**
 * graphql-js coerces variables recursively: a filter tree nested 10,000 deep overflows the stack (a 500). Legitimate
 * variables stay far below this; it leaves room for a JSON scalar's own MAX_JSON_DEPTH levels under its argument.
 */
export const MAX_VARIABLES_DEPTH = MAX_JSON_DEPTH + 36;

/** The name of the first variable nested deeper than `max` levels, or null. Iterative. */
export function tooDeepVariable(variables: Record<string, unknown> | undefined, max = MAX_VARIABLES_DEPTH): string | null {
  for (const [name, value] of Object.entries(variables ?? {})) if (nestedDeeperThan(value, max)) return name;
  return null;
}

/** Refuses over-deep variables before execution coerces them: BAD_USER_INPUT naming the variable, HTTP 400. */
export function variablesDepthPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(ctx) {
          const name = tooDeepVariable(ctx.request.variables);
          if (name === null) return;
          ctx.response.http.status = 400;
          throw new BadUserInputError(name, `is nested deeper than ${MAX_VARIABLES_DEPTH} levels`, { limit: MAX_VARIABLES_DEPTH });
        },
      };
    },
  };
}
