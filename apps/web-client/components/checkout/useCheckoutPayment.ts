'use client';

import { useRouter } from 'next/navigation';
import { type Dispatch, type FormEvent, useCallback, useRef } from 'react';
import { api, isApiError, newIdempotencyKey } from '@/lib/client-api';
import { type CartView, loadCart, refreshCartEverywhere } from '../cart/cart-store';
import { attemptFor, type CheckoutAttempt, type CheckoutBody, isInterrupted } from './checkout-attempt';
import { explainCheckoutError } from './checkout-failure';
import type { CheckoutAction, CheckoutState, Failure, Step } from './checkout-reducer';
import { rememberJustPlaced } from './just-placed';
import { declineMessage } from './messages';
import type { StripeControls } from './StripePayment';
import type { CheckoutResult, Order } from './types';

const isPaid = (order: Order) => order.status !== 'pending' && order.status !== 'canceled';
const withToken = (path: string, token: string) => `${path}?token=${encodeURIComponent(token)}`;

/**
 * Paying: POST /api/checkout with the attempt's idempotency key (the same key again after an
 * interruption), then the bank's step when the payment needs one (Stripe's 3-D Secure, a
 * redirect, or the test provider's challenge), then the confirmation page.
 */
export function useCheckoutPayment({
  state,
  dispatch,
  cart,
  focusStep,
}: {
  state: CheckoutState;
  dispatch: Dispatch<CheckoutAction>;
  cart: CartView | null;
  /** Moves focus to a step's heading (after the step changed). */
  focusStep: (step: Step) => void;
}) {
  const router = useRouter();
  const cardRef = useRef<HTMLInputElement>(null);
  const failureRef = useRef<HTMLDivElement>(null);
  const stripe = useRef<StripeControls | null>(null);
  /** The attempt a network failure interrupted: retried with the same key and body. */
  const attempt = useRef<CheckoutAttempt | null>(null);
  const inFlight = useRef(false);
  const config = state.payments;

  /** Shows what went wrong (announced) and moves focus to it, or to where the shopper acts next. */
  const fail = (failure: Failure, focus: HTMLElement | null = null, step?: Step) => {
    dispatch({ type: 'failed', failure, step });
    if (step) focusStep(step);
    else requestAnimationFrame(() => (focus ?? failureRef.current)?.focus());
  };
  const notConfirmed = (message: string) => fail({ title: 'Payment not confirmed', message });

  const finish = (order: Order, token: string) => {
    dispatch({ type: 'placed' });
    rememberJustPlaced(order.id);
    void refreshCartEverywhere();
    router.push(`/orders/${order.id}?token=${encodeURIComponent(token)}`);
  };

  /** After the bank's step: paid → confirmation; otherwise say so and let the shopper try again. */
  const afterAuthentication = (order: Order, token: string) => {
    if (isPaid(order)) return finish(order, token);
    void loadCart();
    notConfirmed(declineMessage(order.paymentStatus === 'declined' ? 'authentication_failed' : null));
  };

  const answerChallenge = async (authenticated: boolean) => {
    const { challenge } = state;
    if (!challenge) return;
    dispatch({ type: 'challenge-answering' });
    try {
      const order = await api.post<Order>(
        withToken(`/api/orders/${challenge.order.id}/payment/test-authenticate`, challenge.token),
        { authenticated },
      );
      dispatch({ type: 'challenge-closed' });
      afterAuthentication(order, challenge.token);
    } catch (error) {
      dispatch({ type: 'challenge-closed' });
      notConfirmed(isApiError(error) ? error.detail : 'The bank did not answer. Try again.');
    }
  };

  const cancelChallenge = () => {
    dispatch({ type: 'challenge-closed' });
    notConfirmed('You closed your bank’s confirmation. Nothing was charged; pay again when you are ready.');
  };

  const handleResult = async ({ order, payment, accessToken, outcome }: CheckoutResult) => {
    if (payment.status === 'requires_action') {
      if (config?.provider === 'stripe' && payment.clientSecret && stripe.current) {
        dispatch({ type: 'progress', text: 'Waiting for your bank…' });
        const answer = await stripe.current.handleNextAction(payment.clientSecret);
        const fresh = await api.post<Order>(
          withToken(`/api/orders/${order.id}/payment/refresh`, accessToken),
          {},
        );
        if (answer.error && !isPaid(fresh)) {
          void loadCart();
          notConfirmed(answer.error);
          return;
        }
        return afterAuthentication(fresh, accessToken);
      }
      if (payment.nextAction?.type === 'redirect') {
        window.location.assign(payment.nextAction.url);
        return;
      }
      const card = state.card.replace(/\D/g, '').slice(-4);
      dispatch({ type: 'challenge-shown', challenge: { order, token: accessToken, card } });
      return;
    }
    if (outcome === 'placed') return finish(order, accessToken);
    fail({ title: 'Payment declined', message: declineMessage(payment.declineCode) });
    void loadCart();
  };

  const send = async (key: string, body: CheckoutBody): Promise<CheckoutResult> => {
    for (let tries = 0; ; tries += 1) {
      try {
        return await api.post<CheckoutResult>('/api/checkout', body, { idempotencyKey: key });
      } catch (error) {
        // The first request with this key is still running (e.g. a retry after a timeout).
        if (isApiError(error) && error.code === 'idempotency_request_in_progress' && tries < 15) {
          dispatch({ type: 'progress', text: 'Still working on your payment…' });
          await new Promise((resolve) => setTimeout(resolve, 1500));
          continue;
        }
        throw error;
      }
    }
  };

  /** The payment method to send: the test card typed, or a Stripe PaymentMethod; null when it cannot be had. */
  const paymentMethod = async (previous: CheckoutAttempt | null): Promise<string | null> => {
    if (config?.provider === 'test') {
      const digits = state.card.replace(/\D/g, '');
      if (digits.length >= 12) return digits;
      dispatch({
        type: 'card-refused',
        message: digits ? 'That card number is too short.' : 'Enter a card number.',
      });
      cardRef.current?.focus();
      return null;
    }
    if (previous) return previous.body.payment.method; // the same PaymentMethod as the interrupted attempt
    if (!stripe.current) {
      fail({ title: 'One moment', message: 'The card form is still loading. Try again in a second.' });
      return null;
    }
    dispatch({ type: 'progress', text: 'Checking your card…' });
    const created = await stripe.current.createPaymentMethod();
    if ('error' in created) {
      fail({ title: 'Check your payment details', message: created.error });
      return null;
    }
    return created.id;
  };

  const pay = async (event?: FormEvent) => {
    event?.preventDefault();
    if (inFlight.current || !cart || !config) return;
    const previous = attempt.current;
    inFlight.current = true;
    dispatch({ type: 'pay-started' });
    try {
      const method = await paymentMethod(previous);
      if (method === null) return;
      const body: CheckoutBody =
        config.provider !== 'test' && previous
          ? previous.body
          : {
              ...(cart.email ? { email: cart.email } : {}),
              ...(cart.shippingAddress
                ? { shippingAddress: cart.shippingAddress as Record<string, unknown> }
                : {}),
              ...(cart.shippingMethod ? { shippingMethodId: cart.shippingMethod.id } : {}),
              payment: { method },
            };
      const current = attemptFor(previous, body, newIdempotencyKey);
      attempt.current = current;
      let result: CheckoutResult;
      try {
        result = await send(current.key, current.body);
      } catch (error) {
        if (!isInterrupted(isApiError(error) ? error : null)) attempt.current = null;
        const { failure, step } = explainCheckoutError(error, cart);
        if (failure.action === 'cart' || failure.action === 'remove-promotion') void loadCart();
        if (isApiError(error) && error.code === 'payment_declined' && config.provider === 'test') {
          // Try another card: the field is cleared, focused and tells why.
          dispatch({ type: 'card-refused', message: 'Declined. Enter another card number.', clear: true });
          fail(failure, cardRef.current);
        } else {
          fail(failure, null, step);
        }
        return;
      }
      attempt.current = null;
      await handleResult(result);
    } catch (error) {
      const { failure, step } = explainCheckoutError(error, cart);
      fail(failure, null, step);
    } finally {
      inFlight.current = false;
      dispatch({ type: 'pay-ended' });
    }
  };

  const onStripeReady = useCallback((controls: StripeControls) => {
    stripe.current = controls;
  }, []);
  const onStripeChange = useCallback(() => {
    attempt.current = null; // new card details: a new attempt
  }, []);

  return { pay, answerChallenge, cancelChallenge, onStripeReady, onStripeChange, cardRef, failureRef };
}
