import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { channelScope } from '../auth/principal';
import { DeliveryQueries } from '../deliveries/delivery-queries.service';
import { DeliveryRecovery } from '../deliveries/delivery-recovery.service';
import { DeliveryStatistics } from '../deliveries/delivery-statistics.service';
import { DeliveryStatus } from '../deliveries/delivery.entity';
import { EventPublisher } from '../deliveries/event-publisher.service';
import { EndpointsService } from '../endpoints/endpoints.service';
import {
  AgentTool,
  defineTool,
  iso,
  isoDate,
  isoDateArg,
  nextCursor,
  pageArgs,
  pageOf,
  READ_HINTS,
  WRITE_HINTS,
  ToolAccess,
  uuidArg,
} from './agent-tool';
import { deliveryShape, DeliveryResult, toDelivery } from './webhook-shapes';

function line(d: DeliveryResult): string {
  const last = d.lastResponseStatus === null ? (d.lastError ?? 'no answer yet') : `HTTP ${d.lastResponseStatus}`;
  return `${d.id} ${d.status} ${d.eventType} attempts=${d.attemptCount} last=${last} at ${d.createdAt}`;
}

/** Deliveries of a webhook: test, logs, stats, replay and recover, through the services GraphQL uses. */
@Injectable()
export class DeliveryTools {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly recovery: DeliveryRecovery,
    private readonly queries: DeliveryQueries,
    private readonly statistics: DeliveryStatistics,
    private readonly endpoints: EndpointsService,
  ) {}

  tools(): AgentTool[] {
    return [this.test(), this.logs(), this.stats(), this.get(), this.replay(), this.recover()];
  }

  private async withAttempts(tenantId: string, deliveries: { id: string }[]) {
    return this.queries.attemptsByDelivery(
      tenantId,
      deliveries.map((d) => d.id),
    );
  }

  private test(): AgentTool {
    return defineTool({
      name: 'test_webhook',
      title: 'Send a test delivery',
      description:
        "Sends a test event (the sample of the event type, or of the webhook's first type) to the webhook, signed " +
        'like any delivery, and returns the delivery. get_webhook_logs shows how it went.',
      access: ToolAccess.Manage,
      channelScoped: true,
      hints: { ...WRITE_HINTS, openWorldHint: true },
      input: {
        id: uuidArg('webhook'),
        eventType: z.string().optional().describe('The event type whose sample is sent'),
      },
      output: { delivery: deliveryShape },
      run: async (p, a) => {
        const delivery = toDelivery(await this.publisher.sendTestDelivery(p, a.id, a.eventType));
        return { data: { delivery }, text: `Test delivery queued: ${line(delivery)}` };
      },
    });
  }

  private logs(): AgentTool {
    return defineTool({
      name: 'get_webhook_logs',
      title: 'Delivery logs of a webhook',
      description:
        'The deliveries of a webhook, newest first, each with its attempts (time, HTTP status, response time, ' +
        'outcome). At most 100 per page.',
      access: ToolAccess.Read,
      channelScoped: true,
      hints: READ_HINTS,
      input: {
        id: uuidArg('webhook'),
        status: z.array(z.enum(DeliveryStatus)).optional().describe('Only deliveries in these statuses'),
        ...pageArgs,
      },
      output: { deliveries: z.array(deliveryShape), nextCursor },
      run: async (p, a) => {
        await this.endpoints.find(p.tenantId, a.id, channelScope(p));
        const filter = { endpointId: a.id, status: a.status };
        const page = await this.queries.listDeliveries(
          p.tenantId,
          filter,
          { first: a.first, after: a.cursor },
          channelScope(p),
        );
        const { items, nextCursor: next } = pageOf(page);
        const attempts = await this.withAttempts(p.tenantId, items);
        const deliveries = items.map((d) => toDelivery(d, attempts.get(d.id) ?? []));
        const text = deliveries.length ? deliveries.map(line).join('\n') : 'No deliveries.';
        return { data: { deliveries, nextCursor: next }, text };
      },
    });
  }

  private stats(): AgentTool {
    return defineTool({
      name: 'get_webhook_stats',
      title: 'Delivery statistics of a webhook',
      description: 'Total deliveries, success rate, average response time and failures, optionally in a time range.',
      access: ToolAccess.Read,
      channelScoped: true,
      hints: READ_HINTS,
      input: {
        id: uuidArg('webhook'),
        since: isoDateArg('From this time').optional(),
        until: isoDateArg('Before this time').optional(),
      },
      output: {
        total: z.number(),
        succeeded: z.number(),
        failureCount: z.number().describe('FAILED + DEAD_LETTER'),
        pending: z.number(),
        held: z.number(),
        successRate: z.number().nullable().describe('succeeded / (succeeded + failed); null when both are 0'),
        avgResponseTimeMs: z.number().nullable(),
        p95ResponseTimeMs: z.number().nullable(),
      },
      run: async (p, a) => {
        const since = a.since ? new Date(a.since) : undefined;
        const until = a.until ? new Date(a.until) : undefined;
        const s = await this.statistics.stats(p.tenantId, a.id, since, until, channelScope(p));
        const data = {
          total: s.total,
          succeeded: s.succeeded,
          failureCount: s.failed,
          pending: s.pending,
          held: s.held,
          successRate: s.successRate,
          avgResponseTimeMs: s.avgResponseTimeMs,
          p95ResponseTimeMs: s.p95ResponseTimeMs,
        };
        const rate = s.successRate === null ? 'n/a' : `${Math.round(s.successRate * 1000) / 10}%`;
        const avg = s.avgResponseTimeMs === null ? 'n/a' : `${Math.round(s.avgResponseTimeMs)} ms`;
        return { data, text: `${s.total} deliveries, ${s.failed} failed, success rate ${rate}, average ${avg}` };
      },
    });
  }

  private get(): AgentTool {
    return defineTool({
      name: 'get_delivery',
      title: 'Get a delivery',
      description: 'One delivery with its attempts.',
      access: ToolAccess.Read,
      channelScoped: true,
      hints: READ_HINTS,
      input: { id: uuidArg('delivery') },
      output: { delivery: deliveryShape },
      run: async (p, a) => {
        const found = await this.queries.findDelivery(p.tenantId, a.id, channelScope(p));
        const attempts = await this.withAttempts(p.tenantId, [found]);
        const delivery = toDelivery(found, attempts.get(found.id) ?? []);
        return { data: { delivery }, text: line(delivery) };
      },
    });
  }

  private replay(): AgentTool {
    return defineTool({
      name: 'replay_delivery',
      title: 'Replay a delivery',
      description: 'Sends a FAILED or DEAD_LETTER delivery again, as a new delivery to the same webhook.',
      access: ToolAccess.Manage,
      channelScoped: true,
      hints: { ...WRITE_HINTS, openWorldHint: true },
      input: { id: uuidArg('delivery') },
      output: { delivery: deliveryShape },
      run: async (p, a) => {
        const delivery = toDelivery(await this.recovery.replay(p, a.id));
        return { data: { delivery }, text: `Replay queued: ${line(delivery)}` };
      },
    });
  }

  private recover(): AgentTool {
    return defineTool({
      name: 'recover_webhook',
      title: 'Replay the failed deliveries of a webhook since a time',
      description:
        'Replays every FAILED or DEAD_LETTER delivery of the webhook since the time (not yet replayed) as a ' +
        'tracked background job. Without confirm: true it only counts what would be replayed.',
      access: ToolAccess.Manage,
      hints: { ...WRITE_HINTS, openWorldHint: true },
      input: {
        id: uuidArg('webhook'),
        since: isoDateArg('Replay deliveries created from this time'),
        confirm: z.boolean().optional().describe('true starts the job; anything else only previews'),
      },
      output: {
        started: z.boolean(),
        deliveries: z.number().describe('How many deliveries would be (or are being) replayed'),
        trackedJobId: z.string().nullable().describe('The job to follow with the trackedJob query'),
        trackedJobStatus: z.string().nullable(),
        startedAt: isoDate.nullable(),
      },
      run: async (p, a) => {
        const since = new Date(a.since);
        const count = await this.recovery.countRecoverable(p.tenantId, a.id, since, channelScope(p));
        if (a.confirm !== true) {
          const data = {
            started: false,
            deliveries: count,
            trackedJobId: null,
            trackedJobStatus: null,
            startedAt: null,
          };
          return { data, text: `Would replay ${count} deliveries. Call again with confirm: true to start.` };
        }
        const job = await this.recovery.startRecover(p, a.id, since);
        const data = {
          started: true,
          deliveries: count,
          trackedJobId: job.id,
          trackedJobStatus: job.status,
          startedAt: iso(job.createdAt),
        };
        return { data, text: `Recover started as tracked job ${job.id} for about ${count} deliveries.` };
      },
    });
  }
}
