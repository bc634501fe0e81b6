import { z } from 'zod';
import { currencySchema } from './admin-catalog.ts';

/**
 * Staff-side commerce settings: the shop's money settings, the tax table, shipping methods and
 * promotion codes. Whatever these schemas accept is valid input for `priceCart` in
 * `@e3d/commerce` (integer minor units, upper-case ISO country codes, rates in range).
 */

const MAX_AMOUNT = 2_147_483_647;
const minorUnits = z.number().int('must be an integer amount in minor units').min(0).max(MAX_AMOUNT);
const timestampOut = z.string().describe('ISO 8601, UTC');

const REGIONS = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
/** Codes ICU names that are not ISO 3166-1 countries (unions, "unknown", private use). */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'UK', 'ZZ', 'AA']);

/** Whether `code` is an assigned ISO 3166-1 alpha-2 country code (Kosovo's XK included). */
function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code)) return false;
  if (/^(Q[M-Z]|X[A-JL-Z])$/.test(code)) return false;
  return REGIONS.of(code) !== undefined;
}

const countrySchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code like US or GB')
  .describe('ISO 3166-1 alpha-2, stored upper case');

const regionSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^([A-Za-z]{2}-)?[A-Za-z0-9]{1,3}$/, 'must be an ISO 3166-2 subdivision code like CA, NY or US-NY')
  .describe('ISO 3166-2 subdivision, as the destination address gives it (CA, NY, US-NY)');

const taxCategorySchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be a short name like reduced or food')
  .describe('Product tax category; null for the standard rate');

const isoInstant = z.iso.datetime({ offset: true });

// ---------------------------------------------------------------------------------------------
// Shop settings

export const shopSettingsSchema = z
  .object({
    currency: z.string(),
    pricesIncludeTax: z.boolean(),
    reservationMinutes: z.number().int(),
    updatedAt: timestampOut,
  })
  .meta({ id: 'ShopSettings' });

export type ShopSettings = z.output<typeof shopSettingsSchema>;

export const shopSettingsUpdateSchema = z
  .object({
    currency: currencySchema.describe('The currency prices, carts and orders are in'),
    pricesIncludeTax: z
      .boolean()
      .describe('true for tax-inclusive shops (EU, UK, AU), false for tax-exclusive ones (US, CA)'),
    reservationMinutes: z
      .number()
      .int()
      .min(1)
      .max(1440)
      .describe('How long checkout holds stock for an unpaid order'),
  })
  .meta({ id: 'ShopSettingsUpdate' });

export type ShopSettingsUpdate = z.output<typeof shopSettingsUpdateSchema>;

// ---------------------------------------------------------------------------------------------
// Tax rates

const ratePpmSchema = z
  .number()
  .int('must be an integer number of parts per million')
  .min(0)
  .max(1_000_000)
  .describe('Parts per million: 200000 is 20%, 88750 is 8.875%');

export const taxRateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    country: z.string(),
    region: z.string().nullable(),
    category: z.string().nullable(),
    ratePpm: z.number().int(),
    appliesToShipping: z.boolean(),
    createdAt: timestampOut,
    updatedAt: timestampOut,
  })
  .meta({ id: 'TaxRate' });

export type TaxRateDoc = z.output<typeof taxRateSchema>;

export const taxRateListSchema = z.object({ items: z.array(taxRateSchema) }).meta({ id: 'TaxRateList' });

export const taxRateListQuerySchema = z.object({
  country: countrySchema.optional(),
});

export const taxRateCreateSchema = z
  .object({
    name: z.string().trim().max(200).default(''),
    country: countrySchema,
    region: regionSchema.nullable().default(null).describe('null: the whole country'),
    category: taxCategorySchema.nullable().default(null),
    ratePpm: ratePpmSchema,
    appliesToShipping: z
      .boolean()
      .default(false)
      .describe('Whether shipping is taxed at this rate (read from the standard rate)'),
  })
  .meta({ id: 'TaxRateCreate' });

export type TaxRateCreate = z.output<typeof taxRateCreateSchema>;

export const taxRateUpdateSchema = z
  .object({
    name: z.string().trim().max(200).optional(),
    country: countrySchema.optional(),
    region: regionSchema.nullable().optional(),
    category: taxCategorySchema.nullable().optional(),
    ratePpm: ratePpmSchema.optional(),
    appliesToShipping: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'give at least one field',
    path: ['ratePpm'],
  })
  .meta({ id: 'TaxRateUpdate' });

export type TaxRateUpdate = z.output<typeof taxRateUpdateSchema>;

// ---------------------------------------------------------------------------------------------
// Shipping methods

const weightBracketSchema = z.object({
  maxWeightGrams: z
    .number()
    .int()
    .min(1)
    .max(MAX_AMOUNT)
    .nullish()
    .describe('Inclusive upper bound in grams; omit (or null) for the open, heaviest bracket'),
  amount: minorUnits.describe('Price in minor units of the method currency'),
});

