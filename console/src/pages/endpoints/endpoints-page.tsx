import { NotBuilt } from '../../components/not-built';

export default function EndpointsPage() {
  return <NotBuilt title="Endpoints" />;
}
