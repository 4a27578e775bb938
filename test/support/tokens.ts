import { sign } from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config/app-config';
import { applyTestEnv } from './test-env';

export const MANAGE = ['manage_webhooks'];

export function newTenantId(): string {
  return `t-${randomUUID()}`;
}

/** An admin JWT as an identity provider would mint it (HS256 with AUTH_JWT_SECRET). */
export function adminToken(opts: {
  tenantId: string;
  permissions?: string[];
  sub?: string;
  expiresInSec?: number;
  secret?: string;
}): string {
  applyTestEnv();
  const secret = opts.secret ?? loadConfig().jwtSecret;
  const now = Math.floor(Date.now() / 1000);
  return sign(
    {
      sub: opts.sub ?? 'admin@example.com',
      tenant_id: opts.tenantId,
      permissions: opts.permissions ?? MANAGE,
      iat: now,
      exp: now + (opts.expiresInSec ?? 3600),
    },
    secret,
    { algorithm: 'HS256' },
  );
}

/** A tenant of a test: a fresh id and an admin token for it. */
export interface Tenant {
  id: string;
  token: string;
}

export function tenant(): Tenant {
  const id = newTenantId();
  return { id, token: adminToken({ tenantId: id }) };
}
