import { PageHeader } from '../../components/PageHeader';

export default function PeoplePage() {
  return <PageHeader title="PeoplePage" />;
}
