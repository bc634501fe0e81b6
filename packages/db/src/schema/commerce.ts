import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers, staff } from './accounts.ts';
import { productVariants } from './catalog.ts';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/** The shop's money settings: one row (id = 1). */
export const shopSettings = pgTable(
  'shop_settings',
  {
    id: integer('id').primaryKey().default(1),
    currency: text('currency').notNull().default('USD'),
    /** Tax-inclusive shops (EU, UK, AU) show and charge prices with tax in them. */
    pricesIncludeTax: boolean('prices_include_tax').notNull().default(false),
    /** How long checkout holds stock for an unpaid order. */
    reservationMinutes: integer('reservation_minutes').notNull().default(15),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('shop_settings_singleton', sql`${t.id} = 1`),
    check('shop_settings_currency_iso', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('shop_settings_reservation_range', sql`${t.reservationMinutes} BETWEEN 1 AND 1440`),
  ],
);

export interface ShopSettingsRow {
  id: number;
  currency: string;
  prices_include_tax: boolean;
  reservation_minutes: number;
  updated_at: Date;
}

/** Tax table: rates in parts per million; a region row overrides its country's. */
export const taxRates = pgTable(
  'tax_rates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().default(''),
    country: text('country').notNull(),
    region: text('region'),
    category: text('category'),
    ratePpm: integer('rate_ppm').notNull(),
    appliesToShipping: boolean('applies_to_shipping').notNull().default(false),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('tax_rates_scope_key').on(
      t.country,
      sql`coalesce(${t.region}, '')`,
      sql`coalesce(${t.category}, '')`,
    ),
    check('tax_rates_country_iso', sql`${t.country} ~ '^[A-Z]{2}$'`),
    check('tax_rates_rate_range', sql`${t.ratePpm} BETWEEN 0 AND 1000000`),
  ],
);

export interface TaxRateRow {
  id: string;
  name: string;
  country: string;
  region: string | null;
  category: string | null;
  rate_ppm: number;
  applies_to_shipping: boolean;
  created_at: Date;
  updated_at: Date;
}

/** Shipping methods; `rates` is `[{ countries: ['US'] | '*', brackets: [{ maxWeightGrams?, amount }] }]`. */
export const shippingMethods = pgTable(
  'shipping_methods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    currency: text('currency').notNull(),
    rates: jsonb('rates').notNull(),
    freeOver: integer('free_over'),
    minDays: integer('min_days'),
    maxDays: integer('max_days'),
    active: boolean('active').notNull().default(true),
    position: integer('position').notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('shipping_methods_code_key').on(t.code),
    check('shipping_methods_currency_iso', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('shipping_methods_free_over_nonnegative', sql`coalesce(${t.freeOver}, 0) >= 0`),
  ],
);

export interface ShippingMethodRow {
  id: string;
  code: string;
  name: string;
  description: string;
  currency: string;
  /** Typed by the pricing that reads it (ShippingRate[] in @e3d/commerce). */
  rates: unknown;
  free_over: number | null;
  min_days: number | null;
  max_days: number | null;
  active: boolean;
  position: number;
  created_at: Date;
  updated_at: Date;
}

export const promotionKind = pgEnum('promotion_kind', ['percentage', 'fixed']);

/** Discount codes. Codes are stored upper case; the shopper's typing is upper-cased to match. */
export const promotions = pgTable(
  'promotions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    description: text('description').notNull().default(''),
    kind: promotionKind('kind').notNull(),
    /** For `percentage`: 1 bp = 0.01%. */
    basisPoints: integer('basis_points'),
    /** For `fixed`: minor units of `currency`. */
    amount: integer('amount'),
    currency: text('currency'),
    minimumSubtotal: integer('minimum_subtotal'),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    usageLimit: integer('usage_limit'),
    /** Orders that hold a redemption (placed and not canceled before payment). */
    usedCount: integer('used_count').notNull().default(0),
    active: boolean('active').notNull().default(true),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('promotions_code_key').on(t.code),
    check('promotions_code_upper', sql`${t.code} = upper(${t.code}) AND length(${t.code}) BETWEEN 1 AND 64`),
    check(
      'promotions_value',
      sql`(${t.kind} = 'percentage' AND ${t.basisPoints} BETWEEN 1 AND 10000 AND ${t.amount} IS NULL) OR (${t.kind} = 'fixed' AND ${t.amount} > 0 AND ${t.currency} IS NOT NULL AND ${t.basisPoints} IS NULL)`,
    ),
    check('promotions_usage', sql`${t.usedCount} >= 0 AND coalesce(${t.usageLimit}, 0) >= 0`),
  ],
);

