import { unwrapResolverError } from '@apollo/server/errors';
import { Logger } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from './domain-error';

const logger = new Logger('GraphQLError');

/** Codes that Apollo and graphql-js assign to client mistakes; their messages are safe to show. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/**
 * The one place errors become responses: DomainErrors keep their code and message; GraphQL's own
 * client errors pass through; anything else is logged with an error id and masked.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  let original = unwrapResolverError(error);
  // Errors from subscriptions (graphql-ws) arrive as plain GraphQLErrors wrapping the thrown error.
  if (original instanceof GraphQLError && original.originalError) original = original.originalError;
  if (original instanceof DomainError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { ...original.extensions(), code: original.code },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) {
    // Our scalars give their refusals a reason (e.g. DateTime out of range); graphql-js keeps it on the wrapping error.
    const reason = formatted.extensions?.reason;
    const extensions = typeof reason === 'string' ? { code, reason } : { code };
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
  }
  const errorId = randomUUID();
  logger.error({
    msg: 'unexpected error',
    errorId,
    error: original instanceof Error ? original.message : String(original),
    stack: original instanceof Error ? original.stack : undefined,
    path: formatted.path,
  });
  return {
    message: `Internal server error (error id ${errorId})`,
    path: formatted.path,
    extensions: { code: ErrorCode.Internal, errorId },
  };
}