const shippingRateSchema = z
  .object({
    countries: z
      .union([z.literal('*'), z.array(countrySchema).min(1).max(300)])
      .describe("ISO country codes, or '*' for every country no other rate names"),
    brackets: z.array(weightBracketSchema).min(1).max(50).describe('Checked lightest first'),
  })
  .superRefine((rate, ctx) => {
    if (rate.countries !== '*' && new Set(rate.countries).size !== rate.countries.length) {
      ctx.addIssue({ code: 'custom', path: ['countries'], message: 'must not repeat a country' });
    }
    const limits = new Set<number>();
    let open = 0;
    rate.brackets.forEach((b, i) => {
      if (b.maxWeightGrams == null) {
        open += 1;
        if (open > 1)
          ctx.addIssue({
            code: 'custom',
            path: ['brackets', i, 'maxWeightGrams'],
            message: 'only one bracket may be open (without a maximum weight)',
          });
      } else if (limits.has(b.maxWeightGrams)) {
        ctx.addIssue({
          code: 'custom',
          path: ['brackets', i, 'maxWeightGrams'],
          message: 'repeats another bracket',
        });
      } else {
        limits.add(b.maxWeightGrams);
      }
    });
  });

/** Across a method's rates: each country is named once, and at most one rate is `'*'`. */
const ratesSchema = z
  .array(shippingRateSchema)
  .min(1)
  .max(100)
  .superRefine((rates, ctx) => {
    const rateOf = new Map<string, number>(); // country -> the first rate naming it
    let wildcard = false;
    rates.forEach((rate, i) => {
      if (rate.countries === '*') {
        if (wildcard)
          ctx.addIssue({ code: 'custom', path: [i, 'countries'], message: "only one rate may be '*'" });
        wildcard = true;
        return;
      }
      rate.countries.forEach((country, j) => {
        const first = rateOf.get(country);
        if (first !== undefined && first !== i)
          ctx.addIssue({
            code: 'custom',
            path: [i, 'countries', j],
            message: 'is named by another rate of this method',
          });
        if (first === undefined) rateOf.set(country, i);
      });
    });
  });

const shippingCodeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1–64 letters, digits, - or _ (stored lower case)')
  .describe('Stable machine name, e.g. standard, express');

const daysSchema = z.number().int().min(0).max(365);

/** `minDays` may not be above `maxDays`. */
export function deliveryDaysIssue(minDays: number | null | undefined, maxDays: number | null | undefined) {
  return minDays != null && maxDays != null && minDays > maxDays
    ? { field: 'maxDays', message: 'must not be below minDays' }
    : null;
}

const shippingRateOutSchema = z.object({
  countries: z.union([z.literal('*'), z.array(z.string())]),
  brackets: z.array(z.object({ maxWeightGrams: z.number().int().optional(), amount: z.number().int() })),
});

export const shippingMethodSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    description: z.string(),
    currency: z.string(),
    rates: z.array(shippingRateOutSchema),
    freeOver: z.number().int().nullable(),
    minDays: z.number().int().nullable(),
    maxDays: z.number().int().nullable(),
    active: z.boolean(),
    position: z.number().int(),
    createdAt: timestampOut,
    updatedAt: timestampOut,
  })
  .meta({ id: 'ShippingMethod' });

export type ShippingMethodDoc = z.output<typeof shippingMethodSchema>;

export const shippingMethodListSchema = z
  .object({ items: z.array(shippingMethodSchema) })
  .meta({ id: 'ShippingMethodList' });

export const shippingMethodListQuerySchema = z.object({
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export const shippingMethodCreateSchema = z
  .object({
    code: shippingCodeSchema,
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).default(''),
    currency: currencySchema.optional().describe('Default: the shop currency'),
    rates: ratesSchema,
    freeOver: minorUnits
      .nullable()
      .default(null)
      .describe('Free when the merchandise total after discounts is at least this'),
    minDays: daysSchema.nullable().default(null),
    maxDays: daysSchema.nullable().default(null),
    active: z.boolean().default(true),
    position: z.number().int().min(0).max(100_000).default(0),
  })
  .superRefine((m, ctx) => {
    const issue = deliveryDaysIssue(m.minDays, m.maxDays);
    if (issue) ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
  })
  .meta({ id: 'ShippingMethodCreate' });

export type ShippingMethodCreate = z.output<typeof shippingMethodCreateSchema>;

export const shippingMethodUpdateSchema = z
  .object({
    code: shippingCodeSchema.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().max(2000).optional(),
    currency: currencySchema.optional(),
    rates: ratesSchema.optional(),
    freeOver: minorUnits.nullable().optional(),
    minDays: daysSchema.nullable().optional(),
    maxDays: daysSchema.nullable().optional(),
    active: z.boolean().optional(),
    position: z.number().int().min(0).max(100_000).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'give at least one field',
    path: ['name'],
  })
  .meta({ id: 'ShippingMethodUpdate' });

export type ShippingMethodUpdate = z.output<typeof shippingMethodUpdateSchema>;

// ---------------------------------------------------------------------------------------------
// Promotions

export const promotionKindSchema = z.enum(['percentage', 'fixed']);

const promotionCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1–64 letters, digits, - or _')
  .describe('What shoppers type; stored upper case, matched case-insensitively');

/** The facts about a promotion that must agree with one another. */
export interface PromotionTerms {
  kind: 'percentage' | 'fixed';
  basisPoints: number | null | undefined;
  amount: number | null | undefined;
  currency: string | null | undefined;
  startsAt: string | null | undefined;
  expiresAt: string | null | undefined;
}

/**
 * What is wrong with a promotion's terms: a percentage needs basis points and no amount, a
 * fixed amount needs an amount and its currency and no basis points, and it must expire after
 * it starts. Shared by the create schema and the service's check of a merged update.
 */
export function promotionIssues(p: PromotionTerms): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  if (p.kind === 'percentage') {
    if (p.basisPoints == null) issues.push({ field: 'basisPoints', message: 'is required for a percentage' });
    if (p.amount != null) issues.push({ field: 'amount', message: 'is only for fixed promotions' });
  } else {
    if (p.amount == null) issues.push({ field: 'amount', message: 'is required for a fixed promotion' });
    if (p.currency == null) issues.push({ field: 'currency', message: 'is required for a fixed promotion' });
    if (p.basisPoints != null)
      issues.push({ field: 'basisPoints', message: 'is only for percentage promotions' });
  }
  if (p.startsAt != null && p.expiresAt != null && Date.parse(p.expiresAt) <= Date.parse(p.startsAt)) {
    issues.push({ field: 'expiresAt', message: 'must be after startsAt' });
  }
  return issues;
}

