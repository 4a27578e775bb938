import { useEffect, useState } from 'react';

export type Health = 'HEALTHY' | 'DEGRADED' | 'FAILING' | 'DISABLED';
export type DeliveryStatus = 'PENDING' | 'IN_FLIGHT' | 'RETRYING' | 'SUCCEEDED' | 'FAILED' | 'DEAD_LETTER' | 'HELD';

/** A status word in a coloured pill; the word itself carries the meaning (colour is never the only cue). */
export function Badge({ tone, children, testId }: { tone: string; children: string; testId?: string }) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

const HEALTH_TONE: Record<Health, string> = { HEALTHY: 'ok', DEGRADED: 'warn', FAILING: 'bad', DISABLED: 'off' };

export function HealthBadge({ health, disableAt }: { health: Health; disableAt?: string | null }) {
  return (
    <span className="health">
      <Badge tone={HEALTH_TONE[health]} testId="health">
        {health}
      </Badge>
      {health === 'FAILING' && disableAt && <Countdown until={disableAt} />}
    </span>
  );
}

/** "disabled in 4m 10s", ticking each second. */
export function Countdown({ until }: { until: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const ms = new Date(until).getTime() - now;
  return (
    <span className="countdown" title={new Date(until).toLocaleString()}>
      {ms > 0 ? ` disabled in ${formatDuration(ms)}` : ' being disabled'}
    </span>
  );
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m ${s % 60}s`;
}

const STATUS_TONE: Record<DeliveryStatus, string> = {
  PENDING: 'info',
  IN_FLIGHT: 'info',
  RETRYING: 'warn',
  SUCCEEDED: 'ok',
  FAILED: 'bad',
  DEAD_LETTER: 'bad',
  HELD: 'off',
};

export function StatusBadge({ status }: { status: DeliveryStatus }) {
  return (
    <Badge tone={STATUS_TONE[status] ?? 'info'} testId="status">
      {status}
    </Badge>
  );
}
