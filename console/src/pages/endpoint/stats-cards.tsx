import { Stats } from './endpoint.graphql';

const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);

/** Totals of the selected time range. */
export function StatsCards({ stats }: { stats: Stats }) {
  const cards: [string, string][] = [
    ['Total deliveries', String(stats.total)],
    ['Success rate', stats.successRate === null ? '—' : `${(stats.successRate * 100).toFixed(1)} %`],
    ['Average response', ms(stats.avgResponseTimeMs)],
    ['p95 response', ms(stats.p95ResponseTimeMs)],
    ['Failures', String(stats.failed)],
    ['Pending', String(stats.pending)],
  ];
  return (
    <dl className="cards" aria-label="Delivery statistics">
      {cards.map(([label, value]) => (
        <div className="card" key={label}>
          <dt>{label}</dt>
          <dd data-testid={`stat-${label.toLowerCase().replace(/\W+/g, '-')}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
