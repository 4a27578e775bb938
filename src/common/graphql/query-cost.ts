import type { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLSchema,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import { QueryCostLimitError } from './graphql.errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination';

/**
 * The most an operation may cost: every field is 1, and a list multiplies what is selected under it by the
 * number of items it may return. One page of 100 endpoints with their stats and filters costs about 3,000;
 * thirty aliases of it cost far more than this and are refused before anything runs.
 */
export const MAX_OPERATION_COST = 10_000;
/** Items assumed for a list without `first` (attempts of a delivery, filters of an endpoint, ...). */
export const UNPAGED_LIST_SIZE = 10;

type Fielded = GraphQLObjectType | GraphQLInterfaceType;
const fielded = (type: unknown): Fielded | null => (isObjectType(type) || isInterfaceType(type) ? type : null);

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  limit: number;
  cost: number;
}

/** `first` as sent: a literal, a variable's value or default, else the connection's default page size. */
function pageOf(field: FieldNode, walk: Walk, defaults: Map<string, ValueNode | undefined>): number {
  const arg = field.arguments?.find((a) => a.name.value === 'first');
  let value: unknown;
  if (!arg) return DEFAULT_PAGE_SIZE;
  if (arg.value.kind === Kind.INT) value = Number(arg.value.value);
  else if (arg.value.kind === Kind.VARIABLE) {
    const name = arg.value.name.value;
    value = walk.variables[name];
    const fallback = defaults.get(name);
    if (value === undefined && fallback?.kind === Kind.INT) value = Number(fallback.value);
    if (value === undefined || value === null) return DEFAULT_PAGE_SIZE;
  } else if (arg.value.kind === Kind.NULL) return DEFAULT_PAGE_SIZE;
  // Out-of-range values are refused later by the resolver; count them at the largest page it would serve.
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_PAGE_SIZE
    ? value
    : MAX_PAGE_SIZE;
}

/**
 * Adds the cost of `set` (selected `times` times) to walk.cost. `page` is the size announced by a paginated
 * parent (its `first`): the first list below it (edges, nodes) has that many items, other lists UNPAGED_LIST_SIZE.
 * Stops as soon as the limit is passed, so the walk itself is bounded whatever the document.
 */
function measure(
  set: SelectionSetNode,
  type: Fielded | null,
  times: number,
  page: number | null,
  seen: ReadonlySet<string>,
  walk: Walk,
  defaults: Map<string, ValueNode | undefined>,
): void {
  for (const sel of set.selections) {
    if (walk.cost > walk.limit) return;
    if (sel.kind === Kind.INLINE_FRAGMENT) {
      const cond = sel.typeCondition ? fielded(walk.schema.getType(sel.typeCondition.name.value)) : type;
      measure(sel.selectionSet, cond ?? type, times, page, seen, walk, defaults);
    } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = walk.fragments.get(sel.name.value);
      if (!fragment || seen.has(sel.name.value)) continue; // unknown or cyclic: graphql-js reports those
      const cond = fielded(walk.schema.getType(fragment.typeCondition.name.value));
      measure(fragment.selectionSet, cond ?? type, times, page, new Set([...seen, sel.name.value]), walk, defaults);
    } else {
      walk.cost += times;
      if (!sel.selectionSet || sel.name.value.startsWith('__')) continue;
      const def = type?.getFields()[sel.name.value];
      const fieldType = def ? getNullableType(def.type) : null;
      const paginated = def?.args.some((a) => a.name === 'first') ?? false;
      let items = 1;
      let childPage: number | null = page;
      if (paginated) childPage = pageOf(sel, walk, defaults);
      else if (fieldType && isListType(fieldType)) {
        items = page ?? UNPAGED_LIST_SIZE;
        childPage = null;
      }
      measure(
        sel.selectionSet,
        fieldType ? fielded(getNamedType(fieldType)) : null,
        times * items,
        childPage,
        seen,
        walk,
        defaults,
      );
    }
  }
}

/** The cost of the operation that will run, with the request's variables; stops counting past `limit`. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limit = MAX_OPERATION_COST,
): number {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) return 0; // graphql-js refuses the request itself
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const defaults = new Map(
    (operation.variableDefinitions ?? []).map((v) => [v.variable.name.value, v.defaultValue] as const),
  );
  const walk: Walk = { schema, fragments, variables: variables ?? {}, limit, cost: 0 };
  const root = schema.getRootType(operation.operation) ?? null;
  measure(operation.selectionSet, root, 1, null, new Set(), walk, defaults);
  return walk.cost;
}

/** Throws QueryCostLimitError (BAD_USER_INPUT, with cost and limit) when the operation costs more than `limit`. */
export function assertOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limit = MAX_OPERATION_COST,
): void {
  const cost = operationCost(schema, document, operationName, variables, limit);
  if (cost <= limit) return;
  const error = new QueryCostLimitError(cost, limit);
  throw new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: error.code, http: { status: 400 } },
  });
}

/**
 * Apollo runs this once the operation is known and before execution: unlike a validation rule it sees the
 * variables, so `endpoints(first: $n)` is charged for the page actually asked for.
 */
export function queryCostPlugin(limit = MAX_OPERATION_COST): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          assertOperationCost(schema, document, operationName, request.variables, limit);
        },
      };
    },
  };
}
