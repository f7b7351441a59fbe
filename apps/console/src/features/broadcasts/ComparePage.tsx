import { PageHeader } from '../../components/PageHeader';

export default function ComparePage() {
  return <PageHeader title="ComparePage" />;
}
