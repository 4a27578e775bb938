import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { EndpointSecrets } from '../endpoints/endpoint-secrets.service';
import { AgentTool, defineTool, iso, isoDate, READ_HINTS, ToolAccess, uuidArg } from './agent-tool';

/**
 * A webhook's signing secret: revealed only to a credential granted reveal_webhook_secrets (EndpointSecrets.reveal
 * decides, as for GraphQL's revealEndpointSecret), or rotated, which shows the new one once.
 */
@Injectable()
export class SecretTools {
  constructor(private readonly secrets: EndpointSecrets) {}

  tools(): AgentTool[] {
    return [this.secret(), this.rotate()];
  }

  private secret(): AgentTool {
    return defineTool({
      name: 'get_webhook_secret',
      title: "Reveal a webhook's signing secret",
      description:
        'Shows the current signing secret (and the previous one during a rotation). Needs the permission ' +
        'reveal_webhook_secrets; without it, use rotate_webhook_secret to get a new secret. Audited.',
      access: ToolAccess.Manage,
      channelScoped: true,
      hints: READ_HINTS,
      input: { id: uuidArg('webhook') },
      output: {
        webhookId: z.string(),
        secret: z.string(),
        previousSecret: z.string().nullable(),
        previousSecretExpiresAt: isoDate.nullable(),
      },
      run: async (p, a) => {
        const r = await this.secrets.reveal(p, a.id);
        const data = {
          webhookId: r.endpointId,
          secret: r.secret,
          previousSecret: r.previousSecret,
          previousSecretExpiresAt: iso(r.previousSecretExpiresAt),
        };
        return { data, text: `Signing secret of ${r.endpointId}: ${r.secret}` };
      },
    });
  }

  private rotate(): AgentTool {
    return defineTool({
      name: 'rotate_webhook_secret',
      title: "Rotate a webhook's signing secret",
      description:
        'Issues a new signing secret and returns it (shown only now). The old one keeps signing for 24 h, so the ' +
        'receiver can switch over.',
      access: ToolAccess.Manage,
      channelScoped: true,
      hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
      input: { id: uuidArg('webhook') },
      output: { webhookId: z.string(), secret: z.string(), previousSecretExpiresAt: isoDate },
      run: async (p, a) => {
        const r = await this.secrets.rotate(p, a.id);
        const data = {
          webhookId: r.endpoint.id,
          secret: r.secret,
          previousSecretExpiresAt: r.previousSecretExpiresAt.toISOString(),
        };
        return { data, text: `New signing secret of ${r.endpoint.id}: ${r.secret}` };
      },
    });
  }
}
