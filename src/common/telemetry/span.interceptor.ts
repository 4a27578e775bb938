import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { Attributes, context, trace } from '@opentelemetry/api';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { failSpan, SpanKind, SpanName, SpanStatusCode, startSpan, TraceAttribute, tracingEnabled } from './tracing';

/**
 * A server span around a REST route (`@UseInterceptors(new SpanInterceptor(...))`), the handler running inside
 * it. `attributesOf` reads what names the call (route params); with tracing off the handler runs untouched.
 */
@Injectable()
export class SpanInterceptor implements NestInterceptor {
  constructor(
    private readonly name: SpanName,
    private readonly attributesOf: (req: Request) => Attributes = () => ({}),
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!tracingEnabled()) return next.handle();
    const http = ctx.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const attributes = {
      ...this.attributesOf(req),
      [TraceAttribute.HttpMethod]: req.method,
      ...(req.route?.path ? { [TraceAttribute.HttpRoute]: String(req.route.path) } : {}),
    };
    const span = startSpan(this.name, attributes, { kind: SpanKind.SERVER });
    if (!span) return next.handle();
    // Nest binds the handler to the async context in which handle() is called: this one, with the span active.
    const handled = context.with(trace.setSpan(context.active(), span), () => next.handle());
    return new Observable((subscriber) => {
      const subscription = handled.subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          span.setAttribute(TraceAttribute.HttpStatusCode, error instanceof HttpException ? error.getStatus() : 500);
          failSpan(span, error);
          span.end();
          subscriber.error(error);
        },
        complete: () => {
          span.setAttribute(TraceAttribute.HttpStatusCode, res.statusCode);
          if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
          subscriber.complete();
        },
      });
      return () => subscription.unsubscribe();
    });
  }
}
