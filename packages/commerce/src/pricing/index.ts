export { PricingError, type PricingErrorCode, type PricingErrorDetailsByCode } from './errors.ts';
export {
  assertMinorUnits,
  CURRENCY_EXPONENTS,
  type CurrencyCode,
  currencyExponent,
  type Money,
  money,
  parseMoney,
} from './money.ts';
export {
  type Adjustment,
  type CartLineInput,
  PRICE_CART_DEFAULTS,
  type PriceCartInput,
  type PriceCartOptions,
  type PricedCart,
  type PricedLine,
  priceCart,
} from './price-cart.ts';
export {
  BASIS_POINTS,
  evaluatePromotion,
  type Promotion,
  type PromotionEvaluation,
  type PromotionRefusalReason,
} from './promotion.ts';
export { allocateLargestRemainder, divRoundHalfEven, mulDivRoundHalfEven } from './rounding.ts';
export {
  quoteShipping,
  type ShippingMethod,
  type ShippingQuote,
  type ShippingRate,
  type WeightBracket,
} from './shipping.ts';
export { type Destination, resolveTaxRate, TAX_RATE_SCALE, type TaxRate, taxOn } from './tax.ts';
