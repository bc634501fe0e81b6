import type { CustomerStatus } from '@e3d/contracts';
import { StatusBadge } from '@/components/ui/StatusBadge';

/** An account's state; `deleted` accounts are anonymised, and staff know them by that word. */
export function CustomerStatusBadge({ status }: { status: CustomerStatus }) {
  return <StatusBadge status={status === 'deleted' ? 'anonymised' : status} />;
}

export const CUSTOMER_STATUSES: { value: CustomerStatus; label: string }[] = [
  { value: 'active', label: 'Active' },
  { value: 'deactivated', label: 'Deactivated' },
  { value: 'deleted', label: 'Anonymised' },
];
