export enum Permission {
  ManageWebhooks = 'manage_webhooks',
}

export enum ActorType {
  User = 'user',
  ApiKey = 'api_key',
  System = 'system',
}

/** Who is calling: always bound to exactly one tenant. */
export interface Principal {
  tenantId: string;
  actorType: ActorType;
  actorId: string;
  permissions: string[];
  /** Set for API-key principals: lets a revocation close live subscriptions. */
  apiKeyId?: string;
}

export function systemPrincipal(tenantId: string, actorId = 'hookline'): Principal {
  return { tenantId, actorType: ActorType.System, actorId, permissions: [] };
}
