import { PageHeader } from '../../components/PageHeader';

export default function TokensPage() {
  return <PageHeader title="TokensPage" />;
}
