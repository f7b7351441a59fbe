import { PageHeader } from '../../components/PageHeader';

export default function BroadcastPage() {
  return <PageHeader title="BroadcastPage" />;
}
