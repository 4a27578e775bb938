/**
 * The signed-in credential: an API key, an admin JWT or a portal session token. Kept in sessionStorage (gone when
 * the tab closes), never in a URL. A portal link carries its token in the fragment (#session=...), which never
 * reaches a server log; it is moved to sessionStorage and stripped from the address bar at once.
 */
const KEY = 'hookline.credential';
const MAX_CREDENTIAL_LENGTH = 8192;
const listeners = new Set<() => void>();
/** Why the last portal session stopped working (see endSession); cleared by a new sign-in. */
let ended: SessionEnd | null = null;

export function readCredential(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function signIn(credential: string): void {
  sessionStorage.setItem(KEY, credential.trim());
  ended = null;
  listeners.forEach((l) => l());
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  listeners.forEach((l) => l());
}

export function onCredentialChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A credential is one line of printable ASCII, bounded in size. */
export function isPlausibleCredential(value: string): boolean {
  const v = value.trim();
  return v.length > 0 && v.length <= MAX_CREDENTIAL_LENGTH && /^[\x21-\x7e]+$/.test(v);
}

/** Takes `#session=<token>` out of the fragment into sessionStorage, and removes it from the address bar. */
export function adoptFragmentSession(loc: Location = window.location, hist: History = window.history): boolean {
  const fragment = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const token = fragment.get('session');
  if (token === null) return false;
  fragment.delete('session');
  const rest = fragment.toString();
  hist.replaceState(hist.state, '', `${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
  if (!isPlausibleCredential(token)) return false;
  signIn(token);
  return true;
}

/** `?embed=1` hides the navigation chrome (the console inside a platform's page). */
export function isEmbedded(search: string = window.location.search): boolean {
  return new URLSearchParams(search).get('embed') === '1';
}

/** `?accent=%23RRGGBB`: exactly a # and six hex digits, anything else is ignored. */
export function accentFrom(search: string = window.location.search): string | null {
  const value = new URLSearchParams(search).get('accent');
  return value !== null && /^#[0-9a-fA-F]{6}$/.test(value) ? value.toLowerCase() : null;
}

/** Sets the accent through the CSSOM (no style attribute strings, which the CSP would refuse). */
export function applyAccent(accent: string | null, root: HTMLElement = document.documentElement): void {
  if (accent) root.style.setProperty('--accent', accent);
}

/** Why a portal link stopped working, as the API said it (shown instead of the console, once its credential is gone). */
export interface SessionEnd {
  reason: 'PORTAL_SESSION_EXPIRED' | 'PORTAL_SESSION_ENDED' | 'PORTAL_SESSION_INVALID';
  message: string;
  errorId?: string;
}

/** The end of a portal session: its credential is forgotten at once, and the reason kept (in memory) to show. */
export function endSession(end: SessionEnd): void {
  ended = end;
  sessionStorage.removeItem(KEY);
  listeners.forEach((l) => l());
}

export function readSessionEnd(): SessionEnd | null {
  return ended;
}

export function dismissSessionEnd(): void {
  ended = null;
  listeners.forEach((l) => l());
}
