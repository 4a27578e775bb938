import { NotBuilt } from '../../components/not-built';

export default function DeliveryPage() {
  return <NotBuilt title="Delivery" />;
}
