import { z } from 'zod';
import { addressInputSchema, emailSchema } from './accounts.ts';

/** Amounts are integers in the currency's smallest unit (cents), never floating point. */
const minor = z.number().int();

export const shippingAddressSchema = addressInputSchema
  .omit({ isDefaultShipping: true, isDefaultBilling: true })
  .meta({ id: 'ShippingAddress' });

const shippingAddressOut = z.object({
  name: z.string(),
  company: z.string().nullish(),
  line1: z.string(),
  line2: z.string().nullish(),
  city: z.string(),
  region: z.string().nullish(),
  postalCode: z.string(),
  country: z.string(),
  phone: z.string().nullish(),
});

/** An address as the API answers it (carts, orders, the address book): what both apps display. */
export type PostalAddress = z.output<typeof shippingAddressOut>;

export const cartLineSchema = z.object({
  variantId: z.string(),
  productId: z.string(),
  productHandle: z.string(),
  productTitle: z.string(),
  variantTitle: z.string(),
  sku: z.string(),
  imageUrl: z.string().nullable(),
  quantity: z.number().int(),
  unitPrice: minor,
  compareAtPrice: minor.nullable(),
  subtotal: minor,
  discount: minor,
  tax: minor,
  total: minor,
  available: z
    .number()
    .int()
    .nullable()
    .describe('Units that can still be bought; null = backorders allowed'),
  problem: z.enum(['unavailable', 'insufficient_stock']).nullable(),
});

export const cartSchema = z
  .object({
    id: z.string().nullable(),
    currency: z.string(),
    pricesIncludeTax: z.boolean(),
    email: z.string().nullable(),
    shippingAddress: shippingAddressOut.nullable(),
    shippingMethod: z
      .object({ id: z.string(), code: z.string(), name: z.string(), amount: minor })
      .nullable(),
    promotion: z
      .object({
        code: z.string(),
        status: z.enum(['applied', 'refused']),
        reason: z.string().nullable(),
        amount: minor,
      })
      .nullable(),
    lines: z.array(cartLineSchema),
    itemCount: z.number().int(),
    subtotal: minor,
    discountTotal: minor,
    shippingTotal: minor,
    shippingTax: minor,
    taxTotal: minor,
    grandTotal: minor,
    problems: z.array(
      z.object({
        code: z.enum(['unavailable', 'insufficient_stock', 'shipping_unavailable', 'promotion_refused']),
        message: z.string(),
        variantId: z.string().optional(),
      }),
    ),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'Cart' });

const quantity = z.number().int().min(1).max(999);

export const cartLineAddSchema = z
  .object({ variantId: z.uuid(), quantity: quantity.default(1) })
  .meta({ id: 'CartLineAdd' });

export const cartLineUpdateSchema = z
  .object({ quantity: z.number().int().min(0).max(999).describe('0 removes the line') })
  .meta({ id: 'CartLineUpdate' });

export const promotionCodeSchema = z
  .object({ code: z.string().trim().min(1).max(64) })
  .meta({ id: 'PromotionCodeInput' });

export const cartDetailsSchema = z
  .object({
    email: emailSchema.nullable().optional(),
    shippingAddress: shippingAddressSchema.nullable().optional(),
    shippingMethodId: z.uuid().nullable().optional(),
  })
  .meta({ id: 'CartDetails' });

export const shippingOptionsSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        code: z.string(),
        name: z.string(),
        description: z.string(),
        minDays: z.number().int().nullable(),
        maxDays: z.number().int().nullable(),
        amount: minor,
        free: z.boolean(),
        currency: z.string(),
      }),
    ),
  })
  .meta({ id: 'ShippingOptions' });

export const checkoutInputSchema = z
  .object({
    email: emailSchema.optional(),
    shippingAddress: shippingAddressSchema.optional(),
    shippingMethodId: z.uuid().optional(),
    payment: z.object({
      method: z
        .string()
        .trim()
        .min(1)
        .max(255)
        .describe('A Stripe PaymentMethod id (pm_...) or, with the test provider, a test card number'),
    }),
  })
  .meta({ id: 'CheckoutInput' });

const orderStatus = z.enum(['pending', 'paid', 'fulfilled', 'delivered', 'canceled', 'refunded']);
const paymentStatus = z.enum([
  'pending',
  'requires_action',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'declined',
  'canceled',
]);

const orderLineSchema = z.object({
  id: z.string(),
  variantId: z.string().nullable(),
  productId: z.string().nullable(),
  productTitle: z.string(),
  variantTitle: z.string(),
  sku: z.string(),
  imageUrl: z.string().nullable(),
  quantity: z.number().int(),
  unitPrice: minor,
  subtotal: minor,
  discount: minor,
  tax: minor,
  taxRatePpm: z.number().int(),
  total: minor,
});

