import type { Address } from '@e3d/contracts';
import { describe, expect, it } from 'vitest';
import { attemptFor, type CheckoutBody, isInterrupted } from '../components/checkout/checkout-attempt.ts';
import {
  type CheckoutAction,
  type CheckoutState,
  checkoutReducer,
  initialCheckoutState,
  startStep,
} from '../components/checkout/checkout-reducer.ts';
import type { Order } from '../components/checkout/types.ts';

/** Checkout's state machine without a browser: where it starts, the address form, paying. */

const run = (...actions: CheckoutAction[]): CheckoutState =>
  actions.reduce(checkoutReducer, initialCheckoutState());

const ADDRESS = {
  name: 'Ada Shopper',
  company: null,
  line1: '1 Market St',
  line2: null,
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94105',
  country: 'US',
  phone: null,
};

const saved = (id: string, changes: Partial<Address> = {}): Address => ({
  ...ADDRESS,
  id,
  isDefaultShipping: false,
  isDefaultBilling: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...changes,
});

describe('checkout reducer', () => {
  it('starts at the furthest step the cart has everything for', () => {
    const none = { email: null, shippingAddress: null, hasShippingMethod: false };
    expect(startStep(none)).toBe('contact');
    expect(startStep({ ...none, email: 'ada@example.com' })).toBe('contact');
    expect(startStep({ ...none, email: 'ada@example.com', shippingAddress: ADDRESS })).toBe('shipping');
    expect(startStep({ email: 'ada@example.com', shippingAddress: ADDRESS, hasShippingMethod: true })).toBe(
      'payment',
    );
  });

  it('takes the first cart’s details and step; later carts do not move the shopper', () => {
    const first = run({
      type: 'cart-loaded',
      cart: { email: 'ada@example.com', shippingAddress: ADDRESS, hasShippingMethod: false },
    });
    expect(first.step).toBe('shipping');
    expect(first.email).toBe('ada@example.com');
    expect(first.address).toMatchObject({ name: 'Ada Shopper', company: '', line2: '', region: 'CA' });

    const later = checkoutReducer(first, {
      type: 'cart-loaded',
      cart: { email: 'other@example.com', shippingAddress: null, hasShippingMethod: true },
    });
    expect(later).toBe(first);
  });

  it('fills the signed-in email only when none was typed', () => {
    expect(run({ type: 'signed-in', email: 'ada@example.com' }).email).toBe('ada@example.com');
    expect(
      run(
        { type: 'email-changed', email: 'typed@example.com' },
        { type: 'signed-in', email: 'ada@example.com' },
      ).email,
    ).toBe('typed@example.com');
  });

  it('prefills the default saved address unless the cart has one or the shopper typed', () => {
    const book = [saved('a', { name: 'Other' }), saved('b', { name: 'Default', isDefaultShipping: true })];
    const prefilled = run({ type: 'address-book-loaded', addresses: book, cartHasAddress: false });
    expect(prefilled.savedAddresses).toHaveLength(2);
    expect(prefilled.address.name).toBe('Default');

    expect(run({ type: 'address-book-loaded', addresses: book, cartHasAddress: true }).address.name).toBe('');
    const typed = run(
      { type: 'address-changed', field: 'name', value: 'Typed' },
      { type: 'address-book-loaded', addresses: book, cartHasAddress: false },
    );
    expect(typed.address.name).toBe('Typed');
    expect(typed.savedAddresses).toHaveLength(2);
  });

  it('clears a field’s message as it changes, and the state when the country does', () => {
    const checked = run(
      { type: 'address-changed', field: 'region', value: 'CA' },
      { type: 'details-submitted', errors: { city: 'Enter a city.', email: 'Enter an email address.' } },
    );
    expect(checked.savingDetails).toBe(false);
    const city = checkoutReducer(checked, { type: 'address-changed', field: 'city', value: 'SF' });
    expect(city.errors).toEqual({ email: 'Enter an email address.' });
    expect(checkoutReducer(city, { type: 'email-changed', email: 'a@b.co' }).errors).toEqual({});

    const sameCountry = checkoutReducer(city, { type: 'address-changed', field: 'country', value: 'US' });
    expect(sameCountry.address.region).toBe('CA');
    const moved = checkoutReducer(city, { type: 'address-changed', field: 'country', value: 'DE' });
    expect(moved.address).toMatchObject({ country: 'DE', region: '' });

    const chosen = checkoutReducer(checked, { type: 'saved-address-chosen', address: saved('a') });
    expect(chosen.errors).toEqual({});
    expect(chosen.addressTouched).toBe(true);
    expect(chosen.address.line1).toBe('1 Market St');
  });

  it('saves the details, then moves to shipping; a refusal lands on the fields or the form', () => {
    const saving = run({ type: 'details-submitted', errors: {} });
    expect(saving.savingDetails).toBe(true);
    expect(checkoutReducer(saving, { type: 'details-saved' })).toMatchObject({
      savingDetails: false,
      step: 'shipping',
    });

    const onField = checkoutReducer(saving, {
      type: 'details-refused',
      errors: { name: 'Full name is required.' },
      message: 'Validation failed',
    });
    expect(onField).toMatchObject({ savingDetails: false, errors: { name: 'Full name is required.' } });
    expect(onField.formError).toBeNull();

    const onForm = checkoutReducer(saving, {
      type: 'details-refused',
      errors: {},
      message: 'Cart is closed.',
    });
    expect(onForm).toMatchObject({ savingDetails: false, errors: {}, formError: 'Cart is closed.' });
  });

  it('runs a payment attempt: progress while it works, a failure that can send the shopper back', () => {
    const paying = run(
      { type: 'go', step: 'payment' },
      { type: 'card-changed', card: '4000 0000 0000 0002' },
      { type: 'pay-started' },
    );
    expect(paying).toMatchObject({ submitting: true, progress: 'Placing your order…', failure: null });

    const declined = run(
      { type: 'go', step: 'payment' },
      { type: 'card-changed', card: '4000 0000 0000 0002' },
      { type: 'pay-started' },
      { type: 'card-refused', message: 'Declined. Enter another card number.', clear: true },
      { type: 'failed', failure: { title: 'Payment declined', message: 'Your card was declined.' } },
      { type: 'pay-ended' },
    );
    expect(declined).toMatchObject({
      step: 'payment',
      card: '',
      cardError: 'Declined. Enter another card number.',
      submitting: false,
      progress: null,
      failure: { title: 'Payment declined' },
    });
    // Typing another card clears its message; the next attempt clears the failure.
    const retyped = checkoutReducer(declined, { type: 'card-changed', card: '4242' });
    expect(retyped.cardError).toBeNull();
    expect(checkoutReducer(retyped, { type: 'pay-started' }).failure).toBeNull();

    const backToShipping = checkoutReducer(declined, {
      type: 'failed',
      failure: { title: 'Choose a shipping method', message: 'Pick one.' },
      step: 'shipping',
    });
    expect(backToShipping.step).toBe('shipping');
  });

  it('shows the bank’s challenge, busy while answered, gone once closed', () => {
    const order = { id: 'o1', grandTotal: 1000, currency: 'USD' } as Order;
    const shown = run({ type: 'challenge-shown', challenge: { order, token: 't', card: '3184' } });
    expect(shown.challenge?.card).toBe('3184');
    const answering = checkoutReducer(shown, { type: 'challenge-answering' });
    expect(answering.challengeBusy).toBe(true);
    expect(checkoutReducer(answering, { type: 'challenge-closed' })).toMatchObject({
      challenge: null,
      challengeBusy: false,
    });
  });
});

describe('checkout attempts (idempotency keys)', () => {
  const body: CheckoutBody = { email: 'ada@example.com', payment: { method: '4242424242424242' } };
  let n = 0;
  const newKey = () => `key-${++n}`;

  it('sends an interrupted attempt again with its key, and changed details with a new one', () => {
    const first = attemptFor(null, body, newKey);
    expect(first).toEqual({ key: 'key-1', body });
    expect(attemptFor(first, { ...body, payment: { method: '4242424242424242' } }, newKey).key).toBe('key-1');
    expect(attemptFor(first, { ...body, payment: { method: '4000000000000002' } }, newKey).key).toBe('key-2');
  });

  it('keeps an attempt only when its outcome is unknown (network failure, 5xx)', () => {
    expect(isInterrupted({ isNetworkError: true, status: 0 })).toBe(true);
    expect(isInterrupted({ isNetworkError: false, status: 503 })).toBe(true);
    expect(isInterrupted({ isNetworkError: false, status: 402 })).toBe(false);
    expect(isInterrupted(null)).toBe(false);
  });
});
