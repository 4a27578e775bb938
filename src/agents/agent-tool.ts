import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { MissingPermissionError, OutsideChannelScopeError } from '../auth/auth.errors';
import { mayRead, Permission, Principal } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { MAX_PAGE_SIZE } from '../common/graphql/pagination';

/** Who may call a tool (and sees it in tools/list). */
export enum ToolAccess {
  /** read_webhooks or manage_webhooks */
  Read = 'read',
  /** manage_webhooks (writes, and reads that need more than read_webhooks, such as revealing a secret) */
  Manage = 'manage',
}

export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What a tool gives back: the structured result (checked against its outputSchema) and a short text rendering. */
export interface ToolOutput<T> {
  data: T;
  text: string;
}

export interface AgentTool<I extends z.ZodRawShape = z.ZodRawShape, O extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  access: ToolAccess;
  /**
   * A portal session limited to a channel may call the tool (it applies the channel scope, as the GraphQL operation
   * it mirrors does). Absent: denied to such a session, like a GraphQL operation without @ChannelScoped.
   */
  channelScoped?: true;
  hints: ToolHints;
  input: I;
  output: O;
  run(principal: Principal, args: z.output<z.ZodObject<I>>): Promise<ToolOutput<z.input<z.ZodObject<O>>>>;
}

/** Declares a tool with its types checked, then erases them so tools of every shape live in one list. */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(tool: AgentTool<I, O>): AgentTool {
  return tool as unknown as AgentTool;
}

export const READ_HINTS: ToolHints = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

/** A write that is neither destructive nor idempotent (create, update, test, replay, recover). */
export const WRITE_HINTS: ToolHints = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};

/** Why a principal may not call a tool (outside its channel scope, or a permission it lacks), or null. */
export function toolRefusal(
  principal: Principal,
  tool: Pick<AgentTool, 'access' | 'channelScoped'>,
): DomainError | null {
  if (principal.channel != null && !tool.channelScoped) return new OutsideChannelScopeError(principal.channel);
  const missing = missingPermission(principal, tool.access);
  return missing ? new MissingPermissionError(missing) : null;
}

/** The permission a principal lacks for a tool, or null when it may call it. */
export function missingPermission(principal: Principal, access: ToolAccess): Permission | null {
  if (access === ToolAccess.Read) return mayRead(principal) ? null : Permission.ReadWebhooks;
  return principal.permissions.includes(Permission.ManageWebhooks) ? null : Permission.ManageWebhooks;
}

export function okResult<T>(output: ToolOutput<T>): CallToolResult {
  return {
    content: [{ type: 'text', text: output.text }],
    structuredContent: output.data as Record<string, unknown>,
  };
}

// ------------------------------------------------------------------ shared argument and result shapes

export const uuidArg = (what: string) => z.string().max(100).describe(`The ${what} id (a UUID)`);

export const pageArgs = {
  first: z
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .optional()
    .describe(`How many items to return, 1 to ${MAX_PAGE_SIZE} (default 20)`),
  cursor: z
    .string()
    .max(500)
    .optional()
    .describe('nextCursor of the previous page, to get the next one; omit for the first page'),
};

export const nextCursor = z
  .string()
  .nullable()
  .describe('Pass as cursor to get the next page; null when this is the last page');

export const isoDateArg = (what: string) =>
  z.iso.datetime({ offset: true }).describe(`${what}, an ISO 8601 timestamp such as 2026-01-31T12:00:00Z`);

export const isoDate = z.string().describe('ISO 8601 timestamp');

export function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

export function pageOf<T>(page: {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}) {
  return {
    items: page.edges.map((e) => e.node),
    nextCursor: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
  };
}
