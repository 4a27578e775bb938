import type { ApolloServerPlugin } from '@apollo/server';
import { context, trace } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SpanKind, SpanName, SpanStatusCode, startSpan, TraceAttribute } from './tracing';

/** Operation names are the client's: a span name stays short whatever the query says. */
const MAX_NAME = 200;

/**
 * The GraphQL operation span, in two halves. Apollo plugins cannot make a span the active context of the
 * execution, so this middleware (mounted on /graphql by main.ts, only with tracing on) starts the span and runs
 * the rest of the request inside it, so the spans of resolvers (publish) are its children; it ends the span
 * when the response is sent.
 */
export function graphqlSpanMiddleware(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const span = startSpan(
      SpanName.GraphqlOperation,
      { [TraceAttribute.HttpMethod]: req.method },
      { kind: SpanKind.SERVER },
    );
    if (!span) return next();
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      span.setAttribute(TraceAttribute.HttpStatusCode, res.statusCode);
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(trace.setSpan(context.active(), span), next);
  };
}

/**
 * The other half: names the active operation span `{type} {name}` (OTel's GraphQL conventions) with the
 * operation's name and type, and marks it ERROR with the codes of the errors it answers. Messages are left out: an unexpected
 * error's message is what the API masks behind an error id, and it should not leave through traces either.
 */
export function graphqlTracingPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const span = trace.getActiveSpan();
      if (!span) return;
      return {
        async didResolveOperation(ctx) {
          if (!ctx.operation) return;
          const type = ctx.operation.operation;
          const name = (ctx.operationName ?? ctx.operation.name?.value)?.slice(0, MAX_NAME);
          span.updateName(name ? `${type} ${name}` : type);
          span.setAttribute(TraceAttribute.GraphqlOperationType, type);
          if (name) span.setAttribute(TraceAttribute.GraphqlOperationName, name);
        },
        // The errors as sent (after the formatter mapped DomainErrors to their codes), not as thrown.
        async willSendResponse(ctx) {
          const body = ctx.response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          if (!errors?.length) return;
          const codes = errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          for (const code of codes) span.addEvent('graphql.error', { [TraceAttribute.ErrorType]: code });
          span.setAttribute(TraceAttribute.ErrorType, codes[0]);
          span.setStatus({ code: SpanStatusCode.ERROR, message: [...new Set(codes)].join(', ') });
        },
      };
    },
  };
}
