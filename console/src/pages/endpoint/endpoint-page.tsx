import { useCallback, useEffect, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { HealthBadge } from '../../components/badges';
import { ErrorDisplay } from '../../components/error-display';
import { EndpointSummary, formatDate } from '../../graphql/models';
import { isNotFound } from '../../graphql/client';
import { Link } from '../../router';
import { DeliveryLog } from './delivery-log';
import { EndpointActions } from './endpoint-actions';
import { ENDPOINT, FilterConfig, SeriesPoint, SERIES, Stats, STATS_QUERY } from './endpoint.graphql';
import { FilterReducerEditor } from './filter-reducer-editor';
import { ResponseTimeChart } from './response-time-chart';
import { StatsCards } from './stats-cards';

type Bucket = 'MINUTE' | 'HOUR' | 'DAY';
const RANGES: { id: string; label: string; ms: number; bucket: Bucket }[] = [
  { id: '1h', label: 'Last hour', ms: 3_600_000, bucket: 'MINUTE' },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000, bucket: 'HOUR' },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000, bucket: 'HOUR' },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000, bucket: 'DAY' },
];

type EndpointData = EndpointSummary & { filters: FilterConfig[] };

/** The last data a query had: a refetch with new variables keeps the old figures on screen until the new ones come. */
function useLatest<T>(value: T | undefined): T | undefined {
  const last = useRef<T | undefined>(value);
  if (value !== undefined) last.current = value;
  return value ?? last.current;
}

export default function EndpointPage({ params }: { params: Record<string, string> }) {
  const id = params.id;
  const [rangeId, setRangeId] = useState('1h');
  const [bucket, setBucket] = useState<Bucket>('MINUTE');
  const [until, setUntil] = useState(() => Date.now());
  const range = RANGES.find((r) => r.id === rangeId) ?? RANGES[0];
  const span = { since: new Date(until - range.ms).toISOString(), until: new Date(until + 60_000).toISOString() };
  const [endpoint, refetchEndpoint] = useQuery<{ endpoint: EndpointData | null }>({
    query: ENDPOINT,
    variables: { id },
  });
  const [statsResult] = useQuery<{ deliveryStats: Stats }>({
    query: STATS_QUERY,
    variables: { endpointId: id, ...span },
  });
  const stats = useLatest(statsResult.data?.deliveryStats);
  const [series] = useQuery<{ responseTimeSeries: SeriesPoint[] }>({
    query: SERIES,
    variables: { endpointId: id, bucket, from: span.since, to: span.until },
  });
  const points = useLatest(series.data?.responseTimeSeries);
  const refresh = useCallback(() => refetchEndpoint({ requestPolicy: 'network-only' }), [refetchEndpoint]);

  // A settled delivery moves the totals and the chart: re-read them, at most once a second.
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onSettled = useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      setUntil(Date.now());
      refresh();
    }, 1000);
  }, [refresh]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const e = endpoint.data?.endpoint;
  if (endpoint.error && !isNotFound(endpoint.error))
    return (
      <section>
        <h1>Endpoint</h1>
        <ErrorDisplay error={endpoint.error} />
      </section>
    );
  if (!endpoint.data && !endpoint.error) return <p role="status">Loading…</p>;
  if (!e)
    return (
      <section>
        <h1>Endpoint not found</h1>
        <p>
          No endpoint <code>{id}</code> is visible to this credential. <Link to="/">Back to the endpoints</Link>.
        </p>
      </section>
    );
  return (
    <section>
      <p>
        <Link to="/">← Endpoints</Link>
      </p>
      <h1>
        Endpoint <span className="url">{e.url}</span>
      </h1>
      <p>
        <HealthBadge health={e.health} disableAt={e.disableAt} /> {e.isActive ? 'Enabled' : 'Disabled'}
        {e.disabledReason && ` (${e.disabledReason})`} · event types {e.eventTypes.join(', ') || 'all'} · channels{' '}
        {e.channels.join(', ') || 'all'} · {e.verifiedAt ? `verified ${formatDate(e.verifiedAt)}` : 'not verified'}
      </p>
      {e.description && <p className="muted">{e.description}</p>}
      <EndpointActions endpoint={e} onChanged={refresh} />

      <h2>Statistics</h2>
      <form className="filters" aria-label="Time range" onSubmit={(ev) => ev.preventDefault()}>
        <label>
          Range
          <select
            value={rangeId}
            onChange={(ev) => {
              const next = RANGES.find((r) => r.id === ev.target.value) ?? RANGES[0];
              setRangeId(next.id);
              setBucket(next.bucket);
              setUntil(Date.now());
            }}
          >
            {RANGES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Bucket
          <select value={bucket} onChange={(ev) => setBucket(ev.target.value as Bucket)}>
            <option value="MINUTE">Minute</option>
            <option value="HOUR">Hour</option>
            <option value="DAY">Day</option>
          </select>
        </label>
        <button type="button" onClick={() => setUntil(Date.now())}>
          Refresh
        </button>
      </form>
      <ErrorDisplay error={statsResult.error} />
      {stats && <StatsCards stats={stats} />}
      <ErrorDisplay error={series.error} />
      {points && <ResponseTimeChart points={points} from={span.since} to={span.until} />}

      <DeliveryLog endpointId={e.id} onSettled={onSettled} />
      <FilterReducerEditor endpointId={e.id} configs={e.filters} onSaved={refresh} />
    </section>
  );
}
