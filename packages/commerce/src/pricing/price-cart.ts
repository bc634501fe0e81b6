import { PricingError } from './errors.ts';
import { assertMinorUnits, type CurrencyCode, currencyExponent, type Money } from './money.ts';
import { evaluatePromotion, type Promotion, type PromotionRefusalReason } from './promotion.ts';
import { allocateLargestRemainder } from './rounding.ts';
import { quoteShipping, type ShippingMethod } from './shipping.ts';
import { type Destination, resolveTaxRate, type TaxRate, taxOn } from './tax.ts';

export interface CartLineInput {
  variantId: string;
  /** Price of one unit, in the shop's price basis (tax included when `pricesIncludeTax`). */
  unitPrice: Money;
  /** A positive integer. */
  quantity: number;
  /** Weight of one unit in grams (integer). */
  weightGrams: number;
  /** Tax category; omit for the standard rate. */
  taxCategory?: string;
}

export interface PriceCartInput {
  currency: CurrencyCode;
  lines: readonly CartLineInput[];
  destination: Destination;
  promotion?: Promotion;
  /** Omit for carts that ship nothing (shipping 0). */
  shippingMethod?: ShippingMethod;
  taxRates?: readonly TaxRate[];
  /** `true` for tax-inclusive shops (EU, UK, AU), `false` for tax-exclusive ones (US, CA). */
  pricesIncludeTax: boolean;
}

export interface PriceCartOptions {
  /** The instant promotions are checked against (start, expiry). */
  now: () => Date;
}

export const PRICE_CART_DEFAULTS: PriceCartOptions = { now: () => new Date() };

export interface PricedLine {
  variantId: string;
  quantity: number;
  unitPrice: number;
  /** unitPrice × quantity. */
  subtotal: number;
  /** This line's share of the order discount (largest-remainder allocation). */
  discount: number;
  /** Tax on subtotal − discount, rounded half-even on this line. */
  tax: number;
  taxRatePpm: number;
  /** What the shopper pays for the line: subtotal − discount (+ tax when prices exclude tax). */
  total: number;
}

export type Adjustment =
  | { kind: 'promotion'; code: string; status: 'applied'; amount: number }
  | { kind: 'promotion'; code: string; status: 'refused'; reason: PromotionRefusalReason }
  | { kind: 'free_shipping'; method: string; status: 'applied'; amount: number; freeOver: number };

export interface PricedCart {
  currency: CurrencyCode;
  pricesIncludeTax: boolean;
  lines: PricedLine[];
  /** Σ line subtotals. */
  subtotal: number;
  /** Σ line discounts, equal to the applied promotion's amount. */
  discountTotal: number;
  /** Shipping price in the shop's price basis (after a free-over threshold). */
  shipping: number;
  /** Tax on shipping (included in `shipping` when `pricesIncludeTax`). */
  shippingTax: number;
  /** Σ line taxes + shippingTax. */
  taxTotal: number;
  /** subtotal − discountTotal + shipping, + taxTotal when prices exclude tax. */
  grandTotal: number;
  weightGrams: number;
  adjustments: Adjustment[];
}

function validate(input: PriceCartInput): void {
  currencyExponent(input.currency);
  input.lines.forEach((line, i) => {
    if (line.unitPrice.currency !== input.currency) {
      throw new PricingError('currency_mismatch', {
        expected: input.currency,
        actual: line.unitPrice.currency,
        field: `lines[${i}].unitPrice`,
      });
    }
    assertMinorUnits(line.unitPrice.amount, `lines[${i}].unitPrice.amount`);
    assertMinorUnits(line.weightGrams, `lines[${i}].weightGrams`);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      throw new PricingError('invalid_input', {
        field: `lines[${i}].quantity`,
        reason: `must be a positive integer, got ${line.quantity}`,
      });
    }
  });
  const method = input.shippingMethod;
  if (method && method.currency !== input.currency) {
    throw new PricingError('currency_mismatch', {
      expected: input.currency,
      actual: method.currency,
      field: 'shippingMethod.currency',
    });
  }
  for (const [r, rate] of (method?.rates ?? []).entries()) {
    for (const [b, bracket] of rate.brackets.entries()) {
      assertMinorUnits(bracket.amount, `shippingMethod.rates[${r}].brackets[${b}].amount`);
    }
  }
  for (const [i, rate] of (input.taxRates ?? []).entries()) {
    assertMinorUnits(rate.ratePpm, `taxRates[${i}].ratePpm`);
  }
  if (method?.freeOver !== undefined) assertMinorUnits(method.freeOver, 'shippingMethod.freeOver');
  const minimum = input.promotion?.minimumSubtotal;
  if (minimum !== undefined) assertMinorUnits(minimum, 'promotion.minimumSubtotal');
  const value = input.promotion?.value;
  if (value?.kind === 'percentage') assertMinorUnits(value.basisPoints, 'promotion.value.basisPoints');
  if (value?.kind === 'fixed') assertMinorUnits(value.amount, 'promotion.value.amount');
}

