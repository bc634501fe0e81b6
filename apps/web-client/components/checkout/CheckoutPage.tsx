'use client';

import type { Address } from '@e3d/contracts';
import Link from 'next/link';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { api } from '@/lib/client-api';
import { formatMoney } from '@/lib/money';
import { useSession } from '../account/session-store';
import { loadCart, useCart } from '../cart/cart-store';
import ui from '../cart/ui.module.css';
import { BankChallenge } from './BankChallenge';
import styles from './CheckoutPage.module.css';
import { CheckoutStep } from './CheckoutStep';
import { CheckoutSummary } from './CheckoutSummary';
import { ContactStep } from './ContactStep';
import { checkoutReducer, initialCheckoutState, type Step } from './checkout-reducer';
import { PaymentStep } from './PaymentStep';
import { ShippingStep } from './ShippingStep';
import type { PaymentsConfig } from './types';
import { useCheckoutPayment } from './useCheckoutPayment';

/**
 * Checkout in three steps (contact and address, shipping method, payment) beside the order
 * summary. The state is `checkoutReducer`'s; this page loads what it starts from, moves focus
 * between the steps and lays them out.
 */
export function CheckoutPage({ shopName }: { shopName: string }) {
  const { cart, status: cartStatus } = useCart();
  const session = useSession();
  const customer = session.status === 'signed-in' ? session.customer : null;
  const [state, dispatch] = useReducer(checkoutReducer, undefined, initialCheckoutState);
  const headings = useRef<Partial<Record<Step, HTMLHeadingElement | null>>>({});

  const focusStep = useCallback((step: Step) => {
    requestAnimationFrame(() => headings.current[step]?.focus());
  }, []);
  const goTo = (step: Step) => {
    dispatch({ type: 'go', step });
    focusStep(step);
  };
  const payment = useCheckoutPayment({ state, dispatch, cart, focusStep });

  useEffect(() => {
    void loadCart();
    api
      .get<PaymentsConfig>('/api/payments/config')
      .then((config) => dispatch({ type: 'payments-loaded', config }))
      .catch(() => dispatch({ type: 'payments-unavailable' }));
  }, []);

  // Where to start: the first cart decides (the reducer ignores later ones).
  useEffect(() => {
    if (!cart) return;
    dispatch({
      type: 'cart-loaded',
      cart: {
        email: cart.email,
        shippingAddress: cart.shippingAddress,
        hasShippingMethod: !!cart.shippingMethod,
      },
    });
  }, [cart]);

  // Signed in: the account's email and saved addresses (the default one unless the cart has one).
  const cartHasAddress = !!cart?.shippingAddress;
  useEffect(() => {
    if (!customer) return;
    dispatch({ type: 'signed-in', email: customer.email });
    let live = true;
    api
      .get<{ items: Address[] }>('/api/me/addresses')
      .then(({ items }) => {
        if (live) dispatch({ type: 'address-book-loaded', addresses: items, cartHasAddress });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [customer, cartHasAddress]);

  if (state.placed) {
    return (
      <div className={styles.center} role="status">
        <span className={ui.spinner} aria-hidden="true" /> Order placed — opening your confirmation…
      </div>
    );
  }

  if (!cart || state.step === null) {
    return (
      <div className={styles.page}>
        <h1 className={styles.heading}>Checkout</h1>
        {cartStatus === 'error' ? (
          <div className={ui.alert} role="alert">
            <p>We could not load your cart.</p>
            <button type="button" className={ui.secondary} onClick={() => void loadCart()}>
              Try again
            </button>
          </div>
        ) : (
          <div className={styles.loading} aria-busy="true">
            <div className={ui.skeleton} style={{ height: 48 }} />
            <div className={ui.skeleton} style={{ height: 240 }} />
            <span className="visually-hidden">Loading checkout…</span>
          </div>
        )}
      </div>
    );
  }

  if (cart.lines.length === 0) {
    return (
      <div className={styles.page}>
        <h1 className={styles.heading}>Checkout</h1>
        <div className={styles.empty}>
          <p>Your cart is empty.</p>
          <Link href="/" className={ui.primary}>
            Continue shopping
          </Link>
        </div>
      </div>
    );
  }

  const { step, challenge } = state;
  const blocking = cart.problems.filter((p) => p.code === 'unavailable' || p.code === 'insufficient_stock');
  const total = formatMoney(cart.grandTotal, cart.currency);
  const canPay =
    !state.submitting &&
    blocking.length === 0 &&
    cart.promotion?.status !== 'refused' &&
    !!cart.shippingMethod &&
    state.payments !== null;
  const headingRef = (which: Step) => (el: HTMLHeadingElement | null) => {
    headings.current[which] = el;
  };

  return (
    <div className={styles.page}>
      <h1 className={styles.heading}>Checkout</h1>
      {session.status === 'guest' ? (
        <p className={styles.signin}>
          Have an account? <Link href="/account?next=/checkout">Sign in</Link> for faster checkout.
        </p>
      ) : null}
      <div className={styles.layout}>
        <div className={styles.steps}>
          {blocking.length > 0 ? (
            <div className={ui.alert} role="alert">
              {blocking.map((p) => (
                <p key={`${p.code}-${p.variantId ?? ''}`} className={styles.tight}>
                  {p.message}
                </p>
              ))}
              <p className={styles.tight}>
                <Link href="/cart">Update your cart</Link> to continue.
              </p>
            </div>
          ) : null}

          <CheckoutStep
            step="contact"
            current={step}
            label="Contact and shipping address"
            headingRef={headingRef('contact')}
          >
            <ContactStep
              state={state}
              dispatch={dispatch}
              cart={cart}
              signedIn={customer !== null}
              active={step === 'contact'}
              onSaved={() => focusStep('shipping')}
              onChange={() => goTo('contact')}
            />
          </CheckoutStep>

          <CheckoutStep
            step="shipping"
            current={step}
            label="Shipping method"
            headingRef={headingRef('shipping')}
          >
            <ShippingStep
              cart={cart}
              error={state.shippingError}
              dispatch={dispatch}
              active={step === 'shipping'}
              passed={step === 'payment'}
              onContinue={() => goTo('payment')}
              onChange={() => goTo('shipping')}
            />
          </CheckoutStep>

          <CheckoutStep step="payment" current={step} label="Payment" headingRef={headingRef('payment')}>
            {step === 'payment' ? (
              <PaymentStep
                state={state}
                dispatch={dispatch}
                cart={cart}
                canPay={canPay}
                total={total}
                onPay={(event) => void payment.pay(event)}
                cardRef={payment.cardRef}
                failureRef={payment.failureRef}
                onStripeReady={payment.onStripeReady}
                onStripeChange={payment.onStripeChange}
              />
            ) : null}
          </CheckoutStep>
        </div>

        <CheckoutSummary cart={cart} total={total} />
      </div>

      {challenge ? (
        <BankChallenge
          amount={formatMoney(challenge.order.grandTotal, challenge.order.currency)}
          shopName={shopName}
          card={challenge.card || '••••'}
          busy={state.challengeBusy}
          onAnswer={(ok) => void payment.answerChallenge(ok)}
          onCancel={payment.cancelChallenge}
        />
      ) : null}
    </div>
  );
}