export const promotionSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    description: z.string(),
    kind: promotionKindSchema,
    basisPoints: z.number().int().nullable(),
    amount: z.number().int().nullable(),
    currency: z.string().nullable(),
    minimumSubtotal: z.number().int().nullable(),
    startsAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    usageLimit: z.number().int().nullable(),
    usedCount: z.number().int().describe('Orders holding a redemption'),
    active: z.boolean(),
    createdAt: timestampOut,
    updatedAt: timestampOut,
  })
  .meta({ id: 'Promotion' });

export type PromotionDoc = z.output<typeof promotionSchema>;

export const promotionListQuerySchema = z.object({
  q: z.string().trim().min(1).max(64).optional().describe('Part of the code, any case'),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(100).optional().describe('`nextCursor` of the previous page'),
});

export type PromotionListQuery = z.output<typeof promotionListQuerySchema>;

export const promotionListSchema = z
  .object({ items: z.array(promotionSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'PromotionList' });

const basisPointsSchema = z
  .number()
  .int()
  .min(1)
  .max(10_000)
  .describe('For percentage: 1 bp = 0.01%, so 1500 is 15% off');

const promotionShape = {
  description: z.string().trim().max(2000),
  basisPoints: basisPointsSchema.nullable(),
  amount: z
    .number()
    .int('must be an integer amount in minor units')
    .min(1)
    .max(MAX_AMOUNT)
    .nullable()
    .describe('For fixed: minor units of currency off the order'),
  currency: currencySchema.nullable().describe('Required for fixed; limits the promotion to carts in it'),
  minimumSubtotal: minorUnits.nullable().describe('Cart subtotal before discount needed to apply'),
  startsAt: isoInstant.nullable(),
  expiresAt: isoInstant.nullable().describe('Not valid from this instant on'),
  usageLimit: z.number().int().min(1).max(MAX_AMOUNT).nullable().describe('null: unlimited'),
  active: z.boolean(),
};

export const promotionCreateSchema = z
  .object({
    code: promotionCodeSchema,
    kind: promotionKindSchema,
    description: promotionShape.description.default(''),
    basisPoints: promotionShape.basisPoints.default(null),
    amount: promotionShape.amount.default(null),
    currency: promotionShape.currency.default(null),
    minimumSubtotal: promotionShape.minimumSubtotal.default(null),
    startsAt: promotionShape.startsAt.default(null),
    expiresAt: promotionShape.expiresAt.default(null),
    usageLimit: promotionShape.usageLimit.default(null),
    active: promotionShape.active.default(true),
  })
  .superRefine((p, ctx) => {
    for (const issue of promotionIssues(p))
      ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
  })
  .meta({ id: 'PromotionCreate' });

export type PromotionCreate = z.output<typeof promotionCreateSchema>;

export const promotionUpdateSchema = z
  .object({
    code: promotionCodeSchema.optional(),
    kind: promotionKindSchema
      .optional()
      .describe("Switching kind clears the other kind's value unless it is sent"),
    description: promotionShape.description.optional(),
    basisPoints: promotionShape.basisPoints.optional(),
    amount: promotionShape.amount.optional(),
    currency: promotionShape.currency.optional(),
    minimumSubtotal: promotionShape.minimumSubtotal.optional(),
    startsAt: promotionShape.startsAt.optional(),
    expiresAt: promotionShape.expiresAt.optional(),
    usageLimit: promotionShape.usageLimit.optional(),
    active: promotionShape.active.optional().describe('false: shoppers can no longer redeem it'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'give at least one field',
    path: ['active'],
  })
  .meta({ id: 'PromotionUpdate' });

export type PromotionUpdate = z.output<typeof promotionUpdateSchema>;
