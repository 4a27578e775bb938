import { Attributes, context, Context, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * The spans Hookline makes by hand, through @opentelemetry/api only. Until `enableTracing` (called by
 * telemetry.ts once the SDK has started) every helper is a branch on one boolean: no span object, no context
 * switch, no header; the hot path pays nothing when tracing is off.
 */

export enum SpanName {
  GraphqlOperation = 'graphql.operation',
  Publish = 'hookline.publish',
  PublishEvent = 'hookline.publish.event',
  Attempt = 'hookline.attempt',
  InboundReceive = 'hookline.inbound.receive',
  InboundProcess = 'hookline.inbound.process',
}

export enum TraceAttribute {
  EventId = 'hookline.event_id',
  EventType = 'hookline.event_type',
  EventCount = 'hookline.event_count',
  FanoutCount = 'hookline.fanout_count',
  TenantId = 'hookline.tenant_id',
  DeliveryId = 'hookline.delivery_id',
  EndpointId = 'hookline.endpoint_id',
  AttemptNumber = 'hookline.attempt_number',
  DurationMs = 'hookline.duration_ms',
  Outcome = 'hookline.outcome',
  Provider = 'hookline.provider',
  IntegrationId = 'hookline.integration_id',
  InboundEventId = 'hookline.inbound_event_id',
  HttpStatusCode = 'http.response.status_code',
  HttpMethod = 'http.request.method',
  HttpRoute = 'http.route',
  ErrorType = 'error.type',
  GraphqlOperationName = 'graphql.operation.name',
  GraphqlOperationType = 'graphql.operation.type',
}

export const TRACER_NAME = 'hookline';
/** W3C Trace Context: version 00 has exactly these four fields; ids are lowercase hex, not all zeros. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
let enabled = false;

/** Called once the SDK is registered (telemetry.ts); never by feature code. */
export function enableTracing(on: boolean): void {
  enabled = on;
}

export function tracingEnabled(): boolean {
  return enabled;
}

export interface SpanOptions {
  kind?: SpanKind;
  /**
   * The parent, as a stored W3C traceparent (a new trace when null or malformed); the active context when the
   * key is absent. Parsed only with tracing on.
   */
  parentTraceparent?: string | null;
}

function parentOf(options: SpanOptions): Context {
  return 'parentTraceparent' in options ? contextFromTraceparent(options.parentTraceparent) : context.active();
}

/**
 * Runs `fn` inside a new active span (so spans started within are its children) and ends it when `fn` settles;
 * a throw marks it ERROR. With tracing off, `fn(null)` and nothing else.
 */
export function withSpan<T>(
  name: SpanName,
  attributes: Attributes,
  fn: (span: Span | null) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  if (!enabled) return fn(null);
  const tracer = trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes },
    parentOf(options),
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        failSpan(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** A span the caller ends (e.g. one per event of a publish, ended once the rows are written). Null when off. */
export function startSpan(name: SpanName, attributes: Attributes, options: SpanOptions = {}): Span | null {
  if (!enabled) return null;
  return trace
    .getTracer(TRACER_NAME)
    .startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes }, parentOf(options));
}

/** Marks a span failed, with the error's message (and the exception event for an Error). */
export function failSpan(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** The W3C `traceparent` of a span (00-traceid-spanid-flags); null for none or an invalid (no-op) span. */
export function traceparentOf(span: Span | null): string | null {
  if (!span) return null;
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!trace.isSpanContextValid(span.spanContext())) return null;
  return `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/**
 * A context whose parent is the span a stored `traceparent` names; the root context for null or a malformed one.
 * Written by hand rather than with the SDK's propagator, so a process with tracing off loads only the API.
 */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!match) return ROOT_CONTEXT;
  const parent = { traceId: match[1], spanId: match[2], traceFlags: parseInt(match[3], 16), isRemote: true };
  return trace.isSpanContextValid(parent) ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
}

export { SpanKind, SpanStatusCode };
export type { Span };
