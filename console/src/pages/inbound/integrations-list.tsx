import { useState } from 'react';
import { useQuery } from 'urql';
import { Badge } from '../../components/badges';
import { ErrorDisplay } from '../../components/error-display';
import { Pager } from '../../components/pager';
import { Link } from '../../router';
import { INTEGRATIONS, IntegrationView } from './inbound.graphql';

const PAGE_SIZE = 20;

/** The tenant's integrations (Faire, Temu, generic), each linking to its inbound events. */
export function IntegrationsList() {
  const [{ data, fetching, error }] = useQuery<{ integrations: IntegrationView[] }>({ query: INTEGRATIONS });
  const [page, setPage] = useState(0);
  const all = data?.integrations ?? [];
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const rows = all.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  return (
    <section>
      <h1>Inbound</h1>
      <p className="muted">Webhooks the providers send to Hookline, per integration.</p>
      <ErrorDisplay error={error} />
      {fetching && !data && <p role="status">Loading…</p>}
      {data && (
        <table aria-label="Integrations">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Provider</th>
              <th scope="col">State</th>
              <th scope="col">Inbound path</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No integrations yet (createIntegration in the API explorer adds one).
                </td>
              </tr>
            )}
            {rows.map((i) => (
              <tr key={i.id}>
                <th scope="row">
                  <Link to={`/inbound/${encodeURIComponent(i.id)}`}>{i.name}</Link>
                </th>
                <td>{i.provider}</td>
                <td>{i.isActive ? <Badge tone="ok">ACTIVE</Badge> : <Badge tone="off">INACTIVE</Badge>}</td>
                <td>
                  <code>{i.inboundPath}</code>
                </td>
                <td>
                  <time dateTime={i.createdAt}>{new Date(i.createdAt).toLocaleString()}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && (
        <Pager
          label="Integration pages"
          hasPrevious={current > 0}
          hasNext={current < pages - 1}
          onPrevious={() => setPage(current - 1)}
          onNext={() => setPage(current + 1)}
          pageNumber={current + 1}
        />
      )}
    </section>
  );
}