export interface PromotionRow {
  id: string;
  code: string;
  description: string;
  kind: (typeof promotionKind.enumValues)[number];
  basis_points: number | null;
  amount: number | null;
  currency: string | null;
  minimum_subtotal: number | null;
  starts_at: Date | null;
  expires_at: Date | null;
  usage_limit: number | null;
  used_count: number;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

/** Where an order goes: `shipping_address` of carts and orders. */
export interface ShippingAddress {
  name: string;
  company?: string | null;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  country: string;
  phone?: string | null;
}

export const cartStatus = pgEnum('cart_status', ['active', 'ordered', 'merged']);

/** A guest cart is found by its id (kept in a cookie); a customer's active cart by customer. */
export const carts = pgTable(
  'carts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    status: cartStatus('status').notNull().default('active'),
    currency: text('currency').notNull(),
    email: text('email'),
    shippingAddress: jsonb('shipping_address'),
    shippingMethodId: uuid('shipping_method_id').references(() => shippingMethods.id, {
      onDelete: 'set null',
    }),
    promotionCode: text('promotion_code'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('carts_customer_active_key').on(t.customerId).where(sql`${t.status} = 'active'`),
    index('carts_updated_idx').on(t.updatedAt),
  ],
);

export interface CartRow {
  id: string;
  customer_id: string | null;
  status: (typeof cartStatus.enumValues)[number];
  currency: string;
  email: string | null;
  shipping_address: ShippingAddress | null;
  shipping_method_id: string | null;
  promotion_code: string | null;
  created_at: Date;
  updated_at: Date;
}

export const cartLines = pgTable(
  'cart_lines',
  {
    cartId: uuid('cart_id')
      .notNull()
      .references(() => carts.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => productVariants.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.cartId, t.variantId] }),
    check('cart_lines_quantity_range', sql`${t.quantity} BETWEEN 1 AND 999`),
  ],
);

export interface CartLineRow {
  cart_id: string;
  variant_id: string;
  quantity: number;
  created_at: Date;
}

export const orderStatus = pgEnum('order_status', [
  'pending',
  'paid',
  'fulfilled',
  'delivered',
  'canceled',
  'refunded',
]);

export const paymentStatus = pgEnum('payment_status', [
  'pending',
  'requires_action',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'declined',
  'canceled',
]);

/** Order numbers are shown to shoppers: short, increasing, never reused. */
export const orderNumberSeq = pgSequence('order_number_seq', { startWith: 1001 });

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: bigint('number', { mode: 'number' }).notNull().default(sql`nextval('order_number_seq')`),
    cartId: uuid('cart_id'),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    email: text('email').notNull(),
    status: orderStatus('status').notNull().default('pending'),
    paymentStatus: paymentStatus('payment_status').notNull().default('pending'),
    currency: text('currency').notNull(),
    pricesIncludeTax: boolean('prices_include_tax').notNull(),
    subtotal: integer('subtotal').notNull(),
    discountTotal: integer('discount_total').notNull(),
    shippingTotal: integer('shipping_total').notNull(),
    shippingTax: integer('shipping_tax').notNull(),
    taxTotal: integer('tax_total').notNull(),
    grandTotal: integer('grand_total').notNull(),
    amountCaptured: integer('amount_captured').notNull().default(0),
    amountRefunded: integer('amount_refunded').notNull().default(0),
    shippingAddress: jsonb('shipping_address').notNull(),
    /** What the shopper chose, as it was: `{ id, code, name }`. */
    shippingMethod: jsonb('shipping_method'),
    promotionId: uuid('promotion_id').references(() => promotions.id, { onDelete: 'set null' }),
    promotionCode: text('promotion_code'),
    paymentProvider: text('payment_provider').notNull(),
    paymentId: text('payment_id'),
    /** SHA-256 of the token that lets a guest read their order. */
    accessTokenHash: text('access_token_hash').notNull(),
    trackingNumber: text('tracking_number'),
    trackingCarrier: text('tracking_carrier'),
    trackingUrl: text('tracking_url'),
    cancelReason: text('cancel_reason'),
    /** Until when checkout holds the stock of a pending order. */
    reservedUntil: timestamp('reserved_until', { withTimezone: true }),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull().defaultNow(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    fulfilledAt: timestamp('fulfilled_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    canceledAt: timestamp('canceled_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('orders_number_key').on(t.number),
    uniqueIndex('orders_payment_key').on(t.paymentProvider, t.paymentId),
    index('orders_placed_idx').on(t.placedAt, t.id),
    index('orders_status_placed_idx').on(t.status, t.placedAt),
    index('orders_customer_placed_idx').on(t.customerId, t.placedAt),
    index('orders_email_idx').on(sql`lower(${t.email})`),
    index('orders_pending_reserved_idx').on(t.reservedUntil).where(sql`${t.status} = 'pending'`),
    check(
      'orders_amounts',
      sql`${t.subtotal} >= 0 AND ${t.discountTotal} >= 0 AND ${t.shippingTotal} >= 0 AND ${t.taxTotal} >= 0 AND ${t.grandTotal} >= 0 AND ${t.amountRefunded} BETWEEN 0 AND ${t.amountCaptured} AND ${t.amountCaptured} <= ${t.grandTotal}`,
    ),
  ],
);

