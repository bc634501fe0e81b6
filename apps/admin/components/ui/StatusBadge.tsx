import { humanize } from '@/lib/format';

const TONES: Record<string, 'success' | 'warning' | 'danger' | 'info'> = {
  active: 'success',
  published: 'success',
  ready: 'success',
  paid: 'success',
  captured: 'success',
  fulfilled: 'success',
  delivered: 'success',
  succeeded: 'success',
  draft: 'warning',
  pending: 'warning',
  processing: 'info',
  uploaded: 'info',
  authorized: 'info',
  requires_action: 'warning',
  partially_refunded: 'warning',
  refunded: 'warning',
  invited: 'info',
  failed: 'danger',
  canceled: 'danger',
  declined: 'danger',
  archived: 'danger',
  deactivated: 'danger',
  anonymised: 'danger',
};

/** A status as a coloured pill; the colour follows the word, so every page agrees. */
export function StatusBadge({ status }: { status: string }) {
  const tone = TONES[status];
  return <span className={`badge${tone ? ` ${tone}` : ''}`}>{humanize(status)}</span>;
}
