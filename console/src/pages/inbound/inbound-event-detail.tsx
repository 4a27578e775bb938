import { useMutation, useQuery } from 'urql';
import { ErrorDisplay } from '../../components/error-display';
import { PayloadView } from '../../components/payload-view';
import { INBOUND_EVENT, InboundEventFull, PROCESS_ONE, REPROCESS_ONE } from './inbound.graphql';
import { InboundStatusBadge } from './inbound-status-badge';

/**
 * One event: the raw payload and the (redacted) request headers as text, never HTML; and the per-event actions.
 * "Process" runs a PENDING, FAILED or SKIPPED event once; "Reprocess" forces any event through again.
 */
export function InboundEventDetail(props: { id: string; onChanged: () => void; onClose: () => void }) {
  const [{ data, fetching, error }, refetch] = useQuery<{ inboundEvent: InboundEventFull | null }>({
    query: INBOUND_EVENT,
    variables: { id: props.id },
    requestPolicy: 'network-only',
  });
  const [processState, processOne] = useMutation(PROCESS_ONE);
  const [reprocessState, reprocessOne] = useMutation(REPROCESS_ONE);
  const event = data?.inboundEvent;
  const after = (ok: boolean) => {
    if (!ok) return;
    refetch({ requestPolicy: 'network-only' });
    props.onChanged();
  };
  return (
    <section className="panel" aria-label={`Event ${props.id}`}>
      <h2>Event {event?.eventCode ?? ''}</h2>
      <ErrorDisplay error={error ?? processState.error ?? reprocessState.error} />
      {fetching && !data && <p role="status">Loading…</p>}
      {data && !event && <p>This event no longer exists.</p>}
      {event && (
        <>
          <dl className="cards">
            <div className="card">
              <dt>Status</dt>
              <dd>
                <InboundStatusBadge status={event.status} />
              </dd>
            </div>
            <div className="card">
              <dt>Attempts</dt>
              <dd>{event.attempts}</dd>
            </div>
            <div className="card">
              <dt>External id</dt>
              <dd>{event.externalId ?? '—'}</dd>
            </div>
            <div className="card">
              <dt>Produced event</dt>
              <dd>{event.producedEventId ?? '—'}</dd>
            </div>
          </dl>
          {event.lastError && (
            <p className="error">
              Last error: <span data-testid="last-error">{event.lastError}</span>
            </p>
          )}
          <h3>Raw payload</h3>
          <PayloadView value={event.jsonData} label="Raw payload" />
          <h3>Headers</h3>
          <PayloadView value={event.headers ?? {}} label="Request headers" />
          <div className="actions">
            <button
              type="button"
              disabled={processState.fetching}
              onClick={async () => after(!(await processOne({ id: event.id })).error)}
            >
              Process this event
            </button>
            <button
              type="button"
              disabled={reprocessState.fetching}
              onClick={async () => after(!(await reprocessOne({ id: event.id })).error)}
            >
              Reprocess this event
            </button>
            <button type="button" onClick={props.onClose}>
              Close
            </button>
          </div>
        </>
      )}
    </section>
  );
}
