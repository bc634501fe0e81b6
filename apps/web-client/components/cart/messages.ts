import type { CartView } from '@e3d/contracts';
import { isApiError } from '@/lib/client-api';

type Line = CartView['lines'][number];

/** Why a promotion code does not apply, in words (the API's reason codes). */
export const PROMOTION_REASONS: Record<string, string> = {
  promotion_not_found: 'There is no promotion with this code.',
  promotion_expired: 'This code has expired.',
  promotion_not_started: 'This code is not valid yet.',
  promotion_exhausted: 'This code has been used up.',
  promotion_currency_mismatch: 'This code is for another currency.',
  promotion_minimum_not_met: 'Your order is below this code’s minimum. Add more to use it.',
};

export function promotionReason(reason: string | null | undefined): string {
  return (reason && PROMOTION_REASONS[reason]) || 'This code cannot be used on this order.';
}

/** What is wrong with a line, in words; null when nothing is. */
export function lineProblem(line: Line): string | null {
  if (line.problem === 'unavailable') return 'No longer available';
  if (line.problem === 'insufficient_stock') {
    return line.available ? `Only ${line.available} left` : 'Sold out';
  }
  return null;
}

/**
 * An error from a cart write, in words. `adding`: the shopper added one more to what the cart
 * holds already (so "Only 2 left" may mean both are in the cart).
 */
export function cartErrorMessage(error: unknown, adding = false): string {
  if (!isApiError(error)) return 'Something went wrong. Please try again.';
  const { available, requested } = error.extensions;
  switch (error.code) {
    case 'insufficient_stock':
      if (typeof available !== 'number' || available <= 0) return 'Sold out';
      if (adding && typeof requested === 'number' && requested - 1 >= available) {
        return `Only ${available} left, and ${available === 1 ? 'it is' : 'they are all'} in your cart.`;
      }
      return `Only ${available} left`;
    case 'variant_unavailable':
      return 'This item is no longer available.';
    case 'variant_not_found':
      return 'This item is no longer available.';
    case 'cart_full':
      return 'Your cart is full. Remove something to add more.';
    case 'quantity_too_large':
      return 'That is more than we can sell in one order.';
    case 'cart_line_not_found':
      return 'That item is no longer in your cart.';
    case 'too_many_requests':
    case 'rate_limited':
      return 'Too many requests. Please wait a moment.';
    default:
      if (error.code.startsWith('promotion_')) return PROMOTION_REASONS[error.code] ?? error.detail;
      return error.detail || 'Something went wrong. Please try again.';
  }
}
