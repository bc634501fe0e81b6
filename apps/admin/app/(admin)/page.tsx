import { PageHeader } from '@/components/ui/PageHeader';

export default function DashboardPage() {
  return <PageHeader title="Dashboard" />;
}
