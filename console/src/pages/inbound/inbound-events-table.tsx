import { InboundRow, SortDirection, SortField } from './inbound.graphql';
import { InboundStatusBadge } from './inbound-status-badge';

const COLUMNS: { field: SortField | null; label: string }[] = [
  { field: 'RECEIVED_AT', label: 'Received' },
  { field: 'EVENT_CODE', label: 'Event code' },
  { field: 'STATUS', label: 'Status' },
  { field: 'ATTEMPTS', label: 'Attempts' },
  { field: 'PROCESSED_AT', label: 'Processed' },
  { field: null, label: 'Last error' },
];

const when = (iso: string | null) =>
  iso ? <time dateTime={iso}>{new Date(iso).toLocaleString()}</time> : <span className="muted">—</span>;

/** One page of events: selectable rows, sortable columns (a button in each header), a click opens the payload. */
export function InboundEventsTable(props: {
  rows: InboundRow[];
  selected: Set<string>;
  onToggle: (id: string, on: boolean) => void;
  onTogglePage: (on: boolean) => void;
  sort: { field: SortField; direction: SortDirection };
  onSort: (field: SortField) => void;
  openId: string | null;
  onOpen: (id: string) => void;
}) {
  const allOnPage = props.rows.length > 0 && props.rows.every((r) => props.selected.has(r.id));
  return (
    <table aria-label="Inbound events">
      <thead>
        <tr>
          <th scope="col">
            <input
              type="checkbox"
              aria-label="Select every event on this page"
              checked={allOnPage}
              onChange={(e) => props.onTogglePage(e.target.checked)}
            />
          </th>
          {COLUMNS.map((c) => {
            const active = c.field !== null && props.sort.field === c.field;
            const ariaSort = active ? (props.sort.direction === 'ASC' ? 'ascending' : 'descending') : undefined;
            return (
              <th scope="col" key={c.label} aria-sort={ariaSort}>
                {c.field ? (
                  <button type="button" className="sort" onClick={() => c.field && props.onSort(c.field)}>
                    {c.label}
                    {active ? (props.sort.direction === 'ASC' ? ' ▲' : ' ▼') : ''}
                  </button>
                ) : (
                  c.label
                )}
              </th>
            );
          })}
          <th scope="col">Payload</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.length === 0 && (
          <tr>
            <td colSpan={COLUMNS.length + 2} className="muted">
              No events match.
            </td>
          </tr>
        )}
        {props.rows.map((r) => (
          <tr key={r.id} data-testid="inbound-row" data-id={r.id}>
            <td>
              <input
                type="checkbox"
                aria-label={`Select event ${r.id}`}
                checked={props.selected.has(r.id)}
                onChange={(e) => props.onToggle(r.id, e.target.checked)}
              />
            </td>
            <td>{when(r.receivedAt)}</td>
            <td>
              <code>{r.eventCode}</code>
            </td>
            <td>
              <InboundStatusBadge status={r.status} />
            </td>
            <td>{r.attempts}</td>
            <td>{when(r.processedAt)}</td>
            <td>{r.lastError ?? ''}</td>
            <td>
              <button
                type="button"
                aria-expanded={props.openId === r.id}
                aria-label={`Show the payload of event ${r.id}`}
                onClick={() => props.onOpen(r.id)}
              >
                Payload
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
