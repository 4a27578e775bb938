import { ActorType, Permission, Principal } from './principal';
import { portalUrl, sessionChannel, sessionPermissions, sessionTtlSeconds } from './portal-session-rules';

const caller = (permissions: string[]): Principal => ({
  tenantId: 't',
  actorType: ActorType.ApiKey,
  actorId: 'k',
  permissions,
});

describe('portal session rules', () => {
  it('ttl: default 3600, 60..86400 inclusive, integers only', () => {
    expect(sessionTtlSeconds(undefined)).toBe(3600);
    expect(sessionTtlSeconds(null)).toBe(3600);
    expect(sessionTtlSeconds(60)).toBe(60);
    expect(sessionTtlSeconds(86_400)).toBe(86_400);
    for (const bad of [59, 86_401, 0, -60, 60.5, Number.NaN]) {
      expect(() => sessionTtlSeconds(bad)).toThrow(
        expect.objectContaining({ reasonCode: 'PORTAL_SESSION_TTL_INVALID' }),
      );
    }
  });

  it('permissions: default manage_webhooks, deduplicated, unknown or empty is bad input, not held is forbidden', () => {
    const manage = caller([Permission.ManageWebhooks]);
    expect(sessionPermissions(manage, undefined)).toEqual([Permission.ManageWebhooks]);
    expect(sessionPermissions(manage, [Permission.ReadWebhooks, Permission.ReadWebhooks])).toEqual([
      Permission.ReadWebhooks,
    ]);
    expect(() => sessionPermissions(manage, [])).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', reasonCode: 'PORTAL_PERMISSIONS_INVALID' }),
    );
    expect(() => sessionPermissions(manage, ['root'])).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', reasonCode: 'PORTAL_PERMISSIONS_INVALID' }),
    );
    expect(() => sessionPermissions(manage, [Permission.RevealWebhookSecrets])).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', reasonCode: 'PORTAL_PERMISSION_NOT_HELD' }),
    );
    const read = caller([Permission.ReadWebhooks]);
    expect(() => sessionPermissions(read, undefined)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(sessionPermissions(read, [Permission.ReadWebhooks])).toEqual([Permission.ReadWebhooks]);
    const reveal = caller([Permission.ManageWebhooks, Permission.RevealWebhookSecrets]);
    expect(sessionPermissions(reveal, [Permission.RevealWebhookSecrets, Permission.ManageWebhooks])).toHaveLength(2);
  });

  it('channel: as endpoint channels, 1..200 characters without control characters', () => {
    expect(sessionChannel(undefined)).toBeNull();
    expect(sessionChannel('shop:42')).toBe('shop:42');
    expect(sessionChannel('x'.repeat(200))).toHaveLength(200);
    for (const bad of ['', 'x'.repeat(201), 'a\nb', 'a\u007fb']) {
      expect(() => sessionChannel(bad)).toThrow(expect.objectContaining({ reasonCode: 'PORTAL_CHANNEL_INVALID' }));
    }
  });

  it('url: the token in the fragment of <base>/console', () => {
    expect(portalUrl('https://hooks.example.com/', 'whp_abc-_')).toBe(
      'https://hooks.example.com/console#session=whp_abc-_',
    );
    expect(portalUrl('http://localhost:3000', 'whp_x')).toBe('http://localhost:3000/console#session=whp_x');
  });
});
