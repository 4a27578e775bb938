import { Injectable } from '@nestjs/common';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import { type CallToolResult, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { Principal } from '../auth/principal';
import { EventTypesService } from '../event-types/event-types.service';
import { registerEventTypeResources, registerWorkflowPrompts } from './agent-guidance';
import { AgentTool, okResult, toolRefusal } from './agent-tool';
import { CatalogTools } from './catalog-tools';
import { DeliveryTools } from './delivery-tools';
import { SecretTools } from './secret-tools';
import { toolErrorResult } from './tool-errors';
import { WebhookTools } from './webhook-tools';

const INSTRUCTIONS =
  'Hookline delivers signed webhooks (Standard Webhooks). Webhooks are endpoints that receive event types. ' +
  'Start with get_webhook_events and list_webhooks. Writes need manage_webhooks; secrets are shown on create and ' +
  'rotate, or by get_webhook_secret with reveal_webhook_secrets. Destructive tools preview unless confirm: true.';

/** One MCP server per request, bound to the authenticated principal: its tools act as that principal. */
@Injectable()
export class McpServerFactory {
  private readonly all: AgentTool[];
  private readonly listed: Map<string, Tool>;

  constructor(
    webhooks: WebhookTools,
    secrets: SecretTools,
    deliveries: DeliveryTools,
    catalog: CatalogTools,
    private readonly eventTypes: EventTypesService,
  ) {
    this.all = [...webhooks.tools(), ...secrets.tools(), ...deliveries.tools(), ...catalog.tools()];
    this.listed = new Map(this.all.map((t) => [t.name, describeTool(t)]));
  }

  tools(): readonly AgentTool[] {
    return this.all;
  }

  create(principal: Principal): McpServer {
    const server = new McpServer(
      { name: 'hookline', version: '0.1.0' },
      { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: INSTRUCTIONS },
    );
    for (const tool of this.all) {
      server.registerTool(
        tool.name,
        {
          title: tool.title,
          description: tool.description,
          inputSchema: z.strictObject(tool.input),
          outputSchema: z.object(tool.output),
          annotations: { title: tool.title, ...tool.hints },
        },
        (args: unknown) => invoke(tool, principal, args),
      );
    }
    // tools/list shows only what this principal may call; a call of another tool still answers, saying why not.
    server.server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: this.all.filter((t) => toolRefusal(principal, t) === null).map((t) => this.listed.get(t.name) as Tool),
    }));
    registerEventTypeResources(server, principal, this.eventTypes);
    registerWorkflowPrompts(server);
    return server;
  }
}

async function invoke(tool: AgentTool, principal: Principal, args: unknown): Promise<CallToolResult> {
  try {
    const refusal = toolRefusal(principal, tool);
    if (refusal) throw refusal;
    return okResult(await tool.run(principal, args as never));
  } catch (error) {
    return toolErrorResult(tool.name, error);
  }
}

/** The tools/list entry of a tool, as the SDK would render it. */
function describeTool(tool: AgentTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: toJsonSchemaCompat(z.strictObject(tool.input), {
      strictUnions: true,
      pipeStrategy: 'input',
    }) as Tool['inputSchema'],
    outputSchema: toJsonSchemaCompat(z.object(tool.output), {
      strictUnions: true,
      pipeStrategy: 'output',
    }) as Tool['outputSchema'],
    annotations: { title: tool.title, ...tool.hints },
  };
}
