import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';

/**
 * Field extension (`@Extensions({ [RATE_LIMIT_ITEMS]: 'inputs' })` on a resolver) naming the list argument whose
 * items each spend one rate-limit point: `publishEvents(inputs: [...])` spends one point per event.
 */
export const RATE_LIMIT_ITEMS = 'rateLimitItems';

export interface OperationPoints {
  points: number;
  /** The argument that made it more than one point, for a refusal that names it. */
  field: string;
}

/** Items of a list argument as sent: a list literal's length, a variable's array length; one for a lone value. */
function itemsOf(field: FieldNode, argument: string, variables: Record<string, unknown>): number {
  const value = field.arguments?.find((a) => a.name.value === argument)?.value;
  if (!value || value.kind === Kind.NULL) return 0;
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind !== Kind.VARIABLE) return 1; // a lone literal is coerced to a list of one
  const given = variables[value.name.value];
  if (given === undefined || given === null) return 0;
  return Array.isArray(given) ? given.length : 1;
}

/**
 * What an operation spends of its credential's rate limit: one point, or, when its root fields declare
 * RATE_LIMIT_ITEMS, one point per item of those lists (a publishEvents of 100 events is 100 points, not 101).
 */
export function operationPoints(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): OperationPoints {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  const root = operation ? schema.getRootType(operation.operation) : undefined;
  if (!operation || !root) return { points: 1, field: 'query' };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const fields = root.getFields();
  let items = 0;
  let field = 'query';
  const walk = (set: SelectionSetNode, seen: ReadonlySet<string>): void => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet, seen);
      else if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(sel.name.value);
        if (fragment && !seen.has(sel.name.value)) walk(fragment.selectionSet, new Set([...seen, sel.name.value]));
      } else {
        const argument = fields[sel.name.value]?.extensions?.[RATE_LIMIT_ITEMS];
        if (typeof argument !== 'string') continue;
        items += itemsOf(sel, argument, variables ?? {});
        field = argument;
      }
    }
  };
  walk(operation.selectionSet, new Set());
  return { points: Math.max(1, items), field };
}
