import { FormEvent, useState } from 'react';
import { EndpointSummary, splitList } from '../../graphql/models';
import { useViewer } from '../../viewer';

export interface EndpointFormValues {
  url: string;
  description: string | null;
  eventTypes: string[];
  channels: string[];
  rateLimitPerSecond: number | null;
}

/**
 * Create and edit share one form; empty lists mean "every type" / "every channel", as the API says. Under a portal
 * session limited to a channel, the channels are that channel and cannot be changed (the API accepts nothing else).
 */
export function EndpointForm(props: {
  initial?: EndpointSummary;
  submitLabel: string;
  busy: boolean;
  onSubmit: (values: EndpointFormValues) => void;
  onCancel?: () => void;
}) {
  const [url, setUrl] = useState(props.initial?.url ?? '');
  const [description, setDescription] = useState(props.initial?.description ?? '');
  const [eventTypes, setEventTypes] = useState(props.initial?.eventTypes.join(', ') ?? '');
  const [channels, setChannels] = useState(props.initial?.channels.join(', ') ?? '');
  const [rate, setRate] = useState(props.initial?.rateLimitPerSecond?.toString() ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const { channel: sessionChannel } = useViewer();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^https?:\/\/\S+$/.test(url.trim())) return setProblem('The URL must start with http:// or https://.');
    if (rate !== '' && !/^\d{1,6}$/.test(rate)) return setProblem('The rate limit is a whole number per second.');
    setProblem(null);
    props.onSubmit({
      url: url.trim(),
      description: description.trim() || null,
      eventTypes: splitList(eventTypes),
      channels: sessionChannel !== null ? [sessionChannel] : splitList(channels),
      rateLimitPerSecond: rate === '' ? null : Number(rate),
    });
  };
  return (
    <form className="panel" onSubmit={submit} noValidate aria-label={props.submitLabel}>
      <div className="toolbar">
        <label>
          URL
          <input value={url} onChange={(e) => setUrl(e.target.value)} required size={48} maxLength={2048} />
        </label>
        <label>
          Description
          <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} />
        </label>
      </div>
      <div className="toolbar">
        <label>
          Event types (comma separated, empty: all)
          <input value={eventTypes} onChange={(e) => setEventTypes(e.target.value)} size={36} />
        </label>
        {sessionChannel !== null ? (
          <label>
            Channel (set by this link)
            <input value={sessionChannel} readOnly aria-readonly="true" size={24} />
          </label>
        ) : (
          <label>
            Channels (comma separated, empty: all)
            <input value={channels} onChange={(e) => setChannels(e.target.value)} size={24} />
          </label>
        )}
        <label>
          Rate limit per second
          <input value={rate} onChange={(e) => setRate(e.target.value)} inputMode="numeric" size={8} />
        </label>
      </div>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={props.busy}>
          {props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
