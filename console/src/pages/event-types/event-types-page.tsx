import { NotBuilt } from '../../components/not-built';

export default function EventTypesPage() {
  return <NotBuilt title="Event catalog" />;
}
