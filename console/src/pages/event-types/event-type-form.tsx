import { FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { ErrorDisplay } from '../../components/error-display';
import { CREATE_EVENT_TYPE, EventTypeView, parseJsonField, UPDATE_EVENT_TYPE } from './event-types.graphql';

const pretty = (value: unknown): string =>
  value === null || value === undefined ? '' : JSON.stringify(value, null, 2);

/**
 * Create a tenant event type, or edit one (`existing`): the name is fixed once created. Schema and sample are JSON
 * text; a text that does not parse is refused here, everything else is the API's to judge (its error is shown).
 */
export function EventTypeForm(props: {
  existing?: EventTypeView;
  onDone: (name: string) => void;
  onCancel: () => void;
}) {
  const { existing } = props;
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [groupName, setGroupName] = useState(existing?.groupName ?? '');
  const [schema, setSchema] = useState(pretty(existing?.schema));
  const [sample, setSample] = useState(existing ? pretty(existing.samplePayload) : '');
  const [deprecated, setDeprecated] = useState(existing?.deprecated ?? false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [created, create] = useMutation(CREATE_EVENT_TYPE);
  const [updated, update] = useMutation(UPDATE_EVENT_TYPE);
  const result = existing ? updated : created;
  const idPrefix = existing ? `edit-${existing.name}` : 'create';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setLocalError(null);
    const parsedSchema = parseJsonField(schema, 'Schema');
    const parsedSample = parseJsonField(sample, 'Sample payload');
    const problem = parsedSchema.error ?? parsedSample.error;
    if (problem) {
      setLocalError(problem);
      return;
    }
    const common = {
      description,
      groupName: groupName.trim() === '' ? null : groupName.trim(),
      ...(parsedSchema.value !== undefined ? { schema: parsedSchema.value } : {}),
      ...(parsedSample.value !== undefined ? { samplePayload: parsedSample.value } : {}),
    };
    const res = existing
      ? await update({ name: existing.name, input: { ...common, deprecated } })
      : await create({ input: { ...common, name: name.trim() } });
    if (!res.error) props.onDone(existing ? existing.name : name.trim());
  };

  return (
    <form className="panel" onSubmit={submit} aria-label={existing ? `Edit ${existing.name}` : 'New event type'}>
      <h2>{existing ? `Edit ${existing.name}` : 'New event type'}</h2>
      {!existing && (
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={128}
            required
            placeholder="comment.created"
            autoComplete="off"
          />
        </label>
      )}
      <label>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} required />
      </label>
      <label>
        Group
        <input value={groupName} onChange={(e) => setGroupName(e.target.value)} maxLength={128} />
      </label>
      <label htmlFor={`${idPrefix}-schema`}>JSON Schema (draft 2020-12)</label>
      <textarea
        id={`${idPrefix}-schema`}
        rows={8}
        spellCheck={false}
        value={schema}
        onChange={(e) => setSchema(e.target.value)}
      />
      <label htmlFor={`${idPrefix}-sample`}>Sample payload (generated from the schema when empty)</label>
      <textarea
        id={`${idPrefix}-sample`}
        rows={6}
        spellCheck={false}
        value={sample}
        onChange={(e) => setSample(e.target.value)}
      />
      {existing && (
        <label>
          <input type="checkbox" checked={deprecated} onChange={(e) => setDeprecated(e.target.checked)} /> Deprecated
        </label>
      )}
      {localError && (
        <p role="alert" className="error">
          {localError}
        </p>
      )}
      <ErrorDisplay error={result.error} />
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={result.fetching}>
          {existing ? 'Save changes' : 'Create event type'}
        </button>
      </div>
    </form>
  );
}
