import { PageHeader } from '../../components/PageHeader';

export default function SequencesPage() {
  return <PageHeader title="SequencesPage" />;
}
