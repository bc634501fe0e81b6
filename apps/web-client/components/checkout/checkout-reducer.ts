import type { Address } from '@e3d/contracts';
import { type AddressValues, addressValues, emptyAddress } from './address';
import type { Order, PaymentsConfig } from './types';

/**
 * Everything checkout holds while the shopper goes through it, and the only way it changes:
 * `checkoutReducer` with one of the `CheckoutAction`s. Pure (no React, no browser), so the step
 * logic is tested without either.
 */

export type Step = 'contact' | 'shipping' | 'payment';
export const STEPS: readonly Step[] = ['contact', 'shipping', 'payment'];

/** What went wrong with the last attempt, in words, and what the shopper can do about it. */
export interface Failure {
  title: string;
  message: string;
  /** Lines about particular products (sold out, too few left), listed before `message`. */
  items?: { variantId: string; product: string; detail: string }[];
  action?: 'cart' | 'remove-promotion' | 'retry' | 'home';
}

/** The test provider's bank step ("3-D Secure") for an order waiting on it. */
export interface Challenge {
  order: Order;
  token: string;
  /** The card's last four digits, as the bank's page shows them. */
  card: string;
}

/** The parts of the cart that decide where checkout starts. */
export interface CartStart {
  email: string | null;
  shippingAddress: Parameters<typeof addressValues>[0] | null;
  hasShippingMethod: boolean;
}

export interface CheckoutState {
  /** Null until the cart has loaded and said where to start. */
  step: Step | null;
  email: string;
  address: AddressValues;
  /** The shopper typed or chose an address: a saved default arriving later does not replace it. */
  addressTouched: boolean;
  /** Messages of the contact step, by field. */
  errors: Record<string, string>;
  /** The API's refusal of the details, when it is about no field in particular. */
  formError: string | null;
  savingDetails: boolean;
  /** The signed-in shopper's address book. */
  savedAddresses: Address[];
  saveToBook: boolean;
  shippingError: string | null;
  payments: PaymentsConfig | null;
  paymentsUnavailable: boolean;
  /** The test provider's card number as typed. */
  card: string;
  cardError: string | null;
  submitting: boolean;
  /** What the pay button says while it works. */
  progress: string | null;
  failure: Failure | null;
  challenge: Challenge | null;
  challengeBusy: boolean;
  /** The order went through: only the way to its confirmation is left. */
  placed: boolean;
}

export type CheckoutAction =
  | { type: 'cart-loaded'; cart: CartStart }
  | { type: 'signed-in'; email: string }
  | { type: 'address-book-loaded'; addresses: Address[]; cartHasAddress: boolean }
  | { type: 'address-book-added'; address: Address }
  | { type: 'go'; step: Step }
  | { type: 'email-changed'; email: string }
  | { type: 'address-changed'; field: keyof AddressValues; value: string }
  | { type: 'saved-address-chosen'; address: Address }
  | { type: 'save-to-book-changed'; value: boolean }
  | { type: 'details-submitted'; errors: Record<string, string> }
  | { type: 'details-saved' }
  | { type: 'details-refused'; errors: Record<string, string>; message: string | null }
  | { type: 'shipping-error'; message: string | null }
  | { type: 'payments-loaded'; config: PaymentsConfig }
  | { type: 'payments-unavailable' }
  | { type: 'card-changed'; card: string }
  | { type: 'card-refused'; message: string; clear?: boolean }
  | { type: 'pay-started' }
  | { type: 'progress'; text: string }
  | { type: 'pay-ended' }
  | { type: 'failed'; failure: Failure; step?: Step }
  | { type: 'failure-dismissed' }
  | { type: 'challenge-shown'; challenge: Challenge }
  | { type: 'challenge-answering' }
  | { type: 'challenge-closed' }
  | { type: 'placed' };

export function initialCheckoutState(): CheckoutState {
  return {
    step: null,
    email: '',
    address: emptyAddress(),
    addressTouched: false,
    errors: {},
    formError: null,
    savingDetails: false,
    savedAddresses: [],
    saveToBook: true,
    shippingError: null,
    payments: null,
    paymentsUnavailable: false,
    card: '',
    cardError: null,
    submitting: false,
    progress: null,
    failure: null,
    challenge: null,
    challengeBusy: false,
    placed: false,
  };
}

