import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { channelScope, Principal } from '../auth/principal';
import { DeliveryStatistics } from '../deliveries/delivery-statistics.service';
import { CreateEndpointInput } from '../endpoints/dto/create-endpoint.input';
import { EndpointFilter } from '../endpoints/dto/endpoint-filter.input';
import { UpdateEndpointInput } from '../endpoints/dto/update-endpoint.input';
import { EndpointsService } from '../endpoints/endpoints.service';
import {
  AgentTool,
  defineTool,
  iso,
  isoDate,
  nextCursor,
  pageArgs,
  pageOf,
  READ_HINTS,
  WRITE_HINTS,
  ToolAccess,
  uuidArg,
} from './agent-tool';
import { asInput } from './tool-input';
import { toWebhook, Webhook, webhookShape } from './webhook-shapes';

const eventTypesArg = z
  .array(z.string())
  .describe('Event types to receive, e.g. ["order.created"] (get_webhook_events lists them); empty or absent: all');
const channelsArg = z.array(z.string()).describe('Channels to receive; empty or absent: every channel');
const descriptionArg = z.string().describe('What the webhook is for (at most 500 characters)');
const rateLimitArg = z.number().int().describe('Most deliveries per second to this URL');

function line(w: Webhook): string {
  const types = w.eventTypes.length ? w.eventTypes.join(', ') : 'all event types';
  return `${w.id} ${w.isActive ? 'active' : 'disabled'} ${w.health} ${w.url} (${types})`;
}

/** The webhook (endpoint) tools: each calls the service method the GraphQL resolver calls, as the caller. */
@Injectable()
export class WebhookTools {
  constructor(
    private readonly endpoints: EndpointsService,
    private readonly statistics: DeliveryStatistics,
  ) {}

  tools(): AgentTool[] {
    return [this.list(), this.get(), this.create(), this.update(), this.remove(), this.toggle()];
  }

  private list(): AgentTool {
    return defineTool({
      name: 'list_webhooks',
      title: 'List webhooks',
      description: 'Lists the webhooks (outbound endpoints) of the tenant, newest first, at most 100 per page.',
      access: ToolAccess.Read,
      channelScoped: true,
      hints: READ_HINTS,
      input: {
        isActive: z.boolean().optional().describe('Only active (true) or only disabled (false) webhooks'),
        eventType: z.string().optional().describe('Only webhooks that receive this event type'),
        ...pageArgs,
      },
      output: { webhooks: z.array(webhookShape), totalCount: z.number(), nextCursor },
      run: async (p: Principal, a) => {
        const filter = await asInput(EndpointFilter, { isActive: a.isActive, eventType: a.eventType }, 'filter');
        const page = await this.endpoints.list(
          p.tenantId,
          filter,
          { first: a.first, after: a.cursor },
          channelScope(p),
        );
        const { items, nextCursor: next } = pageOf(page);
        const webhooks = items.map(toWebhook);
        const text = webhooks.length ? webhooks.map(line).join('\n') : 'No webhooks.';
        return { data: { webhooks, totalCount: page.totalCount ?? webhooks.length, nextCursor: next }, text };
      },
    });
  }

  private get(): AgentTool {
    return defineTool({
      name: 'get_webhook',
      title: 'Get a webhook',
      description: 'Shows one webhook: URL, event types, whether it is active, and its health.',
      access: ToolAccess.Read,
      channelScoped: true,
      hints: READ_HINTS,
      input: { id: uuidArg('webhook') },
      output: { webhook: webhookShape },
      run: async (p, a) => {
        const webhook = toWebhook(await this.endpoints.find(p.tenantId, a.id, channelScope(p)));
        return { data: { webhook }, text: line(webhook) };
      },
    });
  }

