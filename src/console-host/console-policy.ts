/** The headers of every /console response, and the mapping of a request path to a file of the build. Pure. */

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * A strict policy: scripts, styles, images and fonts only from the service itself (no inline script or style
 * element, no eval), API calls to the service over HTTP and its graphql-ws socket, no plugins, no <base>, and
 * embedding only where CONSOLE_FRAME_ANCESTORS allows.
 */
export function contentSecurityPolicy(frameAncestors: string, host: string | undefined): string {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

export function securityHeaders(frameAncestors: string, host: string | undefined): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(frameAncestors, host),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    ...(frameAncestors === "'none'" ? { 'x-frame-options': 'DENY' } : {}),
  };
}

export type ConsoleTarget =
  { kind: 'file'; relativePath: string } | { kind: 'app' } | { kind: 'missing' } | { kind: 'refused' };

const MAX_PATH = 1024;
const SEGMENT = /^[A-Za-z0-9._~@+-]+$/;

/**
 * `rest` is the raw (still percent-encoded) path after /console. Files have an extension and live under the
 * build; `assets/` paths that match nothing are 404 (never the app: a missing script must not come back as HTML);
 * other paths are the app's history routes. Traversal (`..`, encoded slashes or backslashes, NUL) is refused.
 */
export function resolveConsolePath(rest: string, fileExists: (relativePath: string) => boolean): ConsoleTarget {
  if (rest.length > MAX_PATH) return { kind: 'refused' };
  const segments: string[] = [];
  for (const raw of rest.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { kind: 'refused' };
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return { kind: 'refused' };
    segments.push(segment);
  }
  if (segments.length === 0) return { kind: 'app' };
  const relativePath = segments.join('/');
  const looksLikeFile = /\.[A-Za-z0-9]{1,8}$/.test(segments[segments.length - 1]);
  if (looksLikeFile && segments.every((s) => SEGMENT.test(s) && !s.startsWith('.')) && fileExists(relativePath)) {
    return relativePath === 'index.html' ? { kind: 'app' } : { kind: 'file', relativePath };
  }
  if (segments[0] === 'assets' || looksLikeFile) return { kind: 'missing' };
  return { kind: 'app' };
}
