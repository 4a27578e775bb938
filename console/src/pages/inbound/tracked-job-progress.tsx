import { useEffect, useRef } from 'react';
import { useQuery, useSubscription } from 'urql';
import { ErrorDisplay } from '../../components/error-display';
import { TRACKED_JOB, TRACKED_JOB_UPDATED, TrackedJobView } from './inbound.graphql';

const RANK = { QUEUED: 0, RUNNING: 1, COMPLETED: 2, FAILED: 2 } as const;

/** The later of two views of the same job (the subscription may start after the job has moved on). */
function later(a: TrackedJobView | undefined, b: TrackedJobView | undefined): TrackedJobView | undefined {
  if (!a) return b;
  if (!b) return a;
  if (RANK[a.status] !== RANK[b.status]) return RANK[a.status] > RANK[b.status] ? a : b;
  return a.progress >= b.progress ? a : b;
}

export function percentOf(job: TrackedJobView): number {
  if (job.status === 'COMPLETED') return 100;
  if (!job.total) return 0;
  return Math.min(100, Math.round((job.progress / job.total) * 100));
}

/**
 * A tracked job's live progress: a <progress> bar fed by trackedJobUpdated (and one read of trackedJob, so an
 * update sent before the socket subscribed is not missed). `onFinished` runs once the job is COMPLETED or FAILED.
 */
export function TrackedJobProgress(props: {
  job: TrackedJobView;
  label: string;
  onFinished?: (job: TrackedJobView) => void;
}) {
  const id = props.job.id;
  const [live] = useSubscription<{ trackedJobUpdated: TrackedJobView }, TrackedJobView | undefined>(
    { query: TRACKED_JOB_UPDATED, variables: { id } },
    (previous, data) => later(previous, data.trackedJobUpdated),
  );
  const [read] = useQuery<{ trackedJob: TrackedJobView | null }>({
    query: TRACKED_JOB,
    variables: { id },
    requestPolicy: 'network-only',
  });
  const job = later(later(props.job, read.data?.trackedJob ?? undefined), live.data) ?? props.job;
  const pct = percentOf(job);
  const finished = job.status === 'COMPLETED' || job.status === 'FAILED';
  const onFinished = useRef(props.onFinished);
  onFinished.current = props.onFinished;
  const latest = useRef(job);
  latest.current = job;
  useEffect(() => {
    if (finished) onFinished.current?.(latest.current);
  }, [finished]);
  const barId = `job-${id}`;
  return (
    <div className="panel" data-testid="tracked-job">
      <label htmlFor={barId}>{props.label}</label>
      <progress
        id={barId}
        max={100}
        value={pct}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${pct} %`}
      />
      <p role="status" data-testid="job-status">
        {job.status}: {job.progress}
        {job.total !== null ? ` of ${job.total}` : ''} ({pct} %)
      </p>
      {job.error && <ErrorDisplay error={job.error} />}
      <ErrorDisplay error={live.error ?? read.error} />
    </div>
  );
}
