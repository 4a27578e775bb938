import { FormEvent, useState } from 'react';
import { EventFilter, InboundStatus, STATUSES } from './inbound.graphql';

/** A datetime-local value ("2026-12-02T10:30") as an ISO instant, in the browser's zone; undefined when empty. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The events filter: statuses, event code, and a received-at range. Applied on submit. */
export function InboundFilters(props: { integrationId: string; onApply: (filter: EventFilter) => void }) {
  const [statuses, setStatuses] = useState<InboundStatus[]>([]);
  const [eventCode, setEventCode] = useState('');
  const [after, setAfter] = useState('');
  const [before, setBefore] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onApply({
      integrationId: props.integrationId,
      ...(statuses.length ? { status: statuses } : {}),
      ...(eventCode.trim() ? { eventCode: eventCode.trim() } : {}),
      ...(toIso(after) ? { receivedAfter: toIso(after) } : {}),
      ...(toIso(before) ? { receivedBefore: toIso(before) } : {}),
    });
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Event filters">
      <fieldset>
        <legend>Status</legend>
        {STATUSES.map((s) => (
          <label key={s}>
            <input
              type="checkbox"
              checked={statuses.includes(s)}
              onChange={(e) => setStatuses((cur) => (e.target.checked ? [...cur, s] : cur.filter((x) => x !== s)))}
            />{' '}
            {s}
          </label>
        ))}
      </fieldset>
      <label>
        Event code
        <input value={eventCode} maxLength={200} onChange={(e) => setEventCode(e.target.value)} />
      </label>
      <label>
        Received after
        <input type="datetime-local" value={after} onChange={(e) => setAfter(e.target.value)} />
      </label>
      <label>
        Received before
        <input type="datetime-local" value={before} onChange={(e) => setBefore(e.target.value)} />
      </label>
      <button type="submit">Apply filters</button>
    </form>
  );
}
