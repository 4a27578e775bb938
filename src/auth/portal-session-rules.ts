import {
  InvalidPortalChannelError,
  InvalidPortalPermissionsError,
  PortalPermissionNotHeldError,
  PortalSessionTtlError,
} from './auth.errors';
import { mayRead, Permission, Principal } from './principal';

export const PORTAL_TTL_MIN_SECONDS = 60;
export const PORTAL_TTL_MAX_SECONDS = 86_400;
export const PORTAL_TTL_DEFAULT_SECONDS = 3_600;
export const DEFAULT_PORTAL_PERMISSIONS: readonly Permission[] = [Permission.ManageWebhooks];
/** As endpoint channels (endpoints/endpoint-rules.ts normalizeList): 1..200 characters, no control characters. */
export const MAX_CHANNEL_LENGTH = 200;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const KNOWN = new Set<string>(Object.values(Permission));

export function sessionTtlSeconds(ttlSeconds: number | null | undefined): number {
  if (ttlSeconds == null) return PORTAL_TTL_DEFAULT_SECONDS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < PORTAL_TTL_MIN_SECONDS || ttlSeconds > PORTAL_TTL_MAX_SECONDS) {
    throw new PortalSessionTtlError(PORTAL_TTL_MIN_SECONDS, PORTAL_TTL_MAX_SECONDS);
  }
  return ttlSeconds;
}

/** Whether the caller may hand this permission on: it holds it (manage_webhooks also gives read_webhooks). */
function holds(caller: Pick<Principal, 'permissions'>, permission: string): boolean {
  if (caller.permissions.includes(permission)) return true;
  return permission === Permission.ReadWebhooks && mayRead(caller);
}

/** The session's permissions: default manage_webhooks; unknown names are bad input, ones the caller lacks FORBIDDEN. */
export function sessionPermissions(
  caller: Pick<Principal, 'permissions'>,
  requested: readonly string[] | null | undefined,
): string[] {
  const wanted = requested == null ? [...DEFAULT_PORTAL_PERMISSIONS] : [...new Set(requested)];
  if (wanted.length === 0) throw new InvalidPortalPermissionsError('must name at least one permission');
  const unknown = wanted.find((p) => !KNOWN.has(p));
  if (unknown !== undefined) {
    throw new InvalidPortalPermissionsError(
      `"${unknown.slice(0, 50)}" is not a permission; use ${[...KNOWN].join(', ')}`,
    );
  }
  const lacking = wanted.find((p) => !holds(caller, p));
  if (lacking !== undefined) throw new PortalPermissionNotHeldError(lacking);
  return wanted;
}

export function sessionChannel(channel: string | null | undefined): string | null {
  if (channel == null) return null;
  if (channel.length === 0) throw new InvalidPortalChannelError('must not be empty; omit it for every channel');
  if (channel.length > MAX_CHANNEL_LENGTH) {
    throw new InvalidPortalChannelError(`must be at most ${MAX_CHANNEL_LENGTH} characters`);
  }
  if (CONTROL_CHARS.test(channel)) throw new InvalidPortalChannelError('must not contain control characters');
  return channel;
}

/** `<base>/console#session=<token>`: the token is in the fragment, which browsers never send to a server. */
export function portalUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/console#session=${encodeURIComponent(token)}`;
}
