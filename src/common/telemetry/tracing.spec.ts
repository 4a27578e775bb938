import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import {
  contextFromTraceparent,
  enableTracing,
  SpanName,
  SpanStatusCode,
  startSpan,
  TraceAttribute,
  traceparentOf,
  tracingEnabled,
  withSpan,
} from './tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe('tracing helpers', () => {
  describe('off (the default: no SDK started)', () => {
    it('runs the work with no span, starts none and has no traceparent to send', async () => {
      expect(tracingEnabled()).toBe(false);
      await expect(withSpan(SpanName.Publish, {}, async (span) => span)).resolves.toBeNull();
      expect(startSpan(SpanName.PublishEvent, {})).toBeNull();
      expect(traceparentOf(null)).toBeNull();
    });
  });

  describe('traceparent', () => {
    it('reads a stored traceparent as a remote parent, and writes a span as the same string', () => {
      const parent = trace.getSpanContext(contextFromTraceparent(TRACEPARENT));
      expect(parent).toMatchObject({
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
      const span = trace.wrapSpanContext({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
      expect(traceparentOf(span)).toBe(TRACEPARENT);
      // An unsampled parent stays unsampled.
      const unsampled = trace.getSpanContext(contextFromTraceparent(`00-${TRACE_ID}-${SPAN_ID}-00`));
      expect(unsampled?.traceFlags).toBe(TraceFlags.NONE);
      expect(traceparentOf(trace.wrapSpanContext({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 }))).toBe(
        `00-${TRACE_ID}-${SPAN_ID}-00`,
      );
    });

    it('starts a new trace from null, empty or malformed values', () => {
      for (const bad of [
        null,
        undefined,
        '',
        'garbage',
        `01-${TRACE_ID}-${SPAN_ID}`,
        `00-${'0'.repeat(32)}-${SPAN_ID}-01`,
      ])
        expect(contextFromTraceparent(bad)).toBe(ROOT_CONTEXT);
      expect(
        traceparentOf(trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: SPAN_ID, traceFlags: 1 })),
      ).toBeNull();
    });
  });

  describe('on', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

    beforeAll(() => {
      trace.setGlobalTracerProvider(provider);
      enableTracing(true);
    });
    afterAll(async () => {
      enableTracing(false);
      trace.disable();
      await provider.shutdown();
    });
    beforeEach(() => exporter.reset());

    it('makes a span the child of a stored traceparent, ended when the work settles', async () => {
      const result = await withSpan(
        SpanName.Attempt,
        { [TraceAttribute.AttemptNumber]: 2 },
        async (span) => traceparentOf(span),
        {
          parentTraceparent: TRACEPARENT,
        },
      );
      const [span] = exporter.getFinishedSpans();
      expect(span.name).toBe(SpanName.Attempt);
      expect(span.spanContext().traceId).toBe(TRACE_ID);
      expect(span.parentSpanContext?.spanId).toBe(SPAN_ID);
      expect(span.attributes).toEqual({ [TraceAttribute.AttemptNumber]: 2 });
      expect(result).toBe(`00-${TRACE_ID}-${span.spanContext().spanId}-01`);
    });

    it('starts a new trace when the stored traceparent is null (published with tracing off)', async () => {
      await withSpan(SpanName.Attempt, {}, async () => undefined, { parentTraceparent: null });
      const [span] = exporter.getFinishedSpans();
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.spanContext().traceId).not.toBe(TRACE_ID);
    });

    it('marks the span ERROR when the work throws, and rethrows', async () => {
      const failing = withSpan(SpanName.Publish, {}, async () => {
        throw new Error('boom');
      });
      await expect(failing).rejects.toThrow('boom');
      const [span] = exporter.getFinishedSpans();
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
      expect(span.events.map((e) => e.name)).toEqual(['exception']);
    });
  });

  it('names HTTP and error attributes as the semantic conventions do', () => {
    expect(TraceAttribute.HttpStatusCode).toBe(ATTR_HTTP_RESPONSE_STATUS_CODE);
    expect(TraceAttribute.HttpMethod).toBe(ATTR_HTTP_REQUEST_METHOD);
    expect(TraceAttribute.HttpRoute).toBe(ATTR_HTTP_ROUTE);
    expect(TraceAttribute.ErrorType).toBe(ATTR_ERROR_TYPE);
  });
});