export interface OrderRow {
  id: string;
  /** bigint: a string from node-postgres, a number from PGlite (select `number::int`). */
  number: string | number;
  cart_id: string | null;
  customer_id: string | null;
  email: string;
  status: (typeof orderStatus.enumValues)[number];
  payment_status: (typeof paymentStatus.enumValues)[number];
  currency: string;
  prices_include_tax: boolean;
  subtotal: number;
  discount_total: number;
  shipping_total: number;
  shipping_tax: number;
  tax_total: number;
  grand_total: number;
  amount_captured: number;
  amount_refunded: number;
  shipping_address: ShippingAddress;
  shipping_method: { id: string; code: string; name: string } | null;
  promotion_id: string | null;
  promotion_code: string | null;
  payment_provider: string;
  payment_id: string | null;
  access_token_hash: string;
  tracking_number: string | null;
  tracking_carrier: string | null;
  tracking_url: string | null;
  cancel_reason: string | null;
  reserved_until: Date | null;
  placed_at: Date;
  paid_at: Date | null;
  fulfilled_at: Date | null;
  delivered_at: Date | null;
  canceled_at: Date | null;
  updated_at: Date;
  version: number;
}

/** The order's lines as bought: titles and prices are copies, so later catalog edits change nothing. */
export const orderLines = pgTable(
  'order_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    variantId: uuid('variant_id').references(() => productVariants.id, { onDelete: 'set null' }),
    productId: uuid('product_id'),
    productTitle: text('product_title').notNull(),
    variantTitle: text('variant_title').notNull(),
    sku: text('sku').notNull(),
    imageUrl: text('image_url'),
    quantity: integer('quantity').notNull(),
    unitPrice: integer('unit_price').notNull(),
    subtotal: integer('subtotal').notNull(),
    discount: integer('discount').notNull(),
    tax: integer('tax').notNull(),
    taxRatePpm: integer('tax_rate_ppm').notNull(),
    total: integer('total').notNull(),
  },
  (t) => [
    index('order_lines_order_idx').on(t.orderId, t.position),
    check('order_lines_quantity_positive', sql`${t.quantity} > 0`),
  ],
);

export interface OrderLineRow {
  id: string;
  order_id: string;
  position: number;
  variant_id: string | null;
  product_id: string | null;
  product_title: string;
  variant_title: string;
  sku: string;
  image_url: string | null;
  quantity: number;
  unit_price: number;
  subtotal: number;
  discount: number;
  tax: number;
  tax_rate_ppm: number;
  total: number;
}

export const reservationState = pgEnum('reservation_state', ['held', 'committed', 'released']);

/**
 * Stock a pending order holds. A held reservation counts against availability only while
 * `expires_at` is in the future, so an abandoned checkout frees its stock on time even
 * when the sweeper that marks it released is late.
 */
