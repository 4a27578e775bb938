import { NotBuilt } from '../../components/not-built';

export default function EndpointPage() {
  return <NotBuilt title="Endpoint" />;
}
