import { Logger } from '@nestjs/common';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '../common/errors/domain-error';

const logger = new Logger('McpTool');

/** What an agent can do next, by the kind of fault. */
const NEXT_STEP: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.NotFound]: 'Check the id: list_webhooks lists the webhooks this credential can see.',
  [ErrorCode.BadUserInput]: 'Nothing was changed; fix that argument and call again.',
  [ErrorCode.Forbidden]: 'Nothing was changed; this credential does not allow it.',
  [ErrorCode.Conflict]: 'Nothing was changed.',
};

/** Where a named fault has a better next step than its kind. */
const NEXT_STEP_BY_REASON: Record<string, string> = {
  SECRET_REVEAL_NOT_PERMITTED:
    'To get a usable secret now, call rotate_webhook_secret with this webhook id: it returns the new secret once.',
  EVENT_TYPE_NOT_FOUND: 'get_webhook_events lists the event types.',
  UNKNOWN_EVENT_TYPE: 'get_webhook_events lists the event types.',
};

/**
 * A tool's failure as an MCP tool result (isError), never a protocol error and never a stack: a DomainError says
 * what was wrong and what to do; anything else is logged under an error id that the text gives.
 */
export function toolErrorResult(tool: string, error: unknown): CallToolResult {
  if (error instanceof DomainError) {
    const next = NEXT_STEP_BY_REASON[error.reasonCode] ?? NEXT_STEP[error.code];
    const text = `${error.message} (${error.reasonCode}).${next ? ` ${next}` : ''}`;
    return { isError: true, content: [{ type: 'text', text }] };
  }
  const errorId = randomUUID();
  logger.error({
    msg: 'unexpected error in an MCP tool',
    tool,
    errorId,
    error: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
  const text = `Internal error (error id ${errorId}). The operation may not have completed; check before retrying.`;
  return { isError: true, content: [{ type: 'text', text }] };
}
