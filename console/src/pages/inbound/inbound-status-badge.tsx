import { Badge } from '../../components/badges';
import { InboundStatus } from './inbound.graphql';

const TONE: Record<InboundStatus, string> = {
  PENDING: 'info',
  PROCESSING: 'info',
  PROCESSED: 'ok',
  FAILED: 'bad',
  SKIPPED: 'off',
};

export function InboundStatusBadge({ status }: { status: InboundStatus }) {
  return (
    <Badge tone={TONE[status] ?? 'info'} testId="inbound-status">
      {status}
    </Badge>
  );
}
