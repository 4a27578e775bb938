import {
  DocumentNode,
  ExecutionArgs,
  GraphQLError,
  GraphQLSchema,
  parse,
  specifiedRules,
  validate,
  ValidationRule,
} from 'graphql';
import type { ServerOptions, SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { DomainError } from '../errors/domain-error';
import { VariablesTooDeepError } from './graphql.errors';
import { assertOperationCost } from './query-cost';
import { MAX_VARIABLES_DEPTH, tooDeepVariable } from './variables-depth.plugin';

/** The same bound as the HTTP body (main.ts: json({ limit: '2mb' })): `ws` would otherwise take 100 MiB frames. */
export const WS_MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;

export type GraphqlWsOptions = ServerOptions<Record<string, unknown> | undefined, Record<string, unknown>> & {
  path: string;
  maxPayload: number;
};

/** What HTTP applies to a document, applied to one sent over the socket. */
export interface OperationRules {
  validationRules: readonly ValidationRule[];
  hideSuggestions: boolean;
  costLimit: number;
}

function clientError(message: string, code: string, source?: GraphQLError): GraphQLError {
  return new GraphQLError(message, { nodes: source?.nodes, extensions: { ...source?.extensions, code } });
}

/**
 * graphql-ws validates with graphql-js's rules only: without this a socket skipped the depth, alias and cost limits
 * that HTTP enforces. Returns execution arguments, or the errors to send (with the same codes as over HTTP).
 */
export function prepareOperation(
  schema: GraphQLSchema,
  payload: SubscribePayload,
  rules: OperationRules,
): ExecutionArgs | readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (error) {
    return [
      clientError(
        error instanceof GraphQLError ? error.message : 'syntax error',
        'GRAPHQL_PARSE_FAILED',
        error instanceof GraphQLError ? error : undefined,
      ),
    ];
  }
  const errors = validate(schema, document, [...specifiedRules, ...rules.validationRules], {
    hideSuggestions: rules.hideSuggestions,
  });
  if (errors.length > 0)
    return errors.map((e) => clientError(e.message, String(e.extensions?.code ?? 'GRAPHQL_VALIDATION_FAILED'), e));
  const variableValues = payload.variables ?? undefined;
  const deep = tooDeepVariable(variableValues);
  if (deep !== null) {
    const error = new VariablesTooDeepError(
      deep,
      `is nested deeper than ${MAX_VARIABLES_DEPTH} levels`,
      MAX_VARIABLES_DEPTH,
    );
    return [new GraphQLError(error.message, { originalError: error })];
  }
  try {
    assertOperationCost(schema, document, payload.operationName, variableValues, rules.costLimit);
  } catch (error) {
    if (error instanceof GraphQLError && error.originalError instanceof DomainError) return [error];
    throw error;
  }
  return { schema, document, operationName: payload.operationName, variableValues };
}

/**
 * The graphql-ws endpoint, as Nest's GqlSubscriptionService builds it, plus what that one cannot set: the frame
 * limit (`maxPayload`, refused with 1009 before the frame is buffered) and no half-open sockets on other paths.
 */
export function startGraphqlWs(httpServer: Server, options: GraphqlWsOptions): { stop(): Promise<void> } {
  const { path, maxPayload, ...graphqlWs } = options;
  const wss = new WebSocketServer({ noServer: true, path, maxPayload });
  const disposable = useServer(graphqlWs, wss);
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = (req.url ?? '').split('?')[0];
    if (pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  httpServer.on('upgrade', onUpgrade);
  return {
    async stop() {
      httpServer.off('upgrade', onUpgrade);
      await disposable.dispose();
    },
  };
}
