'use client';

import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import type { Stripe } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure';
import { useEffect, useState } from 'react';

/** What checkout asks of Stripe: a PaymentMethod from the Payment Element, and the 3-D Secure step. */
export interface StripeControls {
  createPaymentMethod(): Promise<{ id: string } | { error: string }>;
  handleNextAction(clientSecret: string): Promise<{ error?: string }>;
}

let stripePromise: Promise<Stripe | null> | null = null;
let promiseKey: string | null = null;

/** Stripe.js is fetched from Stripe only here, when the shop uses Stripe (never for the test provider). */
function stripeFor(publishableKey: string) {
  if (!stripePromise || promiseKey !== publishableKey) {
    promiseKey = publishableKey;
    // Unreachable (offline, blocked): null, and the form says so; a reload tries again.
    stripePromise = loadStripe(publishableKey).catch(() => null);
  }
  return stripePromise;
}

/** The Stripe Payment Element, in deferred-intent mode: the API creates the PaymentIntent at checkout. */
export default function StripePayment({
  publishableKey,
  amount,
  currency,
  onReady,
  onChange,
}: {
  publishableKey: string;
  amount: number;
  currency: string;
  onReady: (controls: StripeControls) => void;
  onChange: () => void;
}) {
  const [unavailable, setUnavailable] = useState(false);
  useEffect(() => {
    let live = true;
    void stripeFor(publishableKey).then((stripe) => {
      if (live && !stripe) setUnavailable(true);
    });
    return () => {
      live = false;
    };
  }, [publishableKey]);
  if (unavailable) {
    return (
      <p role="alert" style={{ color: 'var(--danger)', margin: 0 }}>
        The card form could not load. Check your connection, then reload the page.
      </p>
    );
  }
  return (
    <Elements
      stripe={stripeFor(publishableKey)}
      options={{
        mode: 'payment',
        amount: Math.max(amount, 1),
        currency: currency.toLowerCase(),
        paymentMethodCreation: 'manual',
        appearance: {
          theme: 'stripe',
          variables: { colorPrimary: '#1d4ed8', colorDanger: '#b91c1c', borderRadius: '8px' },
        },
      }}
    >
      <PaymentForm onReady={onReady} onChange={onChange} />
    </Elements>
  );
}

function PaymentForm({
  onReady,
  onChange,
}: {
  onReady: (controls: StripeControls) => void;
  onChange: () => void;
}) {
  const stripe = useStripe();
  const elements = useElements();
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    if (!stripe || !elements) return;
    onReady({
      async createPaymentMethod() {
        const submitted = await elements.submit();
        if (submitted.error) return { error: submitted.error.message ?? 'Check your card details.' };
        const result = await stripe.createPaymentMethod({ elements });
        if (result.error) return { error: result.error.message ?? 'Check your card details.' };
        return { id: result.paymentMethod.id };
      },
      async handleNextAction(clientSecret: string) {
        const result = await stripe.handleNextAction({ clientSecret });
        return result.error
          ? { error: result.error.message ?? 'Your bank did not confirm the payment.' }
          : {};
      },
    });
  }, [stripe, elements, onReady]);

  return (
    <>
      <PaymentElement
        options={{ layout: 'tabs' }}
        onChange={onChange}
        onLoadError={(event) => setLoadError(event.error.message ?? 'The payment form did not load.')}
      />
      {loadError ? (
        <p role="alert" style={{ color: 'var(--danger)' }}>
          {loadError} Reload the page to try again.
        </p>
      ) : null}
    </>
  );
}
