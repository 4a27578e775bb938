import { NotBuilt } from '../../components/not-built';

export default function GraphiqlPage() {
  return <NotBuilt title="API explorer" />;
}