function checkedSum(values: readonly number[], field: string): number {
  const total = values.reduce((acc, v) => acc + v, 0);
  assertMinorUnits(total, field);
  return total;
}

/**
 * Prices a cart exactly, in integer minor units. The rules (also in the package README):
 *
 * 1. Line subtotal = unitPrice × quantity; cart subtotal = Σ line subtotals.
 * 2. One promotion, on the cart subtotal: percentages in basis points, rounded half-even once on
 *    the order; fixed amounts capped at the subtotal. Refusals are reported, not thrown.
 * 3. The order discount is split over lines in proportion to their subtotals with the
 *    largest-remainder method, so the line discounts sum exactly to the order discount.
 * 4. Tax is computed per line on (subtotal − discount) and rounded half-even per line; the order's
 *    tax is the sum of the rounded line taxes. Exclusive: round(net × rate). Inclusive:
 *    net − round(net / (1 + rate)). Region rates override country rates.
 * 5. Shipping by destination and total weight bracket; free when subtotal − discount ≥ freeOver.
 *    It is taxed at the destination's standard rate when that rate has `appliesToShipping`.
 * 6. Mixed currencies, bad numbers and undeliverable destinations throw a `PricingError`.
 */
export function priceCart(input: PriceCartInput, options: Partial<PriceCartOptions> = {}): PricedCart {
  const { now } = { ...PRICE_CART_DEFAULTS, ...options };
  validate(input);
  const { currency, pricesIncludeTax } = input;
  const taxRates = input.taxRates ?? [];
  const adjustments: Adjustment[] = [];

  const subtotals = input.lines.map((line, i) => {
    const subtotal = line.unitPrice.amount * line.quantity;
    assertMinorUnits(subtotal, `lines[${i}].subtotal`);
    return subtotal;
  });
  const subtotal = checkedSum(subtotals, 'subtotal');

  let discountTotal = 0;
  if (input.promotion) {
    const result = evaluatePromotion(input.promotion, { subtotal, currency, now: now() });
    const code = input.promotion.code;
    if (result.status === 'applied') {
      discountTotal = result.amount;
      adjustments.push({ kind: 'promotion', code, status: 'applied', amount: result.amount });
    } else {
      adjustments.push({ kind: 'promotion', code, status: 'refused', reason: result.reason });
    }
  }
  const discounts = allocateLargestRemainder(discountTotal, subtotals);

  const lines = input.lines.map((line, i): PricedLine => {
    const lineSubtotal = subtotals[i] ?? 0;
    const discount = discounts[i] ?? 0;
    const net = lineSubtotal - discount;
    const ratePpm = resolveTaxRate(taxRates, input.destination, line.taxCategory)?.ratePpm ?? 0;
    const tax = taxOn(net, ratePpm, pricesIncludeTax);
    return {
      variantId: line.variantId,
      quantity: line.quantity,
      unitPrice: line.unitPrice.amount,
      subtotal: lineSubtotal,
      discount,
      tax,
      taxRatePpm: ratePpm,
      total: pricesIncludeTax ? net : net + tax,
    };
  });

  const weightGrams = checkedSum(
    input.lines.map((line) => line.weightGrams * line.quantity),
    'weightGrams',
  );
  let shipping = 0;
  let shippingTax = 0;
  if (input.shippingMethod) {
    const method = input.shippingMethod;
    const quote = quoteShipping(method, {
      country: input.destination.country,
      weightGrams,
      merchandiseTotal: subtotal - discountTotal,
    });
    shipping = quote.amount;
    if (quote.free && quote.freeOver !== undefined) {
      adjustments.push({
        kind: 'free_shipping',
        method: method.id,
        status: 'applied',
        amount: quote.bracketAmount,
        freeOver: quote.freeOver,
      });
    }
    const standard = resolveTaxRate(taxRates, input.destination);
    if (standard?.appliesToShipping) shippingTax = taxOn(shipping, standard.ratePpm, pricesIncludeTax);
  }

  const lineTax = checkedSum(
    lines.map((l) => l.tax),
    'taxTotal',
  );
  const taxTotal = lineTax + shippingTax;
  const grandTotal = checkedSum(
    [subtotal - discountTotal, shipping, pricesIncludeTax ? 0 : taxTotal],
    'grandTotal',
  );
  return {
    currency,
    pricesIncludeTax,
    lines,
    subtotal,
    discountTotal,
    shipping,
    shippingTax,
    taxTotal,
    grandTotal,
    weightGrams,
    adjustments,
  };
}
