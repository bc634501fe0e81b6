'use client';

import type { Address } from '@e3d/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import {
  type FormEvent,
  lazy,
  type ReactNode,
  Suspense,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import { api, isApiError, newIdempotencyKey } from '@/lib/client-api';
import { formatMoney } from '@/lib/money';
import { apiFieldErrors } from '../account/forms';
import { useSession } from '../account/session-store';
import { CartLines } from '../cart/CartLines';
import { CartTotals } from '../cart/CartTotals';
import {
  type CartView,
  loadCart,
  refreshCartEverywhere,
  removePromotion,
  updateCartDetails,
  useCart,
} from '../cart/cart-store';
import { promotionReason } from '../cart/messages';
import { PromoCodeForm } from '../cart/PromoCodeForm';
import ui from '../cart/ui.module.css';
import {
  AddressFields,
  type AddressValues,
  addressBody,
  addressValues,
  checkAddress,
  emptyAddress,
  formatAddressLines,
} from './AddressFields';
import { BankChallenge } from './BankChallenge';
import styles from './CheckoutPage.module.css';
import { countryName } from './countries';
import { focusFirstInvalid, TextField } from './Field';
import { declineMessage } from './messages';
import { ShippingMethods } from './ShippingMethods';
import type { StripeControls } from './StripePayment';
import { TestCardField } from './TestCardField';
import type { CheckoutResult, Order, PaymentsConfig } from './types';

const StripePayment = lazy(() => import('./StripePayment'));

