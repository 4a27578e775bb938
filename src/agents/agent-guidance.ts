import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { MissingPermissionError } from '../auth/auth.errors';
import { mayRead, Permission, Principal } from '../auth/principal';
import { EventTypesService } from '../event-types/event-types.service';

const CATALOG_URI = 'hookline://event-types';

/** The event-type catalog as resources: the list, and one type with its schema and sample. */
export function registerEventTypeResources(
  server: McpServer,
  principal: Principal,
  eventTypes: EventTypesService,
): void {
  const assertRead = () => {
    if (!mayRead(principal)) throw new MissingPermissionError(Permission.ReadWebhooks);
  };
  server.registerResource(
    'event-types',
    CATALOG_URI,
    { title: 'Event types', description: 'Every event type a webhook can receive', mimeType: 'application/json' },
    async (uri) => {
      assertRead();
      const rows = await eventTypes.list(principal.tenantId);
      const list = rows.map((t) => ({ name: t.name, description: t.description, uri: `${CATALOG_URI}/${t.name}` }));
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(list, null, 2) }] };
    },
  );
  server.registerResource(
    'event-type',
    new ResourceTemplate(`${CATALOG_URI}/{name}`, {
      list: async () => {
        assertRead();
        const rows = await eventTypes.list(principal.tenantId);
        return {
          resources: rows.map((t) => ({ uri: `${CATALOG_URI}/${t.name}`, name: t.name, description: t.description })),
        };
      },
    }),
    {
      title: 'Event type',
      description: 'One event type: its JSON Schema and sample payload',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      assertRead();
      const name = decodeURIComponent(String(variables.name));
      const t = await eventTypes.get(principal.tenantId, name);
      const body = { name: t.name, description: t.description, schema: t.schema, samplePayload: t.samplePayload };
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(body, null, 2) }] };
    },
  );
}

function userText(text: string) {
  return { messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] };
}

/** The three workflows, as prompts that walk an agent through the tools. */
export function registerWorkflowPrompts(server: McpServer): void {
  server.registerPrompt(
    'set_up_order_webhook',
    {
      title: 'Set up an order webhook',
      description: 'Create a webhook for order.created, get its secret, send a test and check it arrived',
      argsSchema: { url: z.string().describe('Where the order events should be delivered') },
    },
    ({ url }) =>
      userText(
        `Set up a webhook for new orders at ${url}:\n` +
          '1. Call get_webhook_events and check that order.created exists.\n' +
          `2. Call create_webhook with url "${url}" and eventTypes ["order.created"]. Keep the secret it returns.\n` +
          '3. If you need the secret again, call get_webhook_secret (needs reveal_webhook_secrets); otherwise use ' +
          'the one from step 2, or rotate_webhook_secret.\n' +
          '4. Call test_webhook with the new webhook id and eventType "order.created".\n' +
          '5. Call get_webhook_logs for the webhook and report whether the test delivery SUCCEEDED, with its HTTP ' +
          'status and response time.',
      ),
  );
  server.registerPrompt(
    'debug_failing_webhook',
    {
      title: 'Debug a failing webhook',
      description: 'Find why deliveries fail, fix the webhook and replay what failed',
      argsSchema: { webhookId: z.string().describe('The failing webhook') },
    },
    ({ webhookId }) =>
      userText(
        `Debug the webhook ${webhookId}:\n` +
          '1. Call get_webhook_stats: how many deliveries failed, and the success rate.\n' +
          '2. Call get_webhook_logs with status ["FAILED", "DEAD_LETTER", "RETRYING"]: read the HTTP statuses and ' +
          'errors of the attempts (4xx: the receiver refuses; 5xx or timeouts: the receiver is failing).\n' +
          '3. Call get_webhook to see its URL and health. If the URL is wrong, call update_webhook with the right ' +
          'one; if the webhook is disabled, enable it with update_webhook isActive: true.\n' +
          '4. Replay one failed delivery with replay_delivery and check it with get_delivery; then replay the rest ' +
          'with recover_webhook (first without confirm to see how many, then with confirm: true).',
      ),
  );
  server.registerPrompt(
    'pause_webhook',
    {
      title: 'Pause a webhook',
      description: 'Disable a webhook for a while; its deliveries are held and sent when it is enabled again',
      argsSchema: { webhookId: z.string().describe('The webhook to pause') },
    },
    ({ webhookId }) =>
      userText(
        `Pause the webhook ${webhookId}:\n` +
          '1. Call get_webhook and check isActive is true.\n' +
          '2. Call toggle_webhook once; confirm isActive is now false. New deliveries are HELD, not lost.\n' +
          '3. To resume, call toggle_webhook again (or update_webhook with isActive: true): held deliveries are ' +
          'sent in order.',
      ),
  );
}
