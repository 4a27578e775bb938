import {
  failSpan,
  Span,
  SpanName,
  startSpan,
  TraceAttribute,
  traceparentOf,
  tracingEnabled,
} from '../common/telemetry/tracing';
import type { DeliveryEntity } from './delivery.entity';
import type { EventEntity } from './event.entity';

/**
 * Writes a fan-out under one `hookline.publish.event` span per event, children of the active span (the publish
 * call's, or an inbound event's processing), with `hookline.event_id` and `hookline.fanout_count`. Each delivery
 * stores its event span's traceparent before the write, so its attempts become that span's children. With
 * tracing off: `write()` and nothing else.
 */
export async function tracedFanout<T>(
  events: EventEntity[],
  deliveries: DeliveryEntity[],
  write: () => Promise<T>,
): Promise<T> {
  if (!tracingEnabled() || events.length === 0) return write();
  const spans = new Map<string, Span>();
  const traceparents = new Map<string, string | null>();
  const fanout = new Map<string, number>();
  for (const event of events) {
    const span = startSpan(SpanName.PublishEvent, {
      [TraceAttribute.EventId]: event.id,
      [TraceAttribute.EventType]: event.eventType,
      [TraceAttribute.TenantId]: event.tenantId,
    });
    if (span) spans.set(event.id, span);
    traceparents.set(event.id, traceparentOf(span));
  }
  for (const d of deliveries) {
    d.traceParent = traceparents.get(d.eventId) ?? null;
    fanout.set(d.eventId, (fanout.get(d.eventId) ?? 0) + 1);
  }
  try {
    return await write();
  } catch (error) {
    for (const span of spans.values()) failSpan(span, error);
    throw error;
  } finally {
    for (const [eventId, span] of spans) {
      span.setAttribute(TraceAttribute.FanoutCount, fanout.get(eventId) ?? 0);
      span.end();
    }
  }
}