/** The furthest step the cart already has everything for. */
export function startStep(cart: CartStart): Step {
  if (!cart.email || !cart.shippingAddress) return 'contact';
  return cart.hasShippingMethod ? 'payment' : 'shipping';
}

const without = (errors: Record<string, string>, field: string) => {
  if (!errors[field]) return errors;
  const { [field]: _gone, ...rest } = errors;
  return rest;
};

export function checkoutReducer(state: CheckoutState, action: CheckoutAction): CheckoutState {
  switch (action.type) {
    case 'cart-loaded': {
      // Only the first cart decides; later ones (after each change) do not move the shopper.
      if (state.step !== null) return state;
      const { cart } = action;
      return {
        ...state,
        step: startStep(cart),
        email: cart.email || state.email,
        address: cart.shippingAddress ? addressValues(cart.shippingAddress) : state.address,
      };
    }
    case 'signed-in':
      return state.email ? state : { ...state, email: action.email };
    case 'address-book-loaded': {
      const preferred = action.addresses.find((a) => a.isDefaultShipping) ?? action.addresses[0];
      const prefill = preferred && !state.addressTouched && !action.cartHasAddress;
      return {
        ...state,
        savedAddresses: action.addresses,
        address: prefill ? addressValues(preferred) : state.address,
      };
    }
    case 'address-book-added':
      return { ...state, savedAddresses: [...state.savedAddresses, action.address] };
    case 'go':
      return { ...state, step: action.step };
    case 'email-changed':
      return { ...state, email: action.email, errors: without(state.errors, 'email') };
    case 'address-changed': {
      const { field, value } = action;
      // A state from another country's list would be wrong.
      const regionReset = field === 'country' && value !== state.address.country ? { region: '' } : {};
      return {
        ...state,
        addressTouched: true,
        address: { ...state.address, [field]: value, ...regionReset },
        errors: without(state.errors, field),
      };
    }
    case 'saved-address-chosen':
      return { ...state, addressTouched: true, address: addressValues(action.address), errors: {} };
    case 'save-to-book-changed':
      return { ...state, saveToBook: action.value };
    case 'details-submitted':
      return {
        ...state,
        errors: action.errors,
        formError: null,
        savingDetails: Object.keys(action.errors).length === 0,
      };
    case 'details-saved':
      return { ...state, savingDetails: false, step: 'shipping' };
    case 'details-refused':
      return {
        ...state,
        savingDetails: false,
        errors: Object.keys(action.errors).length > 0 ? action.errors : state.errors,
        formError: Object.keys(action.errors).length > 0 ? state.formError : action.message,
      };
    case 'shipping-error':
      return { ...state, shippingError: action.message };
    case 'payments-loaded':
      return { ...state, payments: action.config, paymentsUnavailable: false };
    case 'payments-unavailable':
      return { ...state, paymentsUnavailable: true };
    case 'card-changed':
      return { ...state, card: action.card, cardError: null };
    case 'card-refused':
      return { ...state, cardError: action.message, card: action.clear ? '' : state.card };
    case 'pay-started':
      return {
        ...state,
        failure: null,
        cardError: null,
        submitting: true,
        progress: 'Placing your order…',
      };
    case 'progress':
      return { ...state, progress: action.text };
    case 'pay-ended':
      return { ...state, submitting: false, progress: null };
    case 'failed':
      return { ...state, failure: action.failure, step: action.step ?? state.step };
    case 'failure-dismissed':
      return { ...state, failure: null };
    case 'challenge-shown':
      return { ...state, challenge: action.challenge, challengeBusy: false };
    case 'challenge-answering':
      return { ...state, challengeBusy: true };
    case 'challenge-closed':
      return { ...state, challenge: null, challengeBusy: false };
    case 'placed':
      return { ...state, placed: true };
  }
}
