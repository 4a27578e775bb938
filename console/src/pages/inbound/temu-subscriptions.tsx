import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Badge } from '../../components/badges';
import { ErrorDisplay } from '../../components/error-display';
import {
  DISABLE_SUBSCRIPTION,
  ENABLE_ALL,
  ENABLE_SUBSCRIPTION,
  PROVIDER_SUBSCRIPTIONS,
  TrackedJobView,
} from './inbound.graphql';
import { TrackedJobProgress } from './tracked-job-progress';

interface SubscriptionView {
  eventCode: string;
  description: string | null;
  subscribed: boolean;
  updatedAt: string | null;
}

interface EnableAllResult {
  enabled?: string[];
  failed?: { eventCode: string; error?: string; message?: string }[];
}

function JobResult({ job }: { job: TrackedJobView }) {
  const result = (job.result ?? {}) as EnableAllResult;
  const failed = Array.isArray(result.failed) ? result.failed : [];
  if (failed.length === 0) return null;
  return (
    <div role="alert" className="error">
      <p>Temu refused {failed.length}:</p>
      <ul>
        {failed.map((f) => (
          <li key={f.eventCode}>
            <code>{f.eventCode}</code>: {f.error ?? f.message ?? ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A Temu integration's message subscriptions: each one on or off, and "enable all" as a tracked job. */
export function TemuSubscriptions({ integrationId }: { integrationId: string }) {
  const [{ data, fetching, error }, refetch] = useQuery<{ providerSubscriptions: SubscriptionView[] }>({
    query: PROVIDER_SUBSCRIPTIONS,
    variables: { id: integrationId },
  });
  const [enableState, enable] = useMutation(ENABLE_SUBSCRIPTION);
  const [disableState, disable] = useMutation(DISABLE_SUBSCRIPTION);
  const [allState, enableAll] = useMutation<{ enableAllProviderSubscriptions: TrackedJobView }>(ENABLE_ALL);
  const [job, setJob] = useState<TrackedJobView | null>(null);
  const [finished, setFinished] = useState<TrackedJobView | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const toggle = async (s: SubscriptionView) => {
    const run = s.subscribed ? disable : enable;
    const res = await run({ id: integrationId, code: s.eventCode });
    if (!res.error) reload();
  };
  return (
    <section aria-labelledby="temu-subscriptions">
      <h2 id="temu-subscriptions">Temu subscriptions</h2>
      <div className="toolbar">
        <button
          type="button"
          className="primary"
          disabled={allState.fetching || (job !== null && finished === null)}
          onClick={async () => {
            setFinished(null);
            const res = await enableAll({ id: integrationId });
            if (res.data) setJob(res.data.enableAllProviderSubscriptions);
          }}
        >
          Enable all
        </button>
      </div>
      {job && (
        <TrackedJobProgress
          key={job.id}
          job={job}
          label="Enable all progress"
          onFinished={(j) => {
            setFinished(j);
            reload();
          }}
        />
      )}
      {finished && <JobResult job={finished} />}
      <ErrorDisplay error={error ?? enableState.error ?? disableState.error ?? allState.error} />
      {fetching && !data && <p role="status">Loading…</p>}
      {data && (
        <table aria-label="Temu subscriptions">
          <thead>
            <tr>
              <th scope="col">Event code</th>
              <th scope="col">Description</th>
              <th scope="col">State</th>
              <th scope="col">Changed</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {data.providerSubscriptions.map((s) => (
              <tr key={s.eventCode} data-testid="subscription-row">
                <th scope="row">
                  <code>{s.eventCode}</code>
                </th>
                <td>{s.description ?? ''}</td>
                <td>{s.subscribed ? <Badge tone="ok">ENABLED</Badge> : <Badge tone="off">DISABLED</Badge>}</td>
                <td>
                  {s.updatedAt ? <time dateTime={s.updatedAt}>{new Date(s.updatedAt).toLocaleString()}</time> : ''}
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`${s.subscribed ? 'Disable' : 'Enable'} ${s.eventCode}`}
                    disabled={enableState.fetching || disableState.fetching}
                    onClick={() => void toggle(s)}
                  >
                    {s.subscribed ? 'Disable' : 'Enable'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
