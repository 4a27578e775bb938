import { NotBuilt } from '../../components/not-built';

export default function AuditPage() {
  return <NotBuilt title="Audit log" />;
}
