import {
  GraphQLArgument,
  GraphQLInputType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';

/** A value of the type that passes GraphQL validation, so the request reaches the resolver's guard. */
export function dummyValue(type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return dummyValue(type.ofType, depth);
  if (isListType(type)) return [dummyValue(type.ofType, depth + 1)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    if (depth > 4) return out;
    for (const field of Object.values(type.getFields()))
      if (isNonNullType(field.type)) out[field.name] = dummyValue(field.type, depth + 1);
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return '00000000-0000-4000-8000-000000000000';
      case 'Int':
        return 1;
      case 'Float':
        return 1.5;
      case 'Boolean':
        return true;
      case 'DateTime':
        return new Date().toISOString();
      case 'JSON':
        return {};
      default:
        return 'x';
    }
  }
  return null;
}

export interface RootField {
  root: 'query' | 'mutation' | 'subscription';
  name: string;
  args: readonly GraphQLArgument[];
}

export function rootFields(schema: GraphQLSchema): RootField[] {
  const out: RootField[] = [];
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const;
  for (const [root, type] of roots) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) out.push({ root, name: field.name, args: field.args });
  }
  return out;
}

/** `query Op($a: T!) { field(a: $a) { __typename } }` with dummy variables for every required argument. */
export function operationFor(
  field: RootField,
  schema: GraphQLSchema,
): { query: string; variables: Record<string, unknown> } {
  const required = field.args.filter((a) => isNonNullType(a.type));
  const defs = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const rootType =
    field.root === 'query'
      ? schema.getQueryType()
      : field.root === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const type = rootType!.getFields()[field.name].type;
  let named = type;
  while ('ofType' in named) named = named.ofType as typeof named;
  const selection = isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
  const query = `${field.root}${defs ? ` Op(${defs})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection} }`;
  const variables: Record<string, unknown> = {};
  for (const a of required) variables[a.name] = dummyValue(a.type);
  return { query, variables };
}
