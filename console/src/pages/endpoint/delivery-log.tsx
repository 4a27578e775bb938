import { useEffect, useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { StatusBadge, Badge, DeliveryStatus } from '../../components/badges';
import { ErrorDisplay } from '../../components/error-display';
import { Pager, useCursorStack } from '../../components/pager';
import { Connection, DELIVERY_STATUSES, DeliveryRow, formatDate, PAGE_SIZE } from '../../graphql/models';
import { Link } from '../../router';
import { DELIVERIES, DELIVERY_UPDATED } from './endpoint.graphql';

const TERMINAL = new Set<DeliveryStatus>(['SUCCEEDED', 'FAILED', 'DEAD_LETTER']);

/** datetime-local text ("2026-12-02T10:30") → ISO, or undefined when empty or invalid. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const t = new Date(local).getTime();
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * The endpoint's deliveries, newest first, a page at a time. Live: `deliveryUpdated` changes the statuses of the
 * rows in view, and on the first page adds the new deliveries that match the filters, without a reload.
 */
export function DeliveryLog({ endpointId, onSettled }: { endpointId: string; onSettled: () => void }) {
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const [eventType, setEventType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const cursors = useCursorStack();
  const filter = {
    endpointId,
    ...(status ? { status: [status] } : {}),
    ...(eventType.trim() ? { eventType: eventType.trim() } : {}),
    ...(toIso(from) ? { after: toIso(from) } : {}),
    ...(toIso(to) ? { before: toIso(to) } : {}),
  };
  const [page] = useQuery<{ deliveries: Connection<DeliveryRow> }>({
    query: DELIVERIES,
    variables: { first: PAGE_SIZE, after: cursors.after, filter },
  });
  const [live] = useSubscription<{ deliveryUpdated: DeliveryRow }, Map<string, DeliveryRow>>(
    { query: DELIVERY_UPDATED, variables: { endpointId } },
    (seen = new Map(), data) => {
      const next = new Map(seen);
      const d = data.deliveryUpdated;
      const known = next.get(d.id);
      if (!known || known.updatedAt <= d.updatedAt) next.set(d.id, d);
      return next;
    },
  );
  const updates = live.data;
  useEffect(() => {
    if (updates && [...updates.values()].some((d) => TERMINAL.has(d.status))) onSettled();
  }, [updates, onSettled]);

  const rows = useMemo(() => {
    const fetched = page.data?.deliveries.edges.map((e) => e.node) ?? [];
    const merged = fetched.map((row) => {
      const u = updates?.get(row.id);
      return u && u.updatedAt >= row.updatedAt ? u : row;
    });
    if (cursors.page !== 1 || !updates) return merged;
    const inView = new Set(fetched.map((r) => r.id));
    const newest = fetched[0]?.createdAt ?? '';
    const matches = (d: DeliveryRow) =>
      (!status || d.status === status) &&
      (!eventType.trim() || d.eventType === eventType.trim()) &&
      (!toIso(from) || d.createdAt >= (toIso(from) as string)) &&
      (!toIso(to) || d.createdAt < (toIso(to) as string));
    const fresh = [...updates.values()]
      .filter((d) => !inView.has(d.id) && d.createdAt >= newest && matches(d))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    return [...fresh, ...merged].filter((d) => !status || d.status === status);
  }, [page.data, updates, cursors.page, status, eventType, from, to]);

  const change = (apply: () => void) => {
    apply();
    cursors.reset();
  };
  const info = page.data?.deliveries.pageInfo;
  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title">Delivery log</h2>
      <p className="muted" role="status">
        {live.error ? 'Live updates stopped.' : 'Live: new deliveries and status changes appear here.'}
      </p>
      <ErrorDisplay error={live.error} />
      <form className="filters" aria-label="Filter deliveries" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={status} onChange={(e) => change(() => setStatus(e.target.value as DeliveryStatus | ''))}>
            <option value="">Any</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Event type
          <input value={eventType} onChange={(e) => change(() => setEventType(e.target.value))} />
        </label>
        <label>
          From
          <input type="datetime-local" value={from} onChange={(e) => change(() => setFrom(e.target.value))} />
        </label>
        <label>
          To
          <input type="datetime-local" value={to} onChange={(e) => change(() => setTo(e.target.value))} />
        </label>
      </form>
      <ErrorDisplay error={page.error} />
      <table>
        <caption className="visually-hidden">Deliveries</caption>
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Event type</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last response</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} data-testid="delivery-row" data-delivery-id={d.id} data-status={d.status}>
              <td>{formatDate(d.createdAt)}</td>
              <td>
                {d.eventType} {d.isTest && <Badge tone="info">test</Badge>}
                {d.replayOfId && <Badge tone="info">replay</Badge>}
              </td>
              <td>
                <StatusBadge status={d.status} />
              </td>
              <td>{d.attemptCount}</td>
              <td>
                {d.lastResponseStatus ?? d.lastError ?? '—'}
                {d.lastResponseTimeMs !== null && ` · ${d.lastResponseTimeMs} ms`}
              </td>
              <td>
                <Link to={`/deliveries/${d.id}`}>
                  Open<span className="visually-hidden"> delivery {d.id}</span>
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.data && rows.length === 0 && <p>No deliveries match.</p>}
      {info && (
        <Pager
          label="Delivery pages"
          pageNumber={cursors.page}
          hasPrevious={cursors.page > 1}
          hasNext={info.hasNextPage}
          onPrevious={cursors.previous}
          onNext={() => cursors.next(info.endCursor)}
        />
      )}
    </section>
  );
}
