import { useEffect } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { Badge, StatusBadge } from '../../components/badges';
import { ErrorDisplay } from '../../components/error-display';
import { PayloadView } from '../../components/payload-view';
import { formatDate } from '../../graphql/models';
import { isNotFound } from '../../graphql/client';
import { Link, navigate } from '../../router';
import { DELIVERY, DELIVERY_CHANGED, DeliveryDetail, REPLAY } from './delivery.graphql';

const REPLAYABLE = new Set(['FAILED', 'DEAD_LETTER']);

/** One delivery: the payload as sent, its attempts as a timeline, and replay (FAILED and DEAD_LETTER only). */
export default function DeliveryPage({ params }: { params: Record<string, string> }) {
  const id = params.id;
  const [result, refetch] = useQuery<{ delivery: DeliveryDetail | null }>({ query: DELIVERY, variables: { id } });
  const d = result.data?.delivery;
  const [live] = useSubscription<{ deliveryUpdated: { id: string; status: string; updatedAt: string } }>({
    query: DELIVERY_CHANGED,
    variables: { endpointId: d?.endpointId },
    pause: !d,
  });
  const change = live.data?.deliveryUpdated;
  useEffect(() => {
    if (change && change.id === id) refetch({ requestPolicy: 'network-only' });
  }, [change, id, refetch]);
  const [replay, runReplay] = useMutation<{ replayDelivery: { id: string } }>(REPLAY);

  if (result.error && !isNotFound(result.error))
    return (
      <section>
        <h1>Delivery</h1>
        <ErrorDisplay error={result.error} />
      </section>
    );
  if (!result.data && !result.error) return <p role="status">Loading…</p>;
  if (!d)
    return (
      <section>
        <h1>Delivery not found</h1>
        <p>
          No delivery <code>{id}</code> is visible to this credential. <Link to="/">Back to the endpoints</Link>.
        </p>
      </section>
    );
  const canReplay = REPLAYABLE.has(d.status);
  return (
    <section>
      <p>
        <Link to={`/endpoints/${d.endpointId}`}>← Endpoint</Link>
      </p>
      <h1>Delivery of {d.eventType}</h1>
      <p>
        <StatusBadge status={d.status} /> {d.isTest && <Badge tone="info">test</Badge>} {d.attemptCount} attempt
        {d.attemptCount === 1 ? '' : 's'} · created {formatDate(d.createdAt)}
        {d.nextAttemptAt && ` · next attempt ${formatDate(d.nextAttemptAt)}`}
      </p>
      <dl className="cards">
        <div className="card">
          <dt>Delivery id</dt>
          <dd className="secret">{d.id}</dd>
        </div>
        <div className="card">
          <dt>Event id</dt>
          <dd className="secret">{d.eventId}</dd>
        </div>
        {d.replayOfId && (
          <div className="card">
            <dt>Replay of</dt>
            <dd>
              <Link to={`/deliveries/${d.replayOfId}`}>the original delivery</Link>
            </dd>
          </div>
        )}
      </dl>
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!canReplay || replay.fetching}
          aria-describedby="replay-help"
          onClick={async () => {
            const r = await runReplay({ id: d.id });
            if (r.data) navigate(`/deliveries/${r.data.replayDelivery.id}`);
          }}
        >
          Replay
        </button>
        <span id="replay-help" className="muted">
          {canReplay
            ? 'Sends the same payload again as a new delivery.'
            : 'Only FAILED and DEAD_LETTER deliveries can be replayed.'}
        </span>
      </div>
      <ErrorDisplay error={replay.error} />

      <h2>Payload as sent</h2>
      <PayloadView value={d.payload} label="Payload as sent" />

      <h2>Attempts</h2>
      {d.attempts.length === 0 ? (
        <p>No attempt yet.</p>
      ) : (
        <ol className="timeline" aria-label="Attempts">
          {d.attempts.map((a) => (
            <li key={a.id} data-testid="attempt">
              <p>
                <strong>Attempt {a.attemptNumber}</strong> ·{' '}
                <time dateTime={a.startedAt}>{formatDate(a.startedAt)}</time> ·{' '}
                <Badge tone={a.responseStatus !== null && a.responseStatus < 300 ? 'ok' : 'bad'}>
                  {a.responseStatus !== null ? `HTTP ${a.responseStatus}` : 'no response'}
                </Badge>
                {a.responseTimeMs !== null && ` · ${a.responseTimeMs} ms`}
              </p>
              {a.error && <PayloadView value={a.error} label={`Error of attempt ${a.attemptNumber}`} />}
              {a.responseBody !== null && (
                <PayloadView value={a.responseBody} label={`Response body of attempt ${a.attemptNumber}`} />
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