  private create(): AgentTool {
    return defineTool({
      name: 'create_webhook',
      title: 'Create a webhook',
      description:
        'Creates a webhook that receives the given event types at the URL (https, or http on port 80, 443 or ' +
        '1024-65535; public addresses only). Returns the signing secret, shown only now and on rotation.',
      access: ToolAccess.Manage,
      channelScoped: true,
      hints: WRITE_HINTS,
      input: {
        url: z.string().describe('Where deliveries are POSTed'),
        eventTypes: eventTypesArg.optional(),
        description: descriptionArg.optional(),
        channels: channelsArg.optional(),
        rateLimitPerSecond: rateLimitArg.optional(),
        idempotencyKey: z
          .string()
          .optional()
          .describe('Same key and same arguments within 24 h return the first result'),
      },
      output: {
        webhook: webhookShape,
        secret: z.string().describe('whsec_... Standard Webhooks signing secret; store it now'),
      },
      run: async (p, a) => {
        const input = await asInput(CreateEndpointInput, { ...a });
        const { endpoint, secret } = await this.endpoints.create(p, input);
        const webhook = toWebhook(endpoint);
        return { data: { webhook, secret }, text: `Created ${line(webhook)}. Signing secret: ${secret}` };
      },
    });
  }

  private update(): AgentTool {
    return defineTool({
      name: 'update_webhook',
      title: 'Update a webhook',
      description: 'Changes the given fields of a webhook; absent fields stay as they are, null clears.',
      access: ToolAccess.Manage,
      channelScoped: true,
      hints: { ...WRITE_HINTS, idempotentHint: true },
      input: {
        id: uuidArg('webhook'),
        url: z.string().optional().describe('New URL (the same rules as create_webhook)'),
        eventTypes: eventTypesArg.nullable().optional(),
        description: descriptionArg.nullable().optional(),
        channels: channelsArg.nullable().optional(),
        isActive: z.boolean().optional().describe('false disables it (deliveries are held), true enables it'),
        rateLimitPerSecond: rateLimitArg.nullable().optional(),
      },
      output: { webhook: webhookShape },
      run: async (p, a) => {
        const { id, ...fields } = a;
        const input = await asInput(UpdateEndpointInput, fields);
        const webhook = toWebhook(await this.endpoints.update(p, id, input));
        return { data: { webhook }, text: `Updated ${line(webhook)}` };
      },
    });
  }

  private remove(): AgentTool {
    return defineTool({
      name: 'delete_webhook',
      title: 'Delete a webhook',
      description:
        'Deletes a webhook with its deliveries and filters, for good. Without confirm: true it only previews ' +
        'what would be deleted and changes nothing.',
      access: ToolAccess.Manage,
      channelScoped: true,
      hints: { ...WRITE_HINTS, destructiveHint: true, idempotentHint: true },
      input: {
        id: uuidArg('webhook'),
        confirm: z.boolean().optional().describe('true deletes; anything else only previews'),
      },
      output: {
        deleted: z.boolean(),
        webhook: webhookShape,
        deliveries: z.number().describe('Deliveries that go (or would go) with it'),
        deletedAt: isoDate.nullable(),
      },
      run: async (p, a) => {
        const webhook = toWebhook(await this.endpoints.find(p.tenantId, a.id, channelScope(p)));
        const { total } = await this.statistics.stats(p.tenantId, a.id, undefined, undefined, channelScope(p));
        if (a.confirm !== true) {
          const text = `Would delete ${line(webhook)} and its ${total} deliveries. Call again with confirm: true.`;
          return { data: { deleted: false, webhook, deliveries: total, deletedAt: null }, text };
        }
        const { deletedAt } = await this.endpoints.remove(p, a.id);
        const data = { deleted: true, webhook, deliveries: total, deletedAt: iso(deletedAt) };
        return { data, text: `Deleted ${webhook.id} and its ${total} deliveries.` };
      },
    });
  }

  private toggle(): AgentTool {
    return defineTool({
      name: 'toggle_webhook',
      title: 'Enable or disable a webhook',
      description: 'Flips isActive: a disabled webhook holds its deliveries, and sends them when it is enabled again.',
      access: ToolAccess.Manage,
      channelScoped: true,
      hints: WRITE_HINTS,
      input: { id: uuidArg('webhook') },
      output: { webhook: webhookShape },
      run: async (p, a) => {
        const webhook = toWebhook(await this.endpoints.toggle(p, a.id));
        return { data: { webhook }, text: `${webhook.isActive ? 'Enabled' : 'Disabled'} ${line(webhook)}` };
      },
    });
  }
}
