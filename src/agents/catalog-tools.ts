import { EventTypeSource } from '../event-types/event-type-definition';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { EventTypesService } from '../event-types/event-types.service';
import { ValidateFilterInput } from '../filters/dto/validate-filter.input';
import { FiltersService } from '../filters/filters.service';
import { InboundEventFilter } from '../inbound-events/dto/inbound-event-filter.input';
import { InboundEventQueries } from '../inbound-events/inbound-event-queries.service';
import { InboundEventStatus } from '../inbound-events/inbound-event.entity';
import {
  AgentTool,
  defineTool,
  iso,
  isoDate,
  nextCursor,
  pageArgs,
  pageOf,
  READ_HINTS,
  ToolAccess,
  uuidArg,
} from './agent-tool';
import { asInput } from './tool-input';

const json = z.record(z.string(), z.unknown());

const inboundEventShape = z.object({
  id: z.string(),
  provider: z.string(),
  eventCode: z.string(),
  externalId: z.string().nullable(),
  status: z.enum(InboundEventStatus),
  attempts: z.number(),
  lastError: z.string().nullable(),
  receivedAt: isoDate,
  processedAt: isoDate.nullable(),
  producedEventId: z.string().nullable(),
});

const inboundStatsShape = {
  total: z.number(),
  pending: z.number(),
  processing: z.number(),
  processed: z.number(),
  failed: z.number(),
  skipped: z.number(),
};

/** The event-type catalog, filter validation and the inbound (provider) events: read-only tools. */
@Injectable()
export class CatalogTools {
  constructor(
    private readonly eventTypes: EventTypesService,
    private readonly filters: FiltersService,
    private readonly inbound: InboundEventQueries,
  ) {}

  tools(): AgentTool[] {
    return [this.events(), this.sample(), this.validateFilter(), this.inboundEvents(), this.inboundStats()];
  }

  private events(): AgentTool {
    return defineTool({
      name: 'get_webhook_events',
      title: 'List the event types',
      description: 'The event types a webhook can subscribe to, with what each means.',
      access: ToolAccess.Read,
      channelScoped: true,
      hints: READ_HINTS,
      input: { includeArchived: z.boolean().optional().describe('Also list archived types') },
      output: {
        eventTypes: z.array(
          z.object({
            name: z.string(),
            description: z.string(),
            archived: z.boolean(),
            operational: z.boolean().describe('Published by the platform about itself'),
            source: z
              .enum(EventTypeSource)
              .describe('BUILT_IN (shipped), TENANT (yours) or OPERATIONAL (the platform)'),
          }),
        ),
      },
      run: async (p, a) => {
        const rows = await this.eventTypes.list(p.tenantId, a.includeArchived ?? false);
        const eventTypes = rows.map((t) => ({
          name: t.name,
          description: t.description,
          archived: t.archived,
          operational: t.source === EventTypeSource.Operational,
          source: t.source,
        }));
        return { data: { eventTypes }, text: eventTypes.map((t) => `${t.name}: ${t.description}`).join('\n') };
      },
    });
  }

  private sample(): AgentTool {
    return defineTool({
      name: 'get_webhook_sample_payload',
      title: 'Sample payload of an event type',
      description: 'The sample payload of an event type (what test_webhook sends) and its JSON Schema.',
      access: ToolAccess.Read,
      channelScoped: true,
      hints: READ_HINTS,
      input: { eventType: z.string().max(200).describe('The event type, e.g. order.created') },
      output: { eventType: z.string(), samplePayload: json, schema: json.nullable() },
      run: async (p, a) => {
        const t = await this.eventTypes.get(p.tenantId, a.eventType);
        const data = { eventType: t.name, samplePayload: t.samplePayload, schema: t.schema };
        return { data, text: JSON.stringify(t.samplePayload, null, 2) };
      },
    });
  }

  private validateFilter(): AgentTool {
    return defineTool({
      name: 'validate_filter',
      title: 'Check a filter against sample data',
      description:
        'Checks that a filter is well formed and whether it matches the sample data. A filter is a leaf ' +
        '{ query: "$.order.total", condition: "(value) => value > 100" } or a group { logic: "AND" | "OR", ' +
        'conditions: [...] }.',
      access: ToolAccess.Read,
      channelScoped: true,
      hints: READ_HINTS,
      input: {
        sampleData: json.describe('A payload to test against, e.g. from get_webhook_sample_payload'),
        filter: json.describe('The filter to check'),
      },
      output: {
        success: z.boolean().describe('The filter is well formed'),
        message: z.string().nullable(),
        filterResult: z.boolean().nullable().describe('Whether the sample passes the filter'),
      },
      run: async (_p, a) => {
        const r = this.filters.validateFilter(await asInput(ValidateFilterInput, { ...a }));
        const verdict = r.success ? `matches: ${String(r.filterResult)}` : 'invalid';
        return { data: { ...r }, text: `Filter ${verdict}${r.message ? `: ${r.message}` : ''}` };
      },
    });
  }

  private inboundEvents(): AgentTool {
    return defineTool({
      name: 'list_inbound_events',
      title: 'List inbound provider events',
      description: 'The webhooks received from a provider integration, newest first, at most 100 per page.',
      access: ToolAccess.Read,
      hints: READ_HINTS,
      input: {
        integrationId: uuidArg('integration'),
        status: z.array(z.enum(InboundEventStatus)).optional().describe('Only events in these statuses'),
        eventCode: z.string().optional().describe("Only events with this provider's event code"),
        ...pageArgs,
      },
      output: { events: z.array(inboundEventShape), nextCursor },
      run: async (p, a) => {
        const { first, cursor, ...fields } = a;
        const filter = await asInput(InboundEventFilter, fields, 'filter');
        const { items, nextCursor: next } = pageOf(
          await this.inbound.list(p.tenantId, filter, { first, after: cursor }),
        );
        const events = items.map((e) => ({
          id: e.id,
          provider: e.provider,
          eventCode: e.eventCode,
          externalId: e.externalId,
          status: e.status,
          attempts: e.attempts,
          lastError: e.lastError,
          receivedAt: e.receivedAt.toISOString(),
          processedAt: iso(e.processedAt),
          producedEventId: e.producedEventId,
        }));
        const text = events.length
          ? events.map((e) => `${e.id} ${e.status} ${e.eventCode} received ${e.receivedAt}`).join('\n')
          : 'No inbound events.';
        return { data: { events, nextCursor: next }, text };
      },
    });
  }

  private inboundStats(): AgentTool {
    return defineTool({
      name: 'get_inbound_stats',
      title: 'Inbound event counts',
      description: 'How many inbound events of an integration are in each status.',
      access: ToolAccess.Read,
      hints: READ_HINTS,
      input: { integrationId: uuidArg('integration') },
      output: inboundStatsShape,
      run: async (p, a) => {
        const s = await this.inbound.stats(p.tenantId, a.integrationId);
        const text = Object.entries(s)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ');
        return { data: { ...s }, text };
      },
    });
  }
}
