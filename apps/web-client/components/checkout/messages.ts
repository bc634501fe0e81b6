/** Why a card was declined, in words (Stripe's decline codes, which the test provider shares). */
const DECLINES: Record<string, string> = {
  card_declined: 'Your card was declined.',
  generic_decline: 'Your card was declined.',
  do_not_honor: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: 'The card’s security code is incorrect.',
  invalid_cvc: 'The card’s security code is incorrect.',
  incorrect_number: 'The card number is incorrect.',
  invalid_number: 'The card number is incorrect.',
  invalid_expiry_month: 'The card’s expiry month is incorrect.',
  invalid_expiry_year: 'The card’s expiry year is incorrect.',
  processing_error: 'An error occurred while processing your card.',
  authentication_failed: 'Your bank did not confirm the payment.',
  authentication_required: 'Your bank needs to confirm this payment, and it was not confirmed.',
  lost_card: 'Your card was declined.',
  stolen_card: 'Your card was declined.',
  fraudulent: 'Your card was declined.',
  card_velocity_exceeded: 'Your card has reached its limit for now.',
  invalid_payment_method: 'This card cannot be used.',
  currency_not_supported: 'Your card does not support this currency.',
};

export function declineMessage(code: string | null | undefined): string {
  const reason = (code && DECLINES[code]) || 'Your card was declined.';
  return `${reason} Nothing was charged. Try again or use another card.`;
}
