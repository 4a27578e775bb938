import { Badge } from '../../components/badges';
import { PayloadView } from '../../components/payload-view';
import { EventTypeView } from './event-types.graphql';

const SOURCE_TONE = { BUILT_IN: 'info', OPERATIONAL: 'off', TENANT: 'ok' } as const;

export function SourceBadge({ source }: { source: EventTypeView['source'] }) {
  return <Badge tone={SOURCE_TONE[source] ?? 'info'}>{source}</Badge>;
}

/** One type's schema and sample, as text (pretty-printed JSON). */
export function EventTypeDetails({ type }: { type: EventTypeView }) {
  return (
    <div className="grid2">
      <section aria-label={`Schema of ${type.name}`}>
        <h3>Schema</h3>
        {type.schema === null || type.schema === undefined ? (
          <p className="muted">No schema: any JSON payload is accepted.</p>
        ) : (
          <PayloadView value={type.schema} label={`Schema of ${type.name}`} />
        )}
      </section>
      <section aria-label={`Sample of ${type.name}`}>
        <h3>Sample payload</h3>
        <PayloadView value={type.samplePayload} label={`Sample payload of ${type.name}`} />
      </section>
    </div>
  );
}
