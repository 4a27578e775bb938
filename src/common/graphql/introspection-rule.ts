import { ASTVisitor, GraphQLError, Kind, SelectionSetNode, ValidationContext } from 'graphql';

/** The only selections a production `__type(name: …)` may make: they echo the name the client wrote. */
const ECHO_FIELDS = new Set(['name', '__typename']);

function echoesOnly(set: SelectionSetNode | undefined): boolean {
  return !!set && set.selections.every((s) => s.kind === Kind.FIELD && ECHO_FIELDS.has(s.name.value));
}

/**
 * Production introspection (Apollo's `introspection: false` refused `__type` as well, which failed two MUSTs of the
 * GraphQL-over-HTTP audit): `__schema` is refused, and so is `__type`, unless it selects only `name` and
 * `__typename`. Such a `__type` tells whether a type the client named exists, which a fragment's type condition
 * already tells (`... on Endpoint` is valid or "Unknown type"), and it returns no name the client did not write.
 */
export function productionIntrospectionRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const name = node.name.value;
      if (name !== '__schema' && name !== '__type') return;
      if (name === '__type' && echoesOnly(node.selectionSet)) return;
      context.reportError(
        new GraphQLError(
          'GraphQL introspection is not allowed in production: only __type(name: …) { name } is answered',
          { nodes: node, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
        ),
      );
    },
  };
}
