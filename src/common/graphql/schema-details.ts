import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLFormattedError,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
} from 'graphql';

const ROOT_NAMES = new Set(['Query', 'Mutation', 'Subscription']);
const namesBySchema = new WeakMap<GraphQLSchema, ReadonlySet<string>>();

/** Every type, field, argument and enum value name of the schema (computed once per schema). */
function schemaNames(schema: GraphQLSchema): ReadonlySet<string> {
  const cached = namesBySchema.get(schema);
  if (cached) return cached;
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    names.add(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        names.add(field.name);
        for (const arg of field.args) names.add(arg.name);
      }
    } else if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) names.add(field.name);
    else if (isEnumType(type)) for (const value of type.getValues()) names.add(value.name);
  }
  namesBySchema.set(schema, names);
  return names;
}

/**
 * Production answers must not teach the schema (introspection is off): "Did you mean …?" suggestions go, and so
 * does any schema name in the message that the client did not write itself (`in "DeliveryStatus" enum`).
 */
export function redactSchemaDetails(message: string, schema: GraphQLSchema, clientNames: ReadonlySet<string>): string {
  const names = schemaNames(schema);
  return message
    .replace(/\s*Did you mean [^?]*\?/g, '')
    .replace(/"([_A-Za-z][_0-9A-Za-z]*)"/g, (quoted, name: string) =>
      names.has(name) && !ROOT_NAMES.has(name) && !clientNames.has(name) ? '"(hidden)"' : quoted,
    );
}

/** The names a client wrote in its document and variables (one pass, only on error responses). */
export function namesIn(...texts: string[]): ReadonlySet<string> {
  return new Set(texts.flatMap((t) => t.match(/[_A-Za-z][_0-9A-Za-z]*/g) ?? []));
}

/** Request-level errors (parse, validation, variable coercion: no path) of every HTTP response, in production. */
export function schemaDetailsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, schema, request }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const clientNames = namesIn(request.query ?? '', JSON.stringify(request.variables ?? {}));
          const redact = (e: GraphQLFormattedError): GraphQLFormattedError =>
            e.path ? e : { ...e, message: redactSchemaDetails(e.message, schema, clientNames) };
          response.body.singleResult.errors = response.body.singleResult.errors.map(redact);
        },
      };
    },
  };
}
