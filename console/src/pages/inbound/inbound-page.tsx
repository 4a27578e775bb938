import { NotBuilt } from '../../components/not-built';

export default function InboundPage() {
  return <NotBuilt title="Inbound" />;
}
