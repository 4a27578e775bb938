import { InboundStats } from './inbound.graphql';

const CARDS: { key: keyof InboundStats; label: string }[] = [
  { key: 'total', label: 'Total' },
  { key: 'pending', label: 'Pending' },
  { key: 'processing', label: 'Processing' },
  { key: 'processed', label: 'Processed' },
  { key: 'failed', label: 'Failed' },
  { key: 'skipped', label: 'Skipped' },
];

/** The summary cards: the integration's inbound events counted by status. */
export function InboundStatsCards({ stats }: { stats: InboundStats }) {
  return (
    <section aria-label="Events by status" className="cards">
      {CARDS.map((c) => (
        <dl className="card" key={c.key} data-testid={`stat-${c.key}`}>
          <dt>{c.label}</dt>
          <dd>{stats[c.key]}</dd>
        </dl>
      ))}
    </section>
  );
}
