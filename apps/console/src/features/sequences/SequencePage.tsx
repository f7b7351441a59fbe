import { PageHeader } from '../../components/PageHeader';

export default function SequencePage() {
  return <PageHeader title="SequencePage" />;
}