const orderBase = {
  id: z.string(),
  number: z.number().int(),
  status: orderStatus,
  paymentStatus,
  email: z.string(),
  currency: z.string(),
  pricesIncludeTax: z.boolean(),
  subtotal: minor,
  discountTotal: minor,
  shippingTotal: minor,
  shippingTax: minor,
  taxTotal: minor,
  grandTotal: minor,
  amountRefunded: minor,
  promotionCode: z.string().nullable(),
  shippingAddress: shippingAddressOut,
  shippingMethod: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
  tracking: z
    .object({ number: z.string().nullable(), carrier: z.string().nullable(), url: z.string().nullable() })
    .nullable(),
  placedAt: z.string(),
  paidAt: z.string().nullable(),
  fulfilledAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  canceledAt: z.string().nullable(),
  lines: z.array(orderLineSchema),
};

export const orderSchema = z
  .object({
    ...orderBase,
    history: z.array(
      z.object({
        type: z.string(),
        fromStatus: orderStatus.nullable(),
        toStatus: orderStatus.nullable(),
        at: z.string(),
      }),
    ),
  })
  .meta({ id: 'Order' });

export const adminOrderSchema = z
  .object({
    ...orderBase,
    customerId: z.string().nullable(),
    paymentProvider: z.string(),
    paymentId: z.string().nullable(),
    amountCaptured: minor,
    cancelReason: z.string().nullable(),
    reservedUntil: z.string().nullable(),
    updatedAt: z.string(),
    version: z.number().int(),
    refunds: z.array(
      z.object({
        id: z.string(),
        amount: minor,
        status: z.string(),
        reason: z.string().nullable(),
        providerRefundId: z.string().nullable(),
        staffId: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
    history: z.array(
      z.object({
        type: z.string(),
        fromStatus: orderStatus.nullable(),
        toStatus: orderStatus.nullable(),
        actorType: z.string(),
        actorId: z.string().nullable(),
        data: z.record(z.string(), z.unknown()),
        at: z.string(),
      }),
    ),
  })
  .meta({ id: 'AdminOrder' });

export const orderSummarySchema = z.object({
  id: z.string(),
  number: z.number().int(),
  status: orderStatus,
  paymentStatus,
  email: z.string(),
  customerId: z.string().nullable(),
  currency: z.string(),
  grandTotal: minor,
  amountRefunded: minor,
  itemCount: z.number().int(),
  placedAt: z.string(),
});

export const orderListSchema = z
  .object({ items: z.array(orderSummarySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'OrderList' });

export const checkoutResultSchema = z
  .object({
    outcome: z.enum(['placed', 'declined']),
    order: orderSchema,
    payment: z.object({
      status: z.enum([
        'succeeded',
        'requires_capture',
        'requires_action',
        'processing',
        'declined',
        'canceled',
      ]),
      nextAction: z
        .union([
          z.object({ type: z.literal('authenticate') }),
          z.object({ type: z.literal('redirect'), url: z.string() }),
        ])
        .nullable(),
      clientSecret: z.string().nullable(),
      declineCode: z.string().nullable(),
    }),
    accessToken: z.string().describe('Lets a guest read the order: GET /api/orders/{id}?token='),
  })
  .meta({ id: 'CheckoutResult' });

const statusList = <T extends z.ZodEnum>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(values).optional());

export const adminOrderQuerySchema = z.object({
  status: statusList(orderStatus).describe('One or more statuses, comma separated'),
  paymentStatus: statusList(paymentStatus),
  customerId: z.uuid().optional(),
  q: z.string().trim().max(200).optional().describe('Order number, or part of an email or name'),
  placedFrom: z.iso.datetime({ offset: true }).optional(),
  placedTo: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});

export const refundInputSchema = z
  .object({
    amount: z.number().int().positive().optional().describe('Minor units; omitted = everything left'),
    reason: z.string().trim().max(500).optional(),
  })
  .meta({ id: 'RefundInput' });

export const captureInputSchema = z
  .object({ amount: z.number().int().positive().optional() })
  .meta({ id: 'CaptureInput' });

export const fulfilInputSchema = z
  .object({
    trackingNumber: z.string().trim().min(1).max(100).optional(),
    carrier: z.string().trim().min(1).max(100).optional(),
    trackingUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  })
  .meta({ id: 'FulfilInput' });

export const cancelInputSchema = z
  .object({ reason: z.string().trim().min(1).max(500).default('canceled by staff') })
  .meta({ id: 'CancelInput' });

export const resendEmailInputSchema = z
  .object({ kind: z.enum(['confirmation', 'shipped', 'canceled', 'refund']) })
  .meta({ id: 'ResendEmailInput' });

export type CartView = z.output<typeof cartSchema>;
export type CheckoutInput = z.output<typeof checkoutInputSchema>;
