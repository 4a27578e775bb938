import { ComponentType, lazy } from 'react';

/**
 * The route table: every page of the console, in the order the navigation shows them. A page is a component that
 * receives the route's parameters. See CONTRIBUTING-PAGES.md to add one.
 */
export interface RouteDef {
  /** A pattern like "/endpoints/:id", relative to /console. */
  pattern: string;
  /** Shown in the navigation when set (parameterless routes only). */
  nav?: string;
  title: string;
  /**
   * A tenant-wide page (inbound, the audit log): a portal session limited to a channel is refused its operations
   * (OUTSIDE_CHANNEL_SCOPE), so the console leaves it out of the navigation and explains instead of rendering it.
   */
  tenantWide?: boolean;
  page: ComponentType<{ params: Record<string, string> }>;
}

const EndpointsPage = lazy(() => import('./pages/endpoints/endpoints-page'));
const EndpointPage = lazy(() => import('./pages/endpoint/endpoint-page'));
const DeliveryPage = lazy(() => import('./pages/delivery/delivery-page'));
const EventTypesPage = lazy(() => import('./pages/event-types/event-types-page'));
const InboundPage = lazy(() => import('./pages/inbound/inbound-page'));
const AuditPage = lazy(() => import('./pages/audit/audit-page'));
const GraphiqlPage = lazy(() => import('./pages/graphiql/graphiql-page'));

export const ROUTES: RouteDef[] = [
  { pattern: '/', nav: 'Endpoints', title: 'Endpoints', page: EndpointsPage },
  { pattern: '/endpoints/:id', title: 'Endpoint', page: EndpointPage },
  { pattern: '/deliveries/:id', title: 'Delivery', page: DeliveryPage },
  { pattern: '/event-types', nav: 'Event catalog', title: 'Event catalog', page: EventTypesPage },
  { pattern: '/inbound', nav: 'Inbound', title: 'Inbound', tenantWide: true, page: InboundPage },
  { pattern: '/inbound/:integrationId', title: 'Integration', tenantWide: true, page: InboundPage },
  { pattern: '/audit', nav: 'Audit log', title: 'Audit log', tenantWide: true, page: AuditPage },
  { pattern: '/graphiql', nav: 'API explorer', title: 'API explorer', page: GraphiqlPage },
];

/** The route matching a path, with its decoded parameters; null when none does. */
export function matchRoute(path: string): { route: RouteDef; params: Record<string, string> } | null {
  const parts = path.split('/').filter(Boolean);
  for (const route of ROUTES) {
    const pattern = route.pattern.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((p, i) => {
      if (p.startsWith(':')) {
        try {
          params[p.slice(1)] = decodeURIComponent(parts[i]);
          return true;
        } catch {
          return false;
        }
      }
      return p === parts[i];
    });
    if (ok) return { route, params };
  }
  return null;
}
