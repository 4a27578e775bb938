import { createHash } from 'node:crypto';

export enum Permission {
  ManageWebhooks = 'manage_webhooks',
  /** Every query, subscription and read-only agent tool, and nothing else. */
  ReadWebhooks = 'read_webhooks',
  /** Granted explicitly, on top of manage_webhooks: reveal an endpoint's current signing secret. */
  RevealWebhookSecrets = 'reveal_webhook_secrets',
}

export enum ActorType {
  User = 'user',
  ApiKey = 'api_key',
  System = 'system',
  /** A portal session (createPortalSession): actorId is the session's id. */
  PortalSession = 'portal_session',
}

/** Who is calling: always bound to exactly one tenant. */
export interface Principal {
  tenantId: string;
  actorType: ActorType;
  actorId: string;
  permissions: string[];
  /** Set for API-key principals: lets a revocation close live subscriptions. */
  apiKeyId?: string;
  /**
   * Set for a portal session limited to one channel: it sees and creates only endpoints whose channels contain it
   * (an endpoint with no channels belongs to the platform, not to the shop), and only @ChannelScoped operations.
   */
  channel?: string | null;
  /** Set for portal-session principals. */
  portalSession?: PortalSessionInfo;
}

export interface PortalSessionInfo {
  id: string;
  expiresAt: Date;
  /** The API key that created it: its revocation ends the session. Null when an admin JWT created it. */
  createdByApiKeyId: string | null;
}

/** Which endpoints a caller reaches: all of its tenant's (ALL_CHANNELS), or only those of one channel. */
export type ChannelScope = string | null;
export const ALL_CHANNELS = null;

export function channelScope(principal: Pick<Principal, 'channel'>): ChannelScope {
  return principal.channel ?? ALL_CHANNELS;
}

export function systemPrincipal(tenantId: string, actorId = 'hookline'): Principal {
  return { tenantId, actorType: ActorType.System, actorId, permissions: [] };
}

/** A read (query, subscription, read-only tool) of what manage_webhooks guards: read_webhooks is enough. */
export function mayRead(principal: Pick<Principal, 'permissions'>): boolean {
  const { permissions } = principal;
  return permissions.includes(Permission.ManageWebhooks) || permissions.includes(Permission.ReadWebhooks);
}

/**
 * One credential, as the rate limiter counts it: an API key (whatever its actor), else an actor of a tenant (an
 * admin JWT's subject, so a fresh token of the same subject shares its budget; a portal session by its id once
 * it has its actor type). Hashed: subjects are free text of any length.
 */
export function credentialKey(principal: Principal): string {
  const parts = principal.apiKeyId
    ? [ActorType.ApiKey, principal.apiKeyId]
    : [principal.actorType, principal.tenantId, principal.actorId];
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}
