import type { PromotionDoc } from '@e3d/contracts';
import { formatMoney } from '@/lib/format';
import { basisPointsToPercent } from './units';

export type PromotionStatus = 'active' | 'inactive' | 'scheduled' | 'expired' | 'exhausted';

/** Whether shoppers can redeem the code now, and if not, why (switched off first, then dates, then usage). */
export function promotionStatus(p: PromotionDoc, now = Date.now()): PromotionStatus {
  if (!p.active) return 'inactive';
  if (p.expiresAt && Date.parse(p.expiresAt) <= now) return 'expired';
  if (p.usageLimit !== null && p.usedCount >= p.usageLimit) return 'exhausted';
  if (p.startsAt && Date.parse(p.startsAt) > now) return 'scheduled';
  return 'active';
}

export const STATUS_TONE: Record<PromotionStatus, string> = {
  active: 'success',
  scheduled: 'info',
  expired: 'warning',
  exhausted: 'warning',
  inactive: 'danger',
};

/** "15% off" or "€5.00 off". */
export function promotionValue(p: PromotionDoc): string {
  if (p.kind === 'percentage')
    return p.basisPoints === null ? '—' : `${basisPointsToPercent(p.basisPoints)}%`;
  return p.amount === null || !p.currency ? '—' : formatMoney(p.amount, p.currency);
}
