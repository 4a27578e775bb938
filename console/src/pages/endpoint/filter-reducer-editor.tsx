import { useState } from 'react';
import { CombinedError, useClient, useMutation, useQuery } from 'urql';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorDisplay } from '../../components/error-display';
import { PayloadView } from '../../components/payload-view';
import {
  DELETE_FILTER_REDUCER,
  EVENT_TYPE_SAMPLE,
  EVENT_TYPES,
  FilterConfig,
  SAVE_FILTER_REDUCER,
  VALIDATE_FILTER,
  VALIDATE_REDUCER,
} from './endpoint.graphql';

const MAX_TEXT = 100_000;
const FILTER_EXAMPLE = '{ "query": "$.order.total", "condition": "(value) => value > 100" }';

interface Outcome {
  /** The texts that were validated: saving is allowed only while they are unchanged. */
  key: string;
  filter?: { success: boolean; filterResult: boolean | null; message: string | null };
  reducer?: { success: boolean; reducerResult: unknown; message: string | null };
}

function parseJson(label: string, text: string): { value?: unknown; problem?: string } {
  if (!text.trim()) return {};
  if (text.length > MAX_TEXT) return { problem: `${label}: at most ${MAX_TEXT} characters.` };
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { problem: `${label} is not valid JSON: ${(e as Error).message}` };
  }
}

const pretty = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v, null, 2));

/**
 * Type a filter tree and a reducer for one event type, validate them against the type's sample or pasted data
 * (validateFilter / validateReducer), read the explanation, then save. Saving needs a successful validation of
 * exactly the texts being saved.
 */
