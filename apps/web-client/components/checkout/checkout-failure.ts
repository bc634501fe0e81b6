import { isApiError } from '@/lib/client-api';
import type { CartView } from '../cart/cart-store';
import { promotionReason } from '../cart/messages';
import type { Failure, Step } from './checkout-reducer';
import { declineMessage } from './messages';

/** A refused or failed checkout in words, and the step that has to change first (if one does). */
export function explainCheckoutError(error: unknown, cart: CartView): { failure: Failure; step?: Step } {
  if (!isApiError(error))
    return { failure: { title: 'Something went wrong', message: 'Please try again.', action: 'retry' } };
  const title = (id: unknown) =>
    cart.lines.find((l) => l.variantId === id)?.productTitle ?? 'An item in your cart';
  switch (error.code) {
    case 'payment_declined':
      return {
        failure: {
          title: 'Payment declined',
          message: declineMessage(error.extensions.declineCode as string | undefined),
        },
      };
    case 'out_of_stock': {
      const items =
        (error.extensions.items as { variantId: string; requested: number; available: number }[]) ?? [];
      const soldOut = items.filter((i) => i.available === 0);
      const short = items.filter((i) => i.available > 0);
      return {
        failure: {
          title: soldOut.length > 0 ? 'Sorry, someone just bought the last one' : 'Not enough left in stock',
          items: [
            ...soldOut.map((i) => ({
              variantId: i.variantId,
              product: title(i.variantId),
              detail: ' just sold out.',
            })),
            ...short.map((i) => ({
              variantId: i.variantId,
              product: title(i.variantId),
              detail: `: only ${i.available} left (you wanted ${i.requested}).`,
            })),
          ],
          message: 'Nothing was charged. Update your cart to continue.',
          action: 'cart',
        },
      };
    }
    case 'items_unavailable': {
      const items = (error.extensions.items as { variantId: string }[]) ?? [];
      return {
        failure: {
          title: 'Some items are no longer available',
          message: `${items.map((i) => title(i.variantId)).join(', ') || 'An item'} can no longer be bought. Remove it from your cart to continue.`,
          action: 'cart',
        },
      };
    }
    case 'cart_empty':
      return {
        failure: { title: 'Your cart is empty', message: 'There is nothing to pay for.', action: 'home' },
      };
    case 'shipping_unavailable':
      return {
        failure: { title: 'Choose another shipping method', message: error.detail },
        step: 'shipping',
      };
    case 'email_required':
    case 'shipping_address_required':
      return { failure: { title: 'Some details are missing', message: error.detail }, step: 'contact' };
    case 'shipping_method_required':
    case 'shipping_method_not_found':
      return { failure: { title: 'Choose a shipping method', message: error.detail }, step: 'shipping' };
    case 'idempotency_key_reused':
      return {
        failure: {
          title: 'Please try again',
          message: 'Your details changed while paying.',
          action: 'retry',
        },
      };
    case 'rate_limited':
    case 'too_many_requests':
      return {
        failure: { title: 'Too many attempts', message: 'Please wait a minute before trying again.' },
      };
    case 'payment_provider_unavailable':
      return {
        failure: {
          title: 'The payment service did not answer',
          message: 'You have not been charged twice — try again in a moment.',
          action: 'retry',
        },
      };
    default:
      if (error.code.startsWith('promotion_')) {
        return {
          failure: {
            title: 'Your promotion code cannot be used',
            message: `${promotionReason(error.code)} Remove it to pay without it.`,
            action: 'remove-promotion',
          },
        };
      }
      if (error.isNetworkError || error.status >= 500) {
        return {
          failure: {
            title: 'Connection problem',
            message: 'We could not confirm your order. Try again: you will not be charged twice.',
            action: 'retry',
          },
        };
      }
      return { failure: { title: 'Your order was not placed', message: error.detail } };
  }
}
