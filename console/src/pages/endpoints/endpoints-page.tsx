import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { HealthBadge } from '../../components/badges';
import { ErrorDisplay } from '../../components/error-display';
import { Pager, useCursorStack } from '../../components/pager';
import { SecretOnce } from '../../components/secret-once';
import { Connection, EndpointSummary, PAGE_SIZE } from '../../graphql/models';
import { Link } from '../../router';
import { EndpointForm, EndpointFormValues } from './endpoint-form';
import { CREATE_ENDPOINT, ENDPOINTS } from './endpoints.graphql';

type Active = 'all' | 'active' | 'inactive';

export default function EndpointsPage() {
  const [active, setActive] = useState<Active>('all');
  const [eventType, setEventType] = useState('');
  const [channel, setChannel] = useState('');
  const cursors = useCursorStack();
  const filter = {
    ...(active === 'all' ? {} : { isActive: active === 'active' }),
    ...(eventType.trim() ? { eventType: eventType.trim() } : {}),
    ...(channel.trim() ? { channel: channel.trim() } : {}),
  };
  const [list, refetch] = useQuery<{ endpoints: Connection<EndpointSummary> }>({
    query: ENDPOINTS,
    variables: { first: PAGE_SIZE, after: cursors.after, filter },
  });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ secret: string; endpoint: EndpointSummary } | null>(null);
  const [createState, create] = useMutation<{ createEndpoint: { secret: string; endpoint: EndpointSummary } }>(
    CREATE_ENDPOINT,
  );
  const submit = async (values: EndpointFormValues) => {
    const input = { ...values, rateLimitPerSecond: values.rateLimitPerSecond ?? undefined };
    const result = await create({ input });
    if (result.data) {
      setCreated(result.data.createEndpoint);
      setCreating(false);
      refetch({ requestPolicy: 'network-only' });
    }
  };
  const onFilter = (apply: () => void) => {
    apply();
    cursors.reset();
  };
  const connection = list.data?.endpoints;
  return (
    <section>
      <h1>Endpoints</h1>
      {created && (
        <>
          <SecretOnce secret={created.secret} onDone={() => setCreated(null)} />
          <p>
            Created <Link to={`/endpoints/${created.endpoint.id}`}>{created.endpoint.url}</Link>.
          </p>
        </>
      )}
      {creating ? (
        <>
          <h2>New endpoint</h2>
          <EndpointForm
            submitLabel="Create endpoint"
            busy={createState.fetching}
            onSubmit={submit}
            onCancel={() => setCreating(false)}
          />
          <ErrorDisplay error={createState.error} />
        </>
      ) : (
        <div className="actions">
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New endpoint
          </button>
        </div>
      )}
      <form className="filters" aria-label="Filter endpoints" onSubmit={(e) => e.preventDefault()}>
        <label>
          State
          <select value={active} onChange={(e) => onFilter(() => setActive(e.target.value as Active))}>
            <option value="all">All</option>
            <option value="active">Enabled</option>
            <option value="inactive">Disabled</option>
          </select>
        </label>
        <label>
          Event type
          <input value={eventType} onChange={(e) => onFilter(() => setEventType(e.target.value))} />
        </label>
        <label>
          Channel
          <input value={channel} onChange={(e) => onFilter(() => setChannel(e.target.value))} />
        </label>
      </form>
      <ErrorDisplay error={list.error} />
      {connection && (
        <>
          <p className="muted" aria-live="polite">
            {connection.totalCount} endpoint{connection.totalCount === 1 ? '' : 's'}
          </p>
          <table>
            <caption className="visually-hidden">Endpoints</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Health</th>
                <th scope="col">State</th>
                <th scope="col">Event types</th>
                <th scope="col">Channels</th>
              </tr>
            </thead>
            <tbody>
              {connection.edges.map(({ node }) => (
                <tr key={node.id} data-testid="endpoint-row">
                  <td className="url">
                    <Link to={`/endpoints/${node.id}`}>{node.url}</Link>
                    {node.description && <div className="muted">{node.description}</div>}
                  </td>
                  <td>
                    <HealthBadge health={node.health} disableAt={node.disableAt} />
                  </td>
                  <td>{node.isActive ? 'Enabled' : 'Disabled'}</td>
                  <td>{node.eventTypes.length ? node.eventTypes.join(', ') : 'all'}</td>
                  <td>{node.channels.length ? node.channels.join(', ') : 'all'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {connection.edges.length === 0 && <p>No endpoints match.</p>}
          <Pager
            label="Endpoint pages"
            pageNumber={cursors.page}
            hasPrevious={cursors.page > 1}
            hasNext={connection.pageInfo.hasNextPage}
            onPrevious={cursors.previous}
            onNext={() => cursors.next(connection.pageInfo.endCursor)}
          />
        </>
      )}
    </section>
  );
}