export const stockReservations = pgTable(
  'stock_reservations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => productVariants.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
    state: reservationState('state').notNull().default('held'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('stock_reservations_held_idx').on(t.variantId, t.expiresAt).where(sql`${t.state} = 'held'`),
    index('stock_reservations_order_idx').on(t.orderId),
    check('stock_reservations_quantity_positive', sql`${t.quantity} > 0`),
  ],
);

export interface StockReservationRow {
  id: string;
  order_id: string;
  variant_id: string;
  quantity: number;
  state: (typeof reservationState.enumValues)[number];
  expires_at: Date;
  created_at: Date;
}

/** Every change of an order, in order: the history staff and shoppers see. */
export const orderEvents = pgTable(
  'order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** `placed`, `payment_succeeded`, `captured`, `fulfilled`, `refunded`, `email_queued`, … */
    type: text('type').notNull(),
    fromStatus: orderStatus('from_status'),
    toStatus: orderStatus('to_status'),
    /** `customer`, `staff`, `system` or `provider`. */
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('order_events_order_idx').on(t.orderId, t.id)],
);

export interface OrderEventRow {
  /** bigint: a string from node-postgres, a number from PGlite. */
  id: string | number;
  order_id: string;
  type: string;
  from_status: (typeof orderStatus.enumValues)[number] | null;
  to_status: (typeof orderStatus.enumValues)[number] | null;
  actor_type: string;
  actor_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

export const orderRefunds = pgTable(
  'order_refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    providerRefundId: text('provider_refund_id'),
    amount: integer('amount').notNull(),
    /** `succeeded`, `pending` or `failed`, as the provider reports. */
    status: text('status').notNull(),
    reason: text('reason'),
    staffId: uuid('staff_id').references(() => staff.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('order_refunds_order_idx').on(t.orderId),
    uniqueIndex('order_refunds_provider_key').on(t.providerRefundId),
    check('order_refunds_amount_positive', sql`${t.amount} > 0`),
  ],
);

export interface OrderRefundRow {
  id: string;
  order_id: string;
  provider_refund_id: string | null;
  amount: number;
  status: string;
  reason: string | null;
  staff_id: string | null;
  created_at: Date;
}

/**
 * Replays of a request sent with an `Idempotency-Key`: the first one records its answer,
 * a retry with the same key and body gets it back, a different body is refused.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    /** Null while the first request is still running. */
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** A request that died mid-way leaves this to lapse; the key may then be tried again. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

/** An idempotency_keys row as SQL returns it. */
export interface IdempotencyKeyRow {
  scope: string;
  key: string;
  request_hash: string;
  response_status: number | null;
  response_body: unknown;
  created_at: Date;
  locked_until: Date | null;
}

/** Payment provider webhooks already applied; a replay of one changes nothing. */
export const paymentWebhookEvents = pgTable(
  'payment_webhook_events',
  {
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] })],
);

export interface PaymentWebhookEventRow {
  provider: string;
  event_id: string;
  type: string;
  received_at: Date;
}

/** Where staff want order and product events POSTed, signed with `secret` (HMAC-SHA256). */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    secret: text('secret').notNull(),
    /** Event types delivered; empty = all. */
    events: text('events').array().notNull().default(sql`'{}'::text[]`),
    active: boolean('active').notNull().default(true),
    ...timestamps,
  },
  (t) => [check('webhook_endpoints_url_http', sql`${t.url} ~ '^https?://'`)],
);

export interface WebhookEndpointRow {
  id: string;
  url: string;
  description: string;
  secret: string;
  events: string[];
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export const webhookDeliveryStatus = pgEnum('webhook_delivery_status', ['pending', 'succeeded', 'failed']);

/** One event to one endpoint, with what happened on each attempt (the delivery log). */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The same for every endpoint the event goes to, and across retries (receivers dedupe on it). */
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').notNull(),
    status: webhookDeliveryStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
    uniqueIndex('webhook_deliveries_event_endpoint_key').on(t.eventId, t.endpointId),
  ],
);

export interface WebhookDeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  payload: unknown;
  status: (typeof webhookDeliveryStatus.enumValues)[number];
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}
