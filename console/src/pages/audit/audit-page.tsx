import { FormEvent, useState } from 'react';
import { useQuery } from 'urql';
import { ErrorDisplay } from '../../components/error-display';
import { Pager, useCursorStack } from '../../components/pager';
import { PayloadView } from '../../components/payload-view';
import { AUDIT_LOGS, AuditLogsData, KNOWN_ACTIONS } from './audit.graphql';

const PAGE_SIZE = 20;
const PREVIEW = 120;

/** A one-line preview of the metadata (the full, pretty-printed text is one click away). */
function compact(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text;
}

/** The tenant's audit log, newest first, 20 a page, filtered by action and by target id (both exact). */
export default function AuditPage() {
  const [actionText, setActionText] = useState('');
  const [targetText, setTargetText] = useState('');
  const [filter, setFilter] = useState<{ action: string | null; targetId: string | null }>({
    action: null,
    targetId: null,
  });
  const cursors = useCursorStack();
  const [{ data, fetching, error }, refetch] = useQuery<AuditLogsData>({
    query: AUDIT_LOGS,
    variables: { first: PAGE_SIZE, after: cursors.after, ...filter },
  });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter({ action: actionText.trim() || null, targetId: targetText.trim() || null });
    cursors.reset();
  };
  const edges = data?.auditLogs.edges ?? [];

  return (
    <section>
      <h1>Audit log</h1>
      <form className="filters" onSubmit={apply} aria-label="Audit log filters">
        <label>
          Action
          <input
            list="audit-actions"
            value={actionText}
            maxLength={100}
            onChange={(e) => setActionText(e.target.value)}
            placeholder="endpoint.deleted"
          />
        </label>
        <datalist id="audit-actions">
          {KNOWN_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <label>
          Target id
          <input value={targetText} maxLength={200} onChange={(e) => setTargetText(e.target.value)} />
        </label>
        <button type="submit">Apply filters</button>
        <button type="button" onClick={() => refetch({ requestPolicy: 'network-only' })}>
          Refresh
        </button>
      </form>
      <ErrorDisplay error={error} />
      {fetching && !data && <p role="status">Loading…</p>}
      {data && (
        <table aria-label="Audit log entries">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Actor</th>
              <th scope="col">Target</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {edges.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No entries match.
                </td>
              </tr>
            )}
            {edges.map(({ node }) => (
              <tr key={node.id} data-testid="audit-row">
                <td>
                  <time dateTime={node.createdAt}>{new Date(node.createdAt).toLocaleString()}</time>
                </td>
                <td>
                  <code>{node.action}</code>
                </td>
                <td>
                  {node.actorType} <code>{node.actorId}</code>
                </td>
                <td>
                  {node.targetType} {node.targetId && <code>{node.targetId}</code>}
                </td>
                <td>
                  {node.metadata !== null && node.metadata !== undefined && (
                    <details>
                      <summary>
                        <code className="muted">{compact(node.metadata)}</code>
                      </summary>
                      <PayloadView value={node.metadata} label={`Metadata of ${node.action} at ${node.createdAt}`} />
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        label="Audit log pages"
        hasPrevious={cursors.page > 1}
        hasNext={data?.auditLogs.pageInfo.hasNextPage ?? false}
        onPrevious={cursors.previous}
        onNext={() => cursors.next(data?.auditLogs.pageInfo.endCursor)}
        pageNumber={cursors.page}
      />
    </section>
  );
}
