'use client';

import { type Dispatch, type FormEvent, lazy, type RefObject, Suspense } from 'react';
import type { CartView } from '../cart/cart-store';
import { promotionReason } from '../cart/messages';
import ui from '../cart/ui.module.css';
import { CheckoutFailure } from './CheckoutFailure';
import styles from './CheckoutPage.module.css';
import type { CheckoutAction, CheckoutState } from './checkout-reducer';
import type { StripeControls } from './StripePayment';
import { TestCardField } from './TestCardField';

const StripePayment = lazy(() => import('./StripePayment'));

/**
 * Step 3: the card (the Stripe Payment Element, or the test provider's card field), what stopped
 * the last attempt, and Pay.
 */
export function PaymentStep({
  state,
  dispatch,
  cart,
  canPay,
  total,
  onPay,
  cardRef,
  failureRef,
  onStripeReady,
  onStripeChange,
}: {
  state: CheckoutState;
  dispatch: Dispatch<CheckoutAction>;
  cart: CartView;
  canPay: boolean;
  /** The grand total, formatted. */
  total: string;
  onPay: (event: FormEvent) => void;
  cardRef: RefObject<HTMLInputElement | null>;
  failureRef: RefObject<HTMLDivElement | null>;
  onStripeReady: (controls: StripeControls) => void;
  onStripeChange: () => void;
}) {
  const { payments: config, submitting, progress, failure } = state;
  const working = progress ?? 'Processing…';
  return (
    <form onSubmit={onPay} noValidate className={styles.form} aria-busy={submitting}>
      {state.paymentsUnavailable ? (
        <p className={ui.alert} role="alert">
          Payment is not available right now. Reload the page to try again.
        </p>
      ) : !config ? (
        <div className={ui.skeleton} style={{ height: 120 }} />
      ) : config.provider === 'stripe' && config.publishableKey ? (
        <Suspense fallback={<div className={ui.skeleton} style={{ height: 160 }} />}>
          <StripePayment
            publishableKey={config.publishableKey}
            amount={cart.grandTotal}
            currency={cart.currency}
            onReady={onStripeReady}
            onChange={onStripeChange}
          />
        </Suspense>
      ) : config.provider === 'stripe' ? (
        <p className={ui.alert} role="alert">
          Card payments are not set up for this shop yet.
        </p>
      ) : (
        <TestCardField
          inputRef={cardRef}
          value={state.card}
          onChange={(card) => dispatch({ type: 'card-changed', card })}
          error={state.cardError ?? undefined}
          cards={config.testCards}
          disabled={submitting}
        />
      )}

      <div ref={failureRef} tabIndex={-1} className={styles.failureAnchor}>
        {failure ? (
          <CheckoutFailure failure={failure} onDismiss={() => dispatch({ type: 'failure-dismissed' })} />
        ) : null}
      </div>

      {cart.promotion?.status === 'refused' ? (
        <p className={ui.alert}>
          Code {cart.promotion.code} does not apply. {promotionReason(cart.promotion.reason)} Remove it in the
          order summary to pay.
        </p>
      ) : null}

      <button
        type="submit"
        className={`${ui.primary} ${ui.block} ${styles.pay}`}
        disabled={!canPay}
        aria-describedby="checkout-pay-note"
        data-testid="pay-button"
      >
        {submitting ? <span className={ui.spinner} aria-hidden="true" /> : null}
        {submitting ? working : `Pay ${total}`}
      </button>
      <p id="checkout-pay-note" className={`${ui.muted} ${ui.small} ${styles.note}`}>
        Your order is placed when the payment goes through. We email your receipt to {cart.email}.
      </p>
      <p className="visually-hidden" role="status" aria-live="polite">
        {submitting ? working : ''}
      </p>
    </form>
  );
}
