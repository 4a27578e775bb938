import { Logger } from '@nestjs/common';
import { MissingPermissionError } from '../auth/auth.errors';
import { ActorType, Permission, Principal } from '../auth/principal';
import { EndpointNotFoundError, SecretRevealNotPermittedError } from '../endpoints/endpoints.errors';
import { missingPermission, ToolAccess } from './agent-tool';
import { toolErrorResult } from './tool-errors';

function principal(permissions: string[]): Principal {
  return { tenantId: 't', actorType: ActorType.ApiKey, actorId: 'k', permissions };
}

function text(result: ReturnType<typeof toolErrorResult>): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

describe('toolErrorResult', () => {
  it('turns a DomainError into an isError result that names the fault and the next step', () => {
    const result = toolErrorResult('get_webhook', new EndpointNotFoundError('3f00'));
    expect(result.isError).toBe(true);
    expect(text(result)).toBe(
      'Endpoint 3f00 not found (ENDPOINT_NOT_FOUND). Check the id: list_webhooks lists the webhooks this credential can see.',
    );
    expect(text(toolErrorResult('create_webhook', new MissingPermissionError(Permission.ManageWebhooks)))).toMatch(
      /^missing permission manage_webhooks \(PERMISSION_MISSING\)\. Nothing was changed/,
    );
  });

  it('offers the rotation when a reveal is not permitted', () => {
    const result = toolErrorResult('get_webhook_secret', new SecretRevealNotPermittedError('reveal_webhook_secrets'));
    expect(text(result)).toMatch(/shown once/);
    expect(text(result)).toMatch(/call rotate_webhook_secret/);
  });

  it('hides an unexpected error behind a logged error id, without its message or stack', () => {
    const logged: unknown[] = [];
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((entry: unknown) => {
      logged.push(entry);
    });
    try {
      const result = toolErrorResult('list_webhooks', new Error('connection to 10.0.0.5 refused'));
      expect(result.isError).toBe(true);
      const id = /error id ([0-9a-f-]{36})/.exec(text(result))?.[1];
      expect(id).toBeDefined();
      expect(text(result)).not.toContain('10.0.0.5');
      expect(logged).toEqual([expect.objectContaining({ errorId: id, tool: 'list_webhooks' })]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('missingPermission', () => {
  it('lets read_webhooks or manage_webhooks read, and only manage_webhooks manage', () => {
    expect(missingPermission(principal([Permission.ReadWebhooks]), ToolAccess.Read)).toBeNull();
    expect(missingPermission(principal([Permission.ManageWebhooks]), ToolAccess.Read)).toBeNull();
    expect(missingPermission(principal([]), ToolAccess.Read)).toBe(Permission.ReadWebhooks);
    expect(missingPermission(principal([Permission.ReadWebhooks]), ToolAccess.Manage)).toBe(Permission.ManageWebhooks);
    expect(missingPermission(principal([Permission.RevealWebhookSecrets]), ToolAccess.Manage)).toBe(
      Permission.ManageWebhooks,
    );
    expect(missingPermission(principal([Permission.ManageWebhooks]), ToolAccess.Manage)).toBeNull();
  });
});
