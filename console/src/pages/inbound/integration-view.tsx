import { useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { Badge } from '../../components/badges';
import { ErrorDisplay } from '../../components/error-display';
import { Pager, useCursorStack } from '../../components/pager';
import { Link } from '../../router';
import {
  EventFilter,
  INBOUND_EVENT_UPDATED,
  INBOUND_EVENTS,
  InboundRow,
  InboundStats,
  INTEGRATION,
  IntegrationView as Integration,
  PROCESS_PENDING,
  ProcessCounts,
  RETRY_FAILED,
  SortDirection,
  SortField,
} from './inbound.graphql';
import { InboundBulkActions } from './inbound-bulk-actions';
import { InboundEventDetail } from './inbound-event-detail';
import { InboundEventsTable } from './inbound-events-table';
import { InboundFilters } from './inbound-filters';
import { InboundStatsCards } from './inbound-stats-cards';
import { TemuSubscriptions } from './temu-subscriptions';

const PAGE_SIZE = 20;

interface EventsData {
  inboundEvents: {
    totalCount: number;
    edges: { cursor: string; node: InboundRow }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const countsText = (c: ProcessCounts) => `${c.processed} processed, ${c.failed} failed, ${c.skipped} skipped.`;

/** One integration: its status cards, actions, events (filtered, sorted, paged) and, for Temu, its subscriptions. */
export function IntegrationView({ integrationId }: { integrationId: string }) {
  const [filter, setFilter] = useState<EventFilter>({ integrationId });
  const [sort, setSort] = useState<{ field: SortField; direction: SortDirection }>({
    field: 'RECEIVED_AT',
    direction: 'DESC',
  });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [openId, setOpenId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const cursors = useCursorStack();
  const [head, refetchHead] = useQuery<{ integration: Integration | null; inboundEventStats: InboundStats }>({
    query: INTEGRATION,
    variables: { id: integrationId },
  });
  const [events, refetchEvents] = useQuery<EventsData>({
    query: INBOUND_EVENTS,
    variables: { filter, orderBy: sort, first: PAGE_SIZE, after: cursors.after },
  });
  // Live: a status change of any of the integration's events refreshes the cards (the table on request).
  useSubscription({ query: INBOUND_EVENT_UPDATED, variables: { id: integrationId } }, () => {
    refetchHead({ requestPolicy: 'network-only' });
    return null;
  });
  const [pendingState, processPending] = useMutation<{ processPendingInboundEvents: ProcessCounts }>(PROCESS_PENDING);
  const [retryState, retryFailed] = useMutation<{ retryFailedInboundEvents: ProcessCounts }>(RETRY_FAILED);

  const refresh = () => {
    refetchHead({ requestPolicy: 'network-only' });
    refetchEvents({ requestPolicy: 'network-only' });
  };
  const changed = () => {
    setSelected(new Set());
    refresh();
  };
  const rows = events.data?.inboundEvents.edges.map((e) => e.node) ?? [];
  const integration = head.data?.integration;

  if (head.data && !integration) {
    return (
      <section>
        <h1>Integration not found</h1>
        <p>
          No integration {integrationId} here. <Link to="/inbound">Back to the integrations</Link>.
        </p>
      </section>
    );
  }
  return (
    <section>
      <p>
        <Link to="/inbound">← Integrations</Link>
      </p>
      <h1>{integration ? `${integration.name} (${integration.provider})` : 'Integration'}</h1>
      {integration && (
        <p>
          {integration.isActive ? <Badge tone="ok">ACTIVE</Badge> : <Badge tone="off">INACTIVE</Badge>} Webhooks arrive
          at <code>{integration.inboundPath}</code>
        </p>
      )}
      <ErrorDisplay error={head.error} />
      {head.data && <InboundStatsCards stats={head.data.inboundEventStats} />}
      <div className="toolbar">
        <button
          type="button"
          disabled={pendingState.fetching}
          onClick={async () => {
            const res = await processPending({ id: integrationId });
            if (res.data) setNotice(`Process pending: ${countsText(res.data.processPendingInboundEvents)}`);
            refresh();
          }}
        >
          Process pending
        </button>
        <button
          type="button"
          disabled={retryState.fetching}
          onClick={async () => {
            const res = await retryFailed({ id: integrationId });
            if (res.data) setNotice(`Retry failed: ${countsText(res.data.retryFailedInboundEvents)}`);
            refresh();
          }}
        >
          Retry failed
        </button>
        <button type="button" onClick={refresh}>
          Refresh
        </button>
      </div>
      <ErrorDisplay error={pendingState.error ?? retryState.error} />
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <h2>Events</h2>
      <InboundFilters
        integrationId={integrationId}
        onApply={(f) => {
          setFilter(f);
          setSelected(new Set());
          cursors.reset();
        }}
      />
      <InboundBulkActions integrationId={integrationId} selected={[...selected]} filter={filter} onChanged={changed} />
      <ErrorDisplay error={events.error} />
      {events.data && (
        <p className="muted" data-testid="events-total">
          {events.data.inboundEvents.totalCount} matching event{events.data.inboundEvents.totalCount === 1 ? '' : 's'}
        </p>
      )}
      <InboundEventsTable
        rows={rows}
        selected={selected}
        onToggle={(id, on) =>
          setSelected((cur) => {
            const next = new Set(cur);
            if (on) next.add(id);
            else next.delete(id);
            return next;
          })
        }
        onTogglePage={(on) =>
          setSelected((cur) => {
            const next = new Set(cur);
            rows.forEach((r) => (on ? next.add(r.id) : next.delete(r.id)));
            return next;
          })
        }
        sort={sort}
        onSort={(field) => {
          setSort((cur) => ({
            field,
            direction: cur.field === field && cur.direction === 'DESC' ? 'ASC' : 'DESC',
          }));
          cursors.reset();
        }}
        openId={openId}
        onOpen={(id) => setOpenId(openId === id ? null : id)}
      />
      <Pager
        label="Event pages"
        hasPrevious={cursors.page > 1}
        hasNext={events.data?.inboundEvents.pageInfo.hasNextPage ?? false}
        onPrevious={cursors.previous}
        onNext={() => cursors.next(events.data?.inboundEvents.pageInfo.endCursor)}
        pageNumber={cursors.page}
      />
      {openId && <InboundEventDetail key={openId} id={openId} onChanged={refresh} onClose={() => setOpenId(null)} />}
      {integration?.provider === 'temu' && <TemuSubscriptions integrationId={integrationId} />}
    </section>
  );
}
