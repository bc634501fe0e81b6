import type { CurrencyCode } from './money.ts';
import { mulDivRoundHalfEven } from './rounding.ts';

/** 100% in basis points: 1 bp = 0.01%. */
export const BASIS_POINTS = 10_000;

/** An order-level promotion (a discount code): a percentage or a fixed amount off the merchandise. */
export interface Promotion {
  /** The code the shopper typed, echoed in the adjustment. */
  code: string;
  /** `{ kind: 'percentage', basisPoints: 1500 }` is 15% off; `{ kind: 'fixed', amount: 500 }` is 5.00 off. */
  value: { kind: 'percentage'; basisPoints: number } | { kind: 'fixed'; amount: number };
  /** Currency of `fixed` amounts and of `minimumSubtotal`; must equal the cart's when set. */
  currency?: CurrencyCode;
  /** Minimum cart subtotal (minor units, before discount) for the promotion to apply. */
  minimumSubtotal?: number;
  /** Not valid before this instant. */
  startsAt?: Date;
  /** Not valid from this instant on. */
  expiresAt?: Date;
  /** Total redemptions allowed; `usedCount >= usageLimit` means exhausted. */
  usageLimit?: number;
  /** Redemptions so far. */
  usedCount?: number;
}

/** Why a promotion was not applied; checked in this order, the first that holds is reported. */
export type PromotionRefusalReason =
  | 'promotion_currency_mismatch'
  | 'promotion_not_started'
  | 'promotion_expired'
  | 'promotion_exhausted'
  | 'promotion_minimum_not_met';

export type PromotionEvaluation =
  | { status: 'applied'; amount: number }
  | { status: 'refused'; reason: PromotionRefusalReason };

/**
 * Decides whether `promotion` applies to a cart of `subtotal` in `currency` at `now`, and how much
 * it takes off: a percentage is rounded half-even on the order subtotal; a fixed amount is capped
 * at the subtotal, so a discount never exceeds what it discounts.
 */
export function evaluatePromotion(
  promotion: Promotion,
  cart: { subtotal: number; currency: CurrencyCode; now: Date },
): PromotionEvaluation {
  const now = cart.now.getTime();
  if (promotion.currency !== undefined && promotion.currency !== cart.currency) {
    return { status: 'refused', reason: 'promotion_currency_mismatch' };
  }
  if (promotion.value.kind === 'fixed' && promotion.currency === undefined) {
    return { status: 'refused', reason: 'promotion_currency_mismatch' };
  }
  if (promotion.startsAt !== undefined && now < promotion.startsAt.getTime()) {
    return { status: 'refused', reason: 'promotion_not_started' };
  }
  if (promotion.expiresAt !== undefined && now >= promotion.expiresAt.getTime()) {
    return { status: 'refused', reason: 'promotion_expired' };
  }
  if (promotion.usageLimit !== undefined && (promotion.usedCount ?? 0) >= promotion.usageLimit) {
    return { status: 'refused', reason: 'promotion_exhausted' };
  }
  if (promotion.minimumSubtotal !== undefined && cart.subtotal < promotion.minimumSubtotal) {
    return { status: 'refused', reason: 'promotion_minimum_not_met' };
  }
  const raw =
    promotion.value.kind === 'percentage'
      ? mulDivRoundHalfEven(cart.subtotal, promotion.value.basisPoints, BASIS_POINTS)
      : promotion.value.amount;
  return { status: 'applied', amount: Math.min(raw, cart.subtotal) };
}
