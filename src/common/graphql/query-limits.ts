import {
  ASTVisitor,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  Kind,
  SelectionSetNode,
  ValidationContext,
} from 'graphql';

export const MAX_QUERY_DEPTH = 12;
export const MAX_ALIASES = 30;
/** Every field selection counts 1, list fields of connections included; a generous bound against abuse. */
export const MAX_QUERY_COST = 2000;
/** The introspection meta-fields whose trees are not measured for depth. */
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
}

/**
 * Rejects abusive documents before execution: nesting deeper than MAX_QUERY_DEPTH, more than MAX_ALIASES
 * aliases, or more than MAX_QUERY_COST field selections (fragments expanded). Every field and every alias counts,
 * wherever it is: `__typename`, and the fields under `__schema` and `__type` too. Only depth is not measured below
 * `__schema` / `__type`, where the standard introspection query of tooling (GraphiQL, codegen) nests deeper than
 * MAX_QUERY_DEPTH (its `ofType` chain); it uses no alias and selects a few hundred fields.
 */
export function queryLimitsRule(context: ValidationContext): ASTVisitor {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of context.getDocument().definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  const measure = (
    set: SelectionSetNode,
    depth: number,
    seen: Set<string>,
    acc: { cost: number; aliases: number; depth: number },
    introspection: boolean,
  ): void => {
    for (const sel of set.selections) {
      if (acc.cost > MAX_QUERY_COST || acc.aliases > MAX_ALIASES || acc.depth > MAX_QUERY_DEPTH) return;
      if (sel.kind === Kind.FIELD) {
        const field = sel as FieldNode;
        // Aliases and __typename count like any field, inside the introspection trees as well: 1,000
        // `a: __typename` under `__schema` were answered while only the trees' depth needed the exemption.
        acc.cost += 1;
        if (field.alias) acc.aliases += 1;
        if (!field.selectionSet) continue;
        const inside = introspection || INTROSPECTION_ROOTS.has(field.name.value);
        if (!inside) acc.depth = Math.max(acc.depth, depth + 1);
        measure(field.selectionSet, depth + 1, seen, acc, inside);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        measure(sel.selectionSet, depth, seen, acc, introspection);
      } else {
        const name = sel.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue; // unknown or cyclic: graphql-js reports those
        measure(fragment.selectionSet, depth, new Set([...seen, name]), acc, introspection);
      }
    }
  };

  return {
    OperationDefinition(node) {
      const acc = { cost: 0, aliases: 0, depth: 1 };
      measure(node.selectionSet, 1, new Set(), acc, false);
      if (acc.depth > MAX_QUERY_DEPTH)
        context.reportError(limitError(`query is nested deeper than the limit of ${MAX_QUERY_DEPTH} levels`));
      else if (acc.aliases > MAX_ALIASES)
        context.reportError(
          limitError(
            `query uses more than ${MAX_ALIASES} aliases, the limit: every alias counts, of __typename and of introspection fields too`,
          ),
        );
      else if (acc.cost > MAX_QUERY_COST)
        context.reportError(limitError(`query selects more than ${MAX_QUERY_COST} fields`));
    },
  };
}
