import { AnchorHTMLAttributes, MouseEvent, ReactNode, useSyncExternalStore } from 'react';

/** A small history router: the console's paths all live under /console (the server answers each with the app). */
export const BASE = '/console';
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** The path inside the console ("/", "/endpoints/abc"), without the base. */
export function currentPath(): string {
  const path = window.location.pathname;
  const inner = path.startsWith(BASE) ? path.slice(BASE.length) : path;
  return inner === '' ? '/' : inner;
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

/** The query string is kept across navigation: ?embed=1 and ?accent= hold for the whole visit. */
export function href(path: string): string {
  return `${BASE}${path === '/' ? '' : path}${window.location.search}`;
}

export function navigate(path: string): void {
  window.history.pushState(null, '', href(path));
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

export function Link(props: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const { to, children, ...rest } = props;
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={href(to)} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