export function FilterReducerEditor({
  endpointId,
  configs,
  onSaved,
}: {
  endpointId: string;
  configs: FilterConfig[];
  onSaved: () => void;
}) {
  const client = useClient();
  const [types] = useQuery<{ eventTypes: { name: string }[] }>({ query: EVENT_TYPES });
  const [eventType, setEventType] = useState('');
  const [filterText, setFilterText] = useState('');
  const [reducerText, setReducerText] = useState('');
  const [sampleText, setSampleText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [apiError, setApiError] = useState<CombinedError | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [save, runSave] = useMutation(SAVE_FILTER_REDUCER);
  const [remove, runRemove] = useMutation(DELETE_FILTER_REDUCER);
  const key = JSON.stringify([eventType, filterText, reducerText]);

  const loadSample = async () => {
    setProblem(null);
    if (!eventType.trim()) return setProblem('Choose an event type first.');
    const r = await client
      .query(EVENT_TYPE_SAMPLE, { name: eventType.trim() }, { requestPolicy: 'network-only' })
      .toPromise();
    setApiError(r.error ?? null);
    if (r.data?.eventType) setSampleText(pretty(r.data.eventType.samplePayload));
    else if (!r.error) setProblem(`No event type named ${eventType.trim()}.`);
  };

  const validate = async () => {
    setProblem(null);
    setApiError(null);
    setOutcome(null);
    const filter = parseJson('The filter', filterText);
    const reducer = parseJson('The reducer', reducerText);
    const sample = parseJson('The sample data', sampleText);
    const first = filter.problem ?? reducer.problem ?? sample.problem;
    if (first) return setProblem(first);
    if (!eventType.trim()) return setProblem('Choose the event type this filter applies to.');
    if (filter.value === undefined && reducer.value === undefined)
      return setProblem('Type a filter, a reducer, or both.');
    if (sample.value === undefined) return setProblem('Give sample data: load the type’s sample or paste a payload.');
    setBusy(true);
    try {
      const next: Outcome = { key };
      if (filter.value !== undefined) {
        const r = await client
          .query(
            VALIDATE_FILTER,
            { input: { filter: filter.value, sampleData: sample.value } },
            { requestPolicy: 'network-only' },
          )
          .toPromise();
        if (r.error) return setApiError(r.error);
        next.filter = r.data.validateFilter;
      }
      if (reducer.value !== undefined) {
        const r = await client
          .query(
            VALIDATE_REDUCER,
            { input: { reducer: reducer.value, sampleData: sample.value } },
            { requestPolicy: 'network-only' },
          )
          .toPromise();
        if (r.error) return setApiError(r.error);
        next.reducer = r.data.validateReducer;
      }
      setOutcome(next);
    } finally {
      setBusy(false);
    }
  };

  const valid =
    outcome !== null && outcome.key === key && (outcome.filter?.success ?? true) && (outcome.reducer?.success ?? true);

  const submit = async () => {
    const filter = parseJson('The filter', filterText).value;
    const reducer = parseJson('The reducer', reducerText).value;
    const r = await runSave({ endpointId, input: { eventType: eventType.trim(), filter, reducer } });
    if (!r.error) {
      setOutcome(null);
      onSaved();
    }
  };

  const edit = (c: FilterConfig) => {
    setEventType(c.eventType);
    setFilterText(pretty(c.filter));
    setReducerText(pretty(c.reducer));
    setOutcome(null);
  };

  return (
    <section aria-labelledby="filters-title">
      <h2 id="filters-title">Filters and reducers</h2>
      {configs.length > 0 ? (
        <table>
          <caption className="visually-hidden">Saved filters and reducers</caption>
          <thead>
            <tr>
              <th scope="col">Event type</th>
              <th scope="col">Filter</th>
              <th scope="col">Reducer</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {configs.map((c) => (
              <tr key={c.id}>
                <td>{c.eventType}</td>
                <td>
                  <PayloadView value={c.filter ?? 'none'} label={`Filter for ${c.eventType}`} />
                </td>
                <td>
                  <PayloadView value={c.reducer ?? 'none'} label={`Reducer for ${c.eventType}`} />
                </td>
                <td>
                  <div className="actions">
                    <button type="button" onClick={() => edit(c)} aria-label={`Edit the filter for ${c.eventType}`}>
                      Edit
                    </button>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => setDeleting(c.eventType)}
                      aria-label={`Delete the filter for ${c.eventType}`}
                    >
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No filter: every event of the endpoint’s types is delivered as published.</p>
      )}
      <div className="panel">
        <div className="toolbar">
          <label>
            Event type
            <input
              value={eventType}
              onChange={(e) => setEventType(e.target.value)}
              list="filter-event-types"
              maxLength={200}
            />
          </label>
          <datalist id="filter-event-types">
            {types.data?.eventTypes.map((t) => (
              <option key={t.name} value={t.name} />
            ))}
          </datalist>
          <button type="button" onClick={loadSample}>
            Use the type’s sample
          </button>
        </div>
        <div className="grid2">
          <label className="block">
            Filter (JSON condition tree)
            <textarea
              rows={8}
              value={filterText}
              onChange={(e) => setFilterText(e.target.value)}
              placeholder={FILTER_EXAMPLE}
              spellCheck={false}
            />
          </label>
          <label className="block">
            Reducer (JSON object of JSONPaths)
            <textarea
              rows={8}
              value={reducerText}
              onChange={(e) => setReducerText(e.target.value)}
              placeholder='{ "orderId": "$.order.id" }'
              spellCheck={false}
            />
          </label>
        </div>
        <label className="block">
          Sample data (JSON)
          <textarea rows={8} value={sampleText} onChange={(e) => setSampleText(e.target.value)} spellCheck={false} />
        </label>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <ErrorDisplay error={apiError ?? save.error ?? remove.error} />
        <div className="actions">
          <button type="button" onClick={validate} disabled={busy}>
            Validate
          </button>
          <button type="button" className="primary" onClick={submit} disabled={!valid || save.fetching}>
            Save filter and reducer
          </button>
        </div>
        {outcome && (
          <div role="status" data-testid="validation-outcome">
            {outcome.filter && (
              <p>
                <strong>Filter: </strong>
                {!outcome.filter.success
                  ? 'invalid'
                  : outcome.filter.filterResult
                    ? 'the sample passes (would be delivered)'
                    : 'the sample is filtered out (would not be delivered)'}
                {outcome.filter.message && ` — ${outcome.filter.message}`}
              </p>
            )}
            {outcome.reducer && (
              <>
                <p>
                  <strong>Reducer: </strong>
                  {outcome.reducer.success ? 'the payload would be sent as:' : 'invalid'}
                  {outcome.reducer.message && ` — ${outcome.reducer.message}`}
                </p>
                {outcome.reducer.success && (
                  <PayloadView value={outcome.reducer.reducerResult} label="Reduced payload" />
                )}
              </>
            )}
          </div>
        )}
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete the filter for ${deleting ?? ''}?`}
        confirmLabel="Delete filter"
        danger
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          const type = deleting;
          setDeleting(null);
          if (type && !(await runRemove({ endpointId, eventType: type })).error) onSaved();
        }}
      />
    </section>
  );
}
