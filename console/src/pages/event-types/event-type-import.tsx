import { FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { ErrorDisplay } from '../../components/error-display';
import { IMPORT_EVENT_TYPES, MAX_JSON_TEXT } from './event-types.graphql';

interface ImportResult {
  created: string[];
  updated: string[];
  unchanged: string[];
}

function Summary({ result, dryRun }: { result: ImportResult; dryRun: boolean }) {
  const line = (label: string, names: string[]) => (
    <li>
      {label}: {names.length === 0 ? 'none' : names.join(', ')}
    </li>
  );
  return (
    <div role="status" className="notice">
      <p>{dryRun ? 'Dry run: nothing was changed. The import would do this:' : 'Imported:'}</p>
      <ul>
        {line(dryRun ? 'Would create' : 'Created', result.created)}
        {line(dryRun ? 'Would update' : 'Updated', result.updated)}
        {line('Unchanged', result.unchanged)}
      </ul>
    </div>
  );
}

/** Import an OpenAPI 3.1 document's webhooks as event types: preview with a dry run, then import. */
export function EventTypeImport(props: { onImported: () => void; onCancel: () => void }) {
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<{ result: ImportResult; dryRun: boolean } | null>(null);
  const [state, run] = useMutation<{ importEventTypes: ImportResult }>(IMPORT_EVENT_TYPES);

  const go = async (dryRun: boolean) => {
    setOutcome(null);
    const res = await run({ input: { openApi: text, dryRun } });
    if (res.data) {
      setOutcome({ result: res.data.importEventTypes, dryRun });
      if (!dryRun) props.onImported();
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void go(false);
  };

  return (
    <form className="panel" onSubmit={submit} aria-label="Import event types">
      <h2>Import from OpenAPI</h2>
      <label htmlFor="import-openapi">OpenAPI 3.1 document (JSON or YAML); each webhook becomes an event type</label>
      <textarea
        id="import-openapi"
        rows={10}
        spellCheck={false}
        maxLength={MAX_JSON_TEXT}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <ErrorDisplay error={state.error} />
      {outcome && <Summary {...outcome} />}
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          Close
        </button>
        <button type="button" disabled={state.fetching || text.trim() === ''} onClick={() => void go(true)}>
          Preview (dry run)
        </button>
        <button type="submit" className="primary" disabled={state.fetching || text.trim() === ''}>
          Import
        </button>
      </div>
    </form>
  );
}