type Step = 'contact' | 'shipping' | 'payment';
const STEPS: Step[] = ['contact', 'shipping', 'payment'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FIELD_LABELS: Record<string, string> = {
  email: 'Email',
  name: 'Full name',
  company: 'Company',
  line1: 'Address',
  line2: 'Apartment, suite, etc.',
  city: 'City',
  region: 'State or region',
  postalCode: 'Postal code',
  country: 'Country',
  phone: 'Phone',
};

interface CheckoutBody {
  email?: string;
  shippingAddress?: Record<string, unknown>;
  shippingMethodId?: string;
  payment: { method: string };
}

/** What went wrong with the last attempt, in words, and what the shopper can do about it. */
interface Failure {
  title: string;
  message: ReactNode;
  action?: 'cart' | 'remove-promotion' | 'retry' | 'home';
}

/** Orders placed in this tab: the confirmation page says thank you for them. */
export const JUST_PLACED_KEY = 'e3d_just_placed';

export function CheckoutPage({ shopName }: { shopName: string }) {
  const router = useRouter();
  const { cart, status: cartStatus } = useCart();
  const session = useSession();
  const customer = session.status === 'signed-in' ? session.customer : null;

  const [step, setStep] = useState<Step | null>(null);
  const [email, setEmail] = useState('');
  const [address, setAddress] = useState<AddressValues>(emptyAddress());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [savingDetails, setSavingDetails] = useState(false);
  const [saved, setSaved] = useState<Address[]>([]);
  const [saveToBook, setSaveToBook] = useState(true);
  const [shippingError, setShippingError] = useState<string | null>(null);

  const [config, setConfig] = useState<PaymentsConfig | null>(null);
  const [configError, setConfigError] = useState(false);
  const [card, setCard] = useState('');
  const [cardError, setCardError] = useState<string | undefined>();
  const [submitting, setSubmitting] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [challenge, setChallenge] = useState<{ order: Order; token: string; card: string } | null>(null);
  const [challengeBusy, setChallengeBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [summaryOpen, setSummaryOpen] = useState(false);

  const touched = useRef(false);
  const headings = useRef<Partial<Record<Step, HTMLHeadingElement | null>>>({});
  const formRef = useRef<HTMLFormElement>(null);
  const cardRef = useRef<HTMLInputElement>(null);
  const failureRef = useRef<HTMLDivElement>(null);
  const stripe = useRef<StripeControls | null>(null);
  /** The attempt a network failure interrupted: retried with the same key and body. */
  const attempt = useRef<{ key: string; body: CheckoutBody } | null>(null);
  const inFlight = useRef(false);
  const focusErrors = useRef(false);

  useEffect(() => {
    void loadCart();
    api
      .get<PaymentsConfig>('/api/payments/config')
      .then(setConfig)
      .catch(() => setConfigError(true));
  }, []);

  // Where to start, once: the furthest step the cart already has everything for.
  useEffect(() => {
    if (step !== null || !cart) return;
    if (cart.email) setEmail(cart.email);
    if (cart.shippingAddress) setAddress(addressValues(cart.shippingAddress));
    setStep(cart.email && cart.shippingAddress ? (cart.shippingMethod ? 'payment' : 'shipping') : 'contact');
  }, [cart, step]);

  // Signed in: the account's email and saved addresses (the default one unless the cart has one).
  const cartHasAddress = !!cart?.shippingAddress;
  useEffect(() => {
    if (!customer) return;
    setEmail((current) => current || customer.email);
    let live = true;
    api
      .get<{ items: Address[] }>('/api/me/addresses')
      .then(({ items }) => {
        if (!live) return;
        setSaved(items);
        const preferred = items.find((a) => a.isDefaultShipping) ?? items[0];
        if (preferred && !touched.current && !cartHasAddress) setAddress(addressValues(preferred));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [customer, cartHasAddress]);

  useEffect(() => {
    if (focusErrors.current) {
      focusErrors.current = false;
      focusFirstInvalid(formRef.current);
    }
  });

  const goTo = useCallback((next: Step) => {
    setStep(next);
    requestAnimationFrame(() => headings.current[next]?.focus());
  }, []);

  /** Shows what went wrong (announced) and moves focus to it, or to where the shopper acts next. */
  const showFailure = (next: Failure, focus: HTMLElement | null = null) => {
    setFailure(next);
    requestAnimationFrame(() => (focus ?? failureRef.current)?.focus());
  };

  const setAddressField = (field: keyof AddressValues, value: string) => {
    touched.current = true;
    setAddress((current) => ({
      ...current,
      [field]: value,
      // A state from another country's list would be wrong.
      ...(field === 'country' && value !== current.country ? { region: '' } : {}),
    }));
    setErrors((current) => {
      if (!current[field]) return current;
      const { [field]: _gone, ...rest } = current;
      return rest;
    });
  };

  const submitDetails = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!EMAIL.test(email.trim())) found.email = 'Enter an email address like name@example.com.';
    Object.assign(found, checkAddress(address));
    setFormError(null);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusErrors.current = true;
      return;
    }
    setSavingDetails(true);
    try {
      const body = addressBody(address);
      await updateCartDetails({ email: email.trim(), shippingAddress: body });
      const known = saved.some(
        (a) => a.line1 === body.line1 && a.postalCode === body.postalCode && a.country === body.country,
      );
      if (customer && saveToBook && !known) {
        api
          .post<Address>('/api/me/addresses', body)
          .then((created) => setSaved((list) => [...list, created]))
          .catch(() => undefined);
      }
      goTo('shipping');
    } catch (error) {
      // The API's messages, on the fields they are about ("shippingAddress.name: is required").
      const mapped = apiFieldErrors(error, FIELD_LABELS);
      if (Object.keys(mapped).length > 0) {
        setErrors(mapped);
        focusErrors.current = true;
      } else {
        setFormError(isApiError(error) ? error.detail : 'Your details could not be saved. Try again.');
      }
    } finally {
      setSavingDetails(false);
    }
  };

  const finish = (order: Order, token: string) => {
    setDone(true);
    try {
      sessionStorage.setItem(JUST_PLACED_KEY, order.id);
    } catch {
      // private mode: no thank-you banner, nothing else lost
    }
    void refreshCartEverywhere();
    router.push(`/orders/${order.id}?token=${encodeURIComponent(token)}`);
  };

  const isPaid = (order: Order) => order.status !== 'pending' && order.status !== 'canceled';

  /** After the bank's step: paid → confirmation; otherwise say so and let the shopper try again. */
  const afterAuthentication = (order: Order, token: string) => {
    if (isPaid(order)) return finish(order, token);
    void loadCart();
    showFailure({
      title: 'Payment not confirmed',
      message: declineMessage(order.paymentStatus === 'declined' ? 'authentication_failed' : null),
    });
  };

  const answerChallenge = async (authenticated: boolean) => {
    if (!challenge) return;
    setChallengeBusy(true);
    try {
      const order = await api.post<Order>(
        `/api/orders/${challenge.order.id}/payment/test-authenticate?token=${encodeURIComponent(challenge.token)}`,
        { authenticated },
      );
      setChallenge(null);
      afterAuthentication(order, challenge.token);
    } catch (error) {
      setChallenge(null);
      showFailure({
        title: 'Payment not confirmed',
        message: isApiError(error) ? error.detail : 'The bank did not answer. Try again.',
      });
    } finally {
      setChallengeBusy(false);
    }
  };

  const cancelChallenge = () => {
    setChallenge(null);
    showFailure({
      title: 'Payment not confirmed',
      message: 'You closed your bank’s confirmation. Nothing was charged; pay again when you are ready.',
    });
  };

  const handleResult = async (result: CheckoutResult) => {
    const { order, payment, accessToken } = result;
    if (payment.status === 'requires_action') {
      if (config?.provider === 'stripe' && payment.clientSecret && stripe.current) {
        setProgress('Waiting for your bank…');
        const answer = await stripe.current.handleNextAction(payment.clientSecret);
        const fresh = await api.post<Order>(
          `/api/orders/${order.id}/payment/refresh?token=${encodeURIComponent(accessToken)}`,
          {},
        );
        if (answer.error && !isPaid(fresh)) {
          void loadCart();
          showFailure({ title: 'Payment not confirmed', message: answer.error });
          return;
        }
        return afterAuthentication(fresh, accessToken);
      }
      if (payment.nextAction?.type === 'redirect') {
        window.location.assign(payment.nextAction.url);
        return;
      }
      setChallenge({ order, token: accessToken, card: card.replace(/\D/g, '').slice(-4) });
      return;
    }
    if (result.outcome === 'placed') return finish(order, accessToken);
    showFailure({ title: 'Payment declined', message: declineMessage(payment.declineCode) });
    void loadCart();
  };

  const explain = (error: unknown, current: CartView): Failure => {
    if (!isApiError(error))
      return { title: 'Something went wrong', message: 'Please try again.', action: 'retry' };
    const title = (id: unknown) =>
      current.lines.find((l) => l.variantId === id)?.productTitle ?? 'An item in your cart';
    switch (error.code) {
      case 'payment_declined':
        return {
          title: 'Payment declined',
          message: declineMessage(error.extensions.declineCode as string | undefined),
        };
      case 'out_of_stock': {
        const items =
          (error.extensions.items as { variantId: string; requested: number; available: number }[]) ?? [];
        const soldOut = items.filter((i) => i.available === 0);
        const short = items.filter((i) => i.available > 0);
        return {
          title: soldOut.length > 0 ? 'Sorry, someone just bought the last one' : 'Not enough left in stock',
          message: (
            <ul className={styles.items}>
              {soldOut.map((i) => (
                <li key={i.variantId}>
                  <strong>{title(i.variantId)}</strong> just sold out.
                </li>
              ))}
              {short.map((i) => (
                <li key={i.variantId}>
                  <strong>{title(i.variantId)}</strong>: only {i.available} left (you wanted {i.requested}).
                </li>
              ))}
              <li>Nothing was charged. Update your cart to continue.</li>
            </ul>
          ),
          action: 'cart',
        };
      }
      case 'items_unavailable': {
        const items = (error.extensions.items as { variantId: string }[]) ?? [];
        return {
          title: 'Some items are no longer available',
          message: `${items.map((i) => title(i.variantId)).join(', ') || 'An item'} can no longer be bought. Remove it from your cart to continue.`,
          action: 'cart',
        };
      }
      case 'cart_empty':
        return { title: 'Your cart is empty', message: 'There is nothing to pay for.', action: 'home' };
      case 'shipping_unavailable':
        goTo('shipping');
        return { title: 'Choose another shipping method', message: error.detail };
      case 'email_required':
      case 'shipping_address_required':
        goTo('contact');
        return { title: 'Some details are missing', message: error.detail };
      case 'shipping_method_required':
      case 'shipping_method_not_found':
        goTo('shipping');
        return { title: 'Choose a shipping method', message: error.detail };
      case 'idempotency_key_reused':
        return { title: 'Please try again', message: 'Your details changed while paying.', action: 'retry' };
      case 'rate_limited':
      case 'too_many_requests':
        return { title: 'Too many attempts', message: 'Please wait a minute before trying again.' };
      case 'payment_provider_unavailable':
        return {
          title: 'The payment service did not answer',
          message: 'You have not been charged twice — try again in a moment.',
          action: 'retry',
        };
      default:
        if (error.code.startsWith('promotion_')) {
          return {
            title: 'Your promotion code cannot be used',
            message: `${promotionReason(error.code)} Remove it to pay without it.`,
            action: 'remove-promotion',
          };
        }
        if (error.isNetworkError || error.status >= 500) {
          return {
            title: 'Connection problem',
            message: 'We could not confirm your order. Try again: you will not be charged twice.',
            action: 'retry',
          };
        }
        return { title: 'Your order was not placed', message: error.detail };
    }
  };

  const send = async (key: string, body: CheckoutBody): Promise<CheckoutResult> => {
    for (let tries = 0; ; tries += 1) {
      try {
        return await api.post<CheckoutResult>('/api/checkout', body, { idempotencyKey: key });
      } catch (error) {
        // The first request with this key is still running (e.g. a retry after a timeout).
        if (isApiError(error) && error.code === 'idempotency_request_in_progress' && tries < 15) {
          setProgress('Still working on your payment…');
          await new Promise((resolve) => setTimeout(resolve, 1500));
          continue;
        }
        throw error;
      }
    }
  };

  const pay = async (event?: FormEvent) => {
    event?.preventDefault();
    if (inFlight.current || !cart || !config) return;
    setFailure(null);
    setCardError(undefined);
    let body: CheckoutBody;
    const previous = attempt.current;
    const details = {
      ...(cart.email ? { email: cart.email } : {}),
      ...(cart.shippingAddress ? { shippingAddress: cart.shippingAddress as Record<string, unknown> } : {}),
      ...(cart.shippingMethod ? { shippingMethodId: cart.shippingMethod.id } : {}),
    };
    inFlight.current = true;
    setSubmitting(true);
    setProgress('Placing your order…');
    try {
      if (config.provider === 'test') {
        const digits = card.replace(/\D/g, '');
        if (digits.length < 12) {
          setCardError(digits ? 'That card number is too short.' : 'Enter a card number.');
          cardRef.current?.focus();
          return;
        }
        body = { ...details, payment: { method: digits } };
      } else if (previous) {
        body = previous.body; // the same PaymentMethod as the interrupted attempt
      } else {
        if (!stripe.current) {
          showFailure({
            title: 'One moment',
            message: 'The card form is still loading. Try again in a second.',
          });
          return;
        }
        setProgress('Checking your card…');
        const created = await stripe.current.createPaymentMethod();
        if ('error' in created) {
          showFailure({ title: 'Check your payment details', message: created.error });
          return;
        }
        body = { ...details, payment: { method: created.id } };
      }
      const same = previous && JSON.stringify(previous.body) === JSON.stringify(body);
      const key = same && previous ? previous.key : newIdempotencyKey();
      attempt.current = { key, body };
      let result: CheckoutResult;
      try {
        result = await send(key, body);
      } catch (error) {
        const retryable = isApiError(error) && (error.isNetworkError || error.status >= 500);
        if (!retryable) attempt.current = null;
        const explained = explain(error, cart);
        if (explained.action === 'cart' || explained.action === 'remove-promotion') void loadCart();
        if (isApiError(error) && error.code === 'payment_declined' && config.provider === 'test') {
          // Try another card: the field is cleared, focused and tells why.
          setCard('');
          setCardError('Declined. Enter another card number.');
          showFailure(explained, cardRef.current);
        } else {
          showFailure(explained);
        }
        return;
      }
      attempt.current = null;
      await handleResult(result);
    } catch (error) {
      showFailure(explain(error, cart));
    } finally {
      inFlight.current = false;
      setSubmitting(false);
      setProgress(null);
    }
  };

  const onStripeReady = useCallback((controls: StripeControls) => {
    stripe.current = controls;
  }, []);
  const onStripeChange = useCallback(() => {
    attempt.current = null; // new card details: a new attempt
  }, []);

  if (done) {
    return (
      <div className={styles.center} role="status">
        <span className={ui.spinner} aria-hidden="true" /> Order placed — opening your confirmation…
      </div>
    );
  }

  if (!cart || step === null) {
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

  const index = STEPS.indexOf(step);
  const blocking = cart.problems.filter((p) => p.code === 'unavailable' || p.code === 'insufficient_stock');
  const promotionRefused = cart.promotion?.status === 'refused';
  const total = formatMoney(cart.grandTotal, cart.currency);
  const canPay =
    !submitting && blocking.length === 0 && !promotionRefused && !!cart.shippingMethod && config !== null;

  const stepHeading = (which: Step, label: string) => (
    <h2
      className={styles.stepTitle}
      tabIndex={-1}
      ref={(el) => {
        headings.current[which] = el;
      }}
    >
      <span className={styles.stepNumber} aria-hidden="true">
        {STEPS.indexOf(which) < index ? '✓' : STEPS.indexOf(which) + 1}
      </span>
      {label}
      {STEPS.indexOf(which) < index ? <span className="visually-hidden"> (done)</span> : null}
    </h2>
  );

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

          {/* 1. Contact and address */}
          <section className={styles.step} aria-current={step === 'contact' ? 'step' : undefined}>
            {stepHeading('contact', 'Contact and shipping address')}
            {step === 'contact' ? (
              <form ref={formRef} onSubmit={submitDetails} noValidate className={styles.form}>
                {formError ? (
                  <p className={ui.alert} role="alert">
                    {formError}
                  </p>
                ) : null}
                <TextField
                  id="checkout-email"
                  label="Email"
                  type="email"
                  name="email"
                  autoComplete="email"
                  inputMode="email"
                  spellCheck={false}
                  value={email}
                  onChange={(e) => {
                    setEmail(e.target.value);
                    if (errors.email) setErrors(({ email: _e, ...rest }) => rest);
                  }}
                  error={errors.email}
                  hint="For your receipt and delivery updates"
                />
                <fieldset className={styles.fieldset}>
                  <legend className={styles.legend}>Shipping address</legend>
                  {saved.length > 0 ? (
                    <div className={styles.savedList}>
                      <label htmlFor="checkout-saved" className={styles.smallLabel}>
                        Saved addresses
                      </label>
                      <select
                        id="checkout-saved"
                        className={styles.select}
                        defaultValue=""
                        onChange={(e) => {
                          const chosen = saved.find((a) => a.id === e.target.value);
                          if (chosen) {
                            touched.current = true;
                            setAddress(addressValues(chosen));
                            setErrors({});
                          }
                        }}
                      >
                        <option value="">Choose a saved address…</option>
                        {saved.map((a) => (
                          <option key={a.id} value={a.id}>
                            {[a.name, a.line1, a.city, a.postalCode].join(', ')}
                          </option>
                        ))}
                      </select>
                    </div>
                  ) : null}
                  <AddressFields
                    values={address}
                    onChange={setAddressField}
                    errors={errors}
                    idPrefix="checkout"
                  />
                  {customer ? (
                    <label className={styles.checkbox}>
                      <input
                        type="checkbox"
                        checked={saveToBook}
                        onChange={(e) => setSaveToBook(e.target.checked)}
                      />
                      Save this address to my account
                    </label>
                  ) : null}
                </fieldset>
                <button type="submit" className={`${ui.primary} ${styles.next}`} disabled={savingDetails}>
                  {savingDetails ? <span className={ui.spinner} aria-hidden="true" /> : null}
                  Continue to shipping
                </button>
              </form>
            ) : (
              <div className={styles.done}>
                <div>
                  <p className={styles.tight}>{cart.email}</p>
                  {cart.shippingAddress ? (
                    <address className={styles.address}>
                      {formatAddressLines(cart.shippingAddress, countryName).join(', ')}
                    </address>
                  ) : null}
                </div>
                <button type="button" className={ui.linkButton} onClick={() => goTo('contact')}>
                  Change<span className="visually-hidden"> contact and address</span>
                </button>
              </div>
            )}
          </section>

          {/* 2. Shipping method */}
          <section className={styles.step} aria-current={step === 'shipping' ? 'step' : undefined}>
            {stepHeading('shipping', 'Shipping method')}
            {step === 'shipping' ? (
              <div className={styles.form}>
                {shippingError ? (
                  <p className={ui.alert} role="alert">
                    {shippingError}
                  </p>
                ) : null}
                {cart.problems
                  .filter((p) => p.code === 'shipping_unavailable')
                  .map((p) => (
                    <p key={p.code} className={ui.alert} role="alert">
                      {p.message}
                    </p>
                  ))}
                <ShippingMethods cart={cart} onError={setShippingError} />
                <button
                  type="button"
                  className={`${ui.primary} ${styles.next}`}
                  disabled={!cart.shippingMethod}
                  onClick={() => goTo('payment')}
                >
                  Continue to payment
                </button>
              </div>
            ) : index > 1 && cart.shippingMethod ? (
              <div className={styles.done}>
                <p className={styles.tight}>
                  {cart.shippingMethod.name} ·{' '}
                  {cart.shippingTotal === 0 ? 'Free' : formatMoney(cart.shippingTotal, cart.currency)}
                </p>
                <button type="button" className={ui.linkButton} onClick={() => goTo('shipping')}>
                  Change<span className="visually-hidden"> shipping method</span>
                </button>
              </div>
            ) : null}
          </section>

          {/* 3. Payment */}
          <section className={styles.step} aria-current={step === 'payment' ? 'step' : undefined}>
            {stepHeading('payment', 'Payment')}
            {step === 'payment' ? (
              <form onSubmit={pay} noValidate className={styles.form} aria-busy={submitting}>
                {configError ? (
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
                    value={card}
                    onChange={(value) => {
                      setCard(value);
                      setCardError(undefined);
                    }}
                    error={cardError}
                    cards={config.testCards}
                    disabled={submitting}
                  />
                )}

                <div ref={failureRef} tabIndex={-1} className={styles.failureAnchor}>
                  {failure ? (
                    <div className={ui.alert} role="alert" data-testid="checkout-error">
                      <p className={styles.tight}>
                        <strong>{failure.title}.</strong>
                      </p>
                      <div className={styles.failureText}>{failure.message}</div>
                      {failure.action === 'cart' ? (
                        <Link href="/cart" className={ui.secondary}>
                          Back to your cart
                        </Link>
                      ) : failure.action === 'home' ? (
                        <Link href="/" className={ui.secondary}>
                          Continue shopping
                        </Link>
                      ) : failure.action === 'remove-promotion' ? (
                        <button
                          type="button"
                          className={ui.secondary}
                          onClick={() => {
                            void removePromotion().then(
                              () => setFailure(null),
                              () => undefined,
                            );
                          }}
                        >
                          Remove the code
                        </button>
                      ) : null}
                    </div>
                  ) : null}
                </div>

                {promotionRefused && cart.promotion ? (
                  <p className={ui.alert}>
                    Code {cart.promotion.code} does not apply. {promotionReason(cart.promotion.reason)} Remove
                    it in the order summary to pay.
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
                  {submitting ? (progress ?? 'Processing…') : `Pay ${total}`}
                </button>
                <p id="checkout-pay-note" className={`${ui.muted} ${ui.small} ${styles.note}`}>
                  Your order is placed when the payment goes through. We email your receipt to {cart.email}.
                </p>
                <p className="visually-hidden" role="status" aria-live="polite">
                  {submitting ? (progress ?? 'Processing…') : ''}
                </p>
              </form>
            ) : null}
          </section>
        </div>

        <aside
          className={styles.summary}
          aria-labelledby="checkout-summary-heading"
          data-open={summaryOpen || undefined}
        >
          <button
            type="button"
            className={styles.summaryToggle}
            aria-expanded={summaryOpen}
            aria-controls="checkout-summary-body"
            onClick={() => setSummaryOpen((open) => !open)}
          >
            <span>{summaryOpen ? 'Hide order summary' : 'Show order summary'}</span>
            <span className={styles.summaryTotal}>{total}</span>
          </button>
          <h2 id="checkout-summary-heading" className={styles.summaryHeading}>
            Order summary
          </h2>
          <div id="checkout-summary-body" className={styles.summaryBody}>
            <CartLines cart={cart} readOnly compact />
            <PromoCodeForm cart={cart} />
            <CartTotals cart={cart} stage="checkout" />
            <Link href="/cart" className={styles.editCart}>
              Edit cart
            </Link>
          </div>
        </aside>
      </div>

      {challenge ? (
        <BankChallenge
          amount={formatMoney(challenge.order.grandTotal, challenge.order.currency)}
          shopName={shopName}
          card={challenge.card || '••••'}
          busy={challengeBusy}
          onAnswer={(ok) => void answerChallenge(ok)}
          onCancel={cancelChallenge}
        />
      ) : null}
    </div>
  );
}
