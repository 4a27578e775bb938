import './inbound.css';
import { IntegrationsList } from './integrations-list';
import { IntegrationView } from './integration-view';

/** /inbound lists the integrations; /inbound/:integrationId shows one. */
export default function InboundPage({ params }: { params: Record<string, string> }) {
  const id = params.integrationId;
  return id ? <IntegrationView key={id} integrationId={id} /> : <IntegrationsList />;
}
