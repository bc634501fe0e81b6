import {
  type CartLineRow,
  type CartRow,
  type Connection,
  type Database,
  type Iso,
  iso,
  type ProductVariantRow,
  type Queryable,
  rows,
  type ShippingAddress,
  sql,
} from '@e3d/db';
import { CommerceError } from '../errors.ts';
import { PricingError } from '../pricing/errors.ts';
import { type PricedCart, priceCart } from '../pricing/price-cart.ts';
import { evaluatePromotion } from '../pricing/promotion.ts';
import { quoteShipping } from '../pricing/shipping.ts';
import {
  listActiveShippingMethods,
  loadPromotion,
  loadShippingMethod,
  loadShopSettings,
  loadTaxRates,
  type ShopSettings,
  type StoredPromotion,
  type StoredShippingMethod,
} from '../store/pricing-context.ts';
import { type CartLineWithVariant, heldQuantities, loadCartLines } from './lines.ts';

export const MAX_LINE_QUANTITY = 999;
export const MAX_CART_LINES = 100;

/** Who is asking for a cart: the signed-in customer and/or the cart id from the guest cookie. */
export interface CartRef {
  customerId: string | null;
  cartId: string | null;
}

export type { ShippingAddress } from '@e3d/db';

/** A shopper's active cart, as the cart functions pass it around. */
export interface Cart {
  id: string;
  customerId: string | null;
  currency: string;
  email: string | null;
  shippingAddress: ShippingAddress | null;
  shippingMethodId: string | null;
  promotionCode: string | null;
  updatedAt: string;
}

export type LineProblem = 'unavailable' | 'insufficient_stock';

export interface CartLineView {
  variantId: string;
  productId: string;
  productHandle: string;
  productTitle: string;
  variantTitle: string;
  sku: string;
  imageUrl: string | null;
  quantity: number;
  unitPrice: number;
  compareAtPrice: number | null;
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  /** Units that can still be bought; null when the variant takes backorders. */
  available: number | null;
  problem: LineProblem | null;
}

export interface CartProblem {
  code: 'unavailable' | 'insufficient_stock' | 'shipping_unavailable' | 'promotion_refused';
  message: string;
  variantId?: string;
}

export interface CartView {
  /** Null until something is added. */
  id: string | null;
  currency: string;
  pricesIncludeTax: boolean;
  email: string | null;
  shippingAddress: ShippingAddress | null;
  shippingMethod: { id: string; code: string; name: string; amount: number } | null;
  promotion: { code: string; status: 'applied' | 'refused'; reason: string | null; amount: number } | null;
  lines: CartLineView[];
  itemCount: number;
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  shippingTax: number;
  taxTotal: number;
  grandTotal: number;
  /** What stops checkout or changed since the shopper last looked. */
  problems: CartProblem[];
  updatedAt: string | null;
}

const CART_COLUMNS = sql`id, customer_id, currency, email, shipping_address, shipping_method_id, promotion_code,
  ${iso(sql`updated_at`)} AS updated_at`;

type RawCart = Iso<
  Pick<
    CartRow,
    | 'id'
    | 'customer_id'
    | 'currency'
    | 'email'
    | 'shipping_address'
    | 'shipping_method_id'
    | 'promotion_code'
    | 'updated_at'
  >
>;

const toCart = (r: RawCart): Cart => ({
  id: r.id,
  customerId: r.customer_id,
  currency: r.currency,
  email: r.email,
  shippingAddress: r.shipping_address,
  shippingMethodId: r.shipping_method_id,
  promotionCode: r.promotion_code,
  updatedAt: r.updated_at,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cookie value that can name a cart; anything else is ignored, never sent to SQL. */
export const isCartId = (value: string | null | undefined): value is string => !!value && UUID.test(value);

/**
 * Finds the cart `ref` names, creating one when `create`. A signed-in customer's guest cart
 * (from before they signed in) is merged into their own — quantities added, capped at
 * MAX_LINE_QUANTITY — or, when they have none, becomes theirs. Call inside a transaction.
 */
export async function resolveCart(
  conn: Queryable,
  ref: CartRef,
  options: { create?: boolean; forUpdate?: boolean } = {},
): Promise<Cart | null> {
  const lock = options.forUpdate ? sql` FOR UPDATE` : sql``;
  const guestId = isCartId(ref.cartId) ? ref.cartId : null;
  const [guest] = guestId
    ? await rows<RawCart>(
        conn,
        sql`SELECT ${CART_COLUMNS} FROM carts WHERE id = ${guestId} AND status = 'active' AND customer_id IS NULL${lock}`,
      )
    : [];
  if (!ref.customerId) {
    if (guest) return toCart(guest);
    return options.create ? createCart(conn, null) : null;
  }
  const [own] = await rows<RawCart>(
    conn,
    sql`SELECT ${CART_COLUMNS} FROM carts WHERE customer_id = ${ref.customerId} AND status = 'active'${lock}`,
  );
  if (guest && own) {
    await rows(
      conn,
      sql`INSERT INTO cart_lines (cart_id, variant_id, quantity, created_at)
          SELECT ${own.id}, variant_id, quantity, created_at FROM cart_lines WHERE cart_id = ${guest.id}
          ON CONFLICT (cart_id, variant_id)
          DO UPDATE SET quantity = least(${sql.raw(String(MAX_LINE_QUANTITY))}, cart_lines.quantity + excluded.quantity)`,
    );
    await rows(conn, sql`UPDATE carts SET status = 'merged', updated_at = now() WHERE id = ${guest.id}`);
    const [merged] = await rows<RawCart>(
      conn,
      sql`UPDATE carts SET promotion_code = coalesce(promotion_code, ${guest.promotion_code}), updated_at = now()
          WHERE id = ${own.id} RETURNING ${CART_COLUMNS}`,
    );
    return merged ? toCart(merged) : null;
  }
  if (guest) {
    const [adopted] = await rows<RawCart>(
      conn,
      sql`UPDATE carts SET customer_id = ${ref.customerId}, updated_at = now()
          WHERE id = ${guest.id} RETURNING ${CART_COLUMNS}`,
    );
    return adopted ? toCart(adopted) : null;
  }
  if (own) return toCart(own);
  return options.create ? createCart(conn, ref.customerId) : null;
}

async function createCart(conn: Queryable, customerId: string | null): Promise<Cart> {
  const settings = await loadShopSettings(conn);
  const [row] = await rows<RawCart>(
    conn,
    sql`INSERT INTO carts (customer_id, currency, email)
        VALUES (${customerId}, ${settings.currency}, (SELECT email FROM customers WHERE id = ${customerId}))
        RETURNING ${CART_COLUMNS}`,
  );
  if (!row) throw new Error('cart insert returned nothing');
  return toCart(row);
}

const touch = (conn: Queryable, cartId: string) =>
  rows(conn, sql`UPDATE carts SET updated_at = now() WHERE id = ${cartId}`);

async function variantForCart(conn: Queryable, variantId: string) {
  const [row] = await rows<
    Pick<ProductVariantRow, 'id' | 'currency' | 'stock_on_hand' | 'allow_backorder'> & { status: string }
  >(
    conn,
    sql`SELECT v.id, v.currency, v.stock_on_hand, v.allow_backorder, p.status
        FROM product_variants v JOIN products p ON p.id = v.product_id WHERE v.id = ${variantId}`,
  );
  if (!row) throw CommerceError.notFound('variant_not_found', `No product variant ${variantId}.`);
  return row;
}

async function checkQuantity(conn: Queryable, cart: Cart, variantId: string, quantity: number) {
  if (quantity > MAX_LINE_QUANTITY) {
    throw new CommerceError(
      400,
      'quantity_too_large',
      `At most ${MAX_LINE_QUANTITY} of one item per order.`,
      {
        max: MAX_LINE_QUANTITY,
      },
    );
  }
  const variant = await variantForCart(conn, variantId);
  if (variant.status !== 'published' || variant.currency !== cart.currency) {
    throw CommerceError.conflict('variant_unavailable', 'This item is not for sale.', { variantId });
  }
  if (variant.allow_backorder) return;
  const held = (await heldQuantities(conn, [variantId])).get(variantId) ?? 0;
  const available = Math.max(0, variant.stock_on_hand - held);
  if (quantity > available) {
    throw CommerceError.conflict(
      'insufficient_stock',
      available === 0 ? 'This item is out of stock.' : `Only ${available} left in stock.`,
      { variantId, requested: quantity, available },
    );
  }
}

/** Adds `quantity` of a variant (to what the cart has of it already). */
export async function addCartLine(
  conn: Queryable,
  cart: Cart,
  variantId: string,
  quantity: number,
): Promise<void> {
  const [existing] = await lineQuantity(conn, cart.id, variantId);
  if (!existing) {
    const [count] = await rows<{ n: number }>(
      conn,
      sql`SELECT count(*)::int AS n FROM cart_lines WHERE cart_id = ${cart.id}`,
    );
    if ((count?.n ?? 0) >= MAX_CART_LINES) {
      throw CommerceError.conflict('cart_full', `A cart holds at most ${MAX_CART_LINES} different items.`);
    }
  }
  const total = (existing?.quantity ?? 0) + quantity;
  await checkQuantity(conn, cart, variantId, total);
  await rows(
    conn,
    sql`INSERT INTO cart_lines (cart_id, variant_id, quantity) VALUES (${cart.id}, ${variantId}, ${total})
        ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = excluded.quantity`,
  );
  await touch(conn, cart.id);
}

const lineQuantity = (conn: Queryable, cartId: string, variantId: string) =>
  rows<Pick<CartLineRow, 'quantity'>>(
    conn,
    sql`SELECT quantity FROM cart_lines WHERE cart_id = ${cartId} AND variant_id = ${variantId}`,
  );

/** Sets a line's quantity; 0 removes it. Lowering a quantity is always allowed. */
export async function setCartLineQuantity(
  conn: Queryable,
  cart: Cart,
  variantId: string,
  quantity: number,
): Promise<void> {
  if (quantity === 0) return removeCartLine(conn, cart, variantId);
  const [existing] = await lineQuantity(conn, cart.id, variantId);
  if (!existing) throw CommerceError.notFound('cart_line_not_found', 'That item is not in the cart.');
  if (quantity > existing.quantity) await checkQuantity(conn, cart, variantId, quantity);
  await rows(
    conn,
    sql`UPDATE cart_lines SET quantity = ${quantity} WHERE cart_id = ${cart.id} AND variant_id = ${variantId}`,
  );
  await touch(conn, cart.id);
}

export async function removeCartLine(conn: Queryable, cart: Cart, variantId: string): Promise<void> {
  const removed = await rows(
    conn,
    sql`DELETE FROM cart_lines WHERE cart_id = ${cart.id} AND variant_id = ${variantId} RETURNING 1`,
  );
  if (removed.length === 0)
    throw CommerceError.notFound('cart_line_not_found', 'That item is not in the cart.');
  await touch(conn, cart.id);
}

/**
 * Applies a promotion code. Unknown or inactive codes are 404; codes that cannot apply now
 * (expired, not started, used up, other currency) are 409 with the reason as code. A code whose
 * minimum is not met yet is kept and shown as refused until the cart reaches it.
 */
export async function applyPromotionCode(conn: Queryable, cart: Cart, code: string): Promise<void> {
  const stored = await loadPromotion(conn, code);
  if (!stored?.active) {
    throw CommerceError.notFound('promotion_not_found', `There is no promotion code ${code.trim()}.`);
  }
  const lines = await loadCartLines(conn, cart.id);
  const subtotal = lines.reduce((sum, l) => sum + l.priceAmount * l.quantity, 0);
  const result = evaluatePromotion(stored.promotion, { subtotal, currency: cart.currency, now: new Date() });
  if (result.status === 'refused' && result.reason !== 'promotion_minimum_not_met') {
    throw CommerceError.conflict(result.reason, PROMOTION_MESSAGES[result.reason] ?? result.reason, {
      code: stored.promotion.code,
    });
  }
  await rows(
    conn,
    sql`UPDATE carts SET promotion_code = ${stored.promotion.code}, updated_at = now() WHERE id = ${cart.id}`,
  );
}

export const PROMOTION_MESSAGES: Record<string, string> = {
  promotion_not_found: 'This promotion code does not exist.',
  promotion_currency_mismatch: 'This promotion code is for another currency.',
  promotion_not_started: 'This promotion code is not valid yet.',
  promotion_expired: 'This promotion code has expired.',
  promotion_exhausted: 'This promotion code has been used up.',
  promotion_minimum_not_met: 'The order is below this promotion code’s minimum.',
};

export async function removePromotionCode(conn: Queryable, cart: Cart): Promise<void> {
  await rows(conn, sql`UPDATE carts SET promotion_code = NULL, updated_at = now() WHERE id = ${cart.id}`);
}

export interface CartDetails {
  email?: string | null;
  shippingAddress?: ShippingAddress | null;
  shippingMethodId?: string | null;
}

/** Email, shipping address and method, kept on the cart for checkout. */
export async function updateCartDetails(conn: Queryable, cart: Cart, details: CartDetails): Promise<void> {
  if (details.shippingMethodId) {
    const method = await loadShippingMethod(conn, details.shippingMethodId);
    if (!method?.active) {
      throw CommerceError.notFound('shipping_method_not_found', 'That shipping method is not offered.');
    }
  }
  const address = details.shippingAddress ? JSON.stringify(details.shippingAddress) : null;
  await rows(
    conn,
    sql`UPDATE carts SET
          email = CASE WHEN ${details.email !== undefined}::boolean THEN ${details.email ?? null} ELSE email END,
          shipping_address = CASE WHEN ${details.shippingAddress !== undefined}::boolean
            THEN ${address}::jsonb ELSE shipping_address END,
          shipping_method_id = CASE WHEN ${details.shippingMethodId !== undefined}::boolean
            THEN ${details.shippingMethodId ?? null}::uuid ELSE shipping_method_id END,
          updated_at = now()
        WHERE id = ${cart.id}`,
  );
}

export interface PricingInputs {
  settings: ShopSettings;
  method: StoredShippingMethod | null;
  promotion: StoredPromotion | null;
}

/** Prices lines as `priceCart` wants them, reporting what is wrong instead of throwing. */
export function priceLines(
  cart: Pick<Cart, 'currency' | 'shippingAddress' | 'promotionCode'>,
  lines: CartLineWithVariant[],
  held: Map<string, number>,
  inputs: PricingInputs & { taxRates: Awaited<ReturnType<typeof loadTaxRates>> },
): { priced: PricedCart; lineViews: Omit<CartLineView, 'imageUrl'>[]; problems: CartProblem[] } {
  const problems: CartProblem[] = [];
  const views = lines.map((line) => {
    const available = line.allowBackorder
      ? null
      : Math.max(0, line.stockOnHand - (held.get(line.variantId) ?? 0));
    let problem: LineProblem | null = null;
    if (line.productStatus !== 'published' || line.currency !== cart.currency) problem = 'unavailable';
    else if (available !== null && line.quantity > available) problem = 'insufficient_stock';
    if (problem === 'unavailable') {
      problems.push({
        code: 'unavailable',
        variantId: line.variantId,
        message: `${line.productTitle} is no longer for sale.`,
      });
    } else if (problem === 'insufficient_stock') {
      problems.push({
        code: 'insufficient_stock',
        variantId: line.variantId,
        message:
          available === 0
            ? `${line.productTitle} is out of stock.`
            : `Only ${available} of ${line.productTitle} left in stock.`,
      });
    }
    return { line, available, problem };
  });
  const sellable = views.filter((v) => v.problem !== 'unavailable');
  const address = cart.shippingAddress;
  const destination = address
    ? { country: address.country, ...(address.region ? { region: address.region } : {}) }
    : { country: 'ZZ' };
  const input = {
    currency: cart.currency,
    lines: sellable.map(({ line }) => ({
      variantId: line.variantId,
      unitPrice: { amount: line.priceAmount, currency: line.currency },
      quantity: line.quantity,
      weightGrams: line.weightGrams,
    })),
    destination,
    taxRates: address ? inputs.taxRates : [],
    pricesIncludeTax: inputs.settings.pricesIncludeTax,
    ...(inputs.promotion?.active ? { promotion: inputs.promotion.promotion } : {}),
  };
  let priced: PricedCart;
  const method = inputs.method?.active && address && sellable.length > 0 ? inputs.method : null;
  try {
    priced = priceCart(method ? { ...input, shippingMethod: method.method } : input);
  } catch (error) {
    if (!PricingError.is(error, 'shipping_unavailable')) throw error;
    problems.push({
      code: 'shipping_unavailable',
      message: 'This shipping method does not reach the address.',
    });
    priced = priceCart(input);
  }
  const refused = priced.adjustments.find((a) => a.kind === 'promotion' && a.status === 'refused');
  if (refused && refused.kind === 'promotion' && refused.status === 'refused') {
    problems.push({
      code: 'promotion_refused',
      message: PROMOTION_MESSAGES[refused.reason] ?? refused.reason,
    });
  }
  const pricedByVariant = new Map(priced.lines.map((l) => [l.variantId, l]));
  const lineViews = views.map(({ line, available, problem }) => {
    const p = pricedByVariant.get(line.variantId);
    return {
      variantId: line.variantId,
      productId: line.productId,
      productHandle: line.productHandle,
      productTitle: line.productTitle,
      variantTitle: line.variantTitle,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.priceAmount,
      compareAtPrice: line.compareAtAmount,
      subtotal: p?.subtotal ?? line.priceAmount * line.quantity,
      discount: p?.discount ?? 0,
      tax: p?.tax ?? 0,
      total: p?.total ?? 0,
      available,
      problem,
    };
  });
  return { priced, lineViews, problems };
}

/** The cart as the shopper sees it: every price, total and availability worked out now. */
export async function viewCart(
  conn: Queryable,
  cart: Cart | null,
  options: { assetBaseUrl: string },
): Promise<CartView> {
  const settings = await loadShopSettings(conn);
  if (!cart) return emptyCart(settings);
  const lines = await loadCartLines(conn, cart.id);
  const held = await heldQuantities(
    conn,
    lines.map((l) => l.variantId),
  );
  const [method, promotion, taxRates] = [
    cart.shippingMethodId ? await loadShippingMethod(conn, cart.shippingMethodId) : null,
    cart.promotionCode ? await loadPromotion(conn, cart.promotionCode) : null,
    await loadTaxRates(conn),
  ];
  const { priced, lineViews, problems } = priceLines(cart, lines, held, {
    settings,
    method,
    promotion,
    taxRates,
  });
  if (cart.promotionCode && !promotion?.active) {
    problems.push({ code: 'promotion_refused', message: PROMOTION_MESSAGES.promotion_not_found ?? '' });
  }
  const adjustment = priced.adjustments.find((a) => a.kind === 'promotion');
  const imageByVariant = new Map(lines.map((l) => [l.variantId, l.imageKey]));
  return {
    id: cart.id,
    currency: cart.currency,
    pricesIncludeTax: settings.pricesIncludeTax,
    email: cart.email,
    shippingAddress: cart.shippingAddress,
    shippingMethod:
      method?.active && cart.shippingAddress
        ? { id: method.id, code: method.code, name: method.name, amount: priced.shipping }
        : null,
    promotion: cart.promotionCode
      ? adjustment?.kind === 'promotion' && adjustment.status === 'applied'
        ? { code: adjustment.code, status: 'applied', reason: null, amount: adjustment.amount }
        : {
            code: cart.promotionCode,
            status: 'refused',
            reason:
              adjustment?.kind === 'promotion' && adjustment.status === 'refused'
                ? adjustment.reason
                : 'promotion_not_found',
            amount: 0,
          }
      : null,
    lines: lineViews.map((l) => {
      const key = imageByVariant.get(l.variantId);
      return { ...l, imageUrl: key ? `${options.assetBaseUrl}/${key}` : null };
    }),
    itemCount: lines.reduce((n, l) => n + l.quantity, 0),
    subtotal: priced.subtotal,
    discountTotal: priced.discountTotal,
    shippingTotal: priced.shipping,
    shippingTax: priced.shippingTax,
    taxTotal: priced.taxTotal,
    grandTotal: priced.grandTotal,
    problems,
    updatedAt: cart.updatedAt,
  };
}

function emptyCart(settings: ShopSettings): CartView {
  return {
    id: null,
    currency: settings.currency,
    pricesIncludeTax: settings.pricesIncludeTax,
    email: null,
    shippingAddress: null,
    shippingMethod: null,
    promotion: null,
    lines: [],
    itemCount: 0,
    subtotal: 0,
    discountTotal: 0,
    shippingTotal: 0,
    shippingTax: 0,
    taxTotal: 0,
    grandTotal: 0,
    problems: [],
    updatedAt: null,
  };
}

export interface ShippingOption {
  id: string;
  code: string;
  name: string;
  description: string;
  minDays: number | null;
  maxDays: number | null;
  amount: number;
  free: boolean;
  currency: string;
}

/** The active methods that reach `country` for this cart's weight, with their prices. */
export async function shippingOptions(
  conn: Queryable,
  cart: Cart | null,
  country: string,
): Promise<ShippingOption[]> {
  const methods = await listActiveShippingMethods(conn);
  const lines = cart ? await loadCartLines(conn, cart.id) : [];
  const weightGrams = lines.reduce((sum, l) => sum + l.weightGrams * l.quantity, 0);
  const merchandise = lines.reduce((sum, l) => sum + l.priceAmount * l.quantity, 0);
  const currency = cart?.currency ?? (await loadShopSettings(conn)).currency;
  const options: ShippingOption[] = [];
  for (const m of methods) {
    if (m.method.currency !== currency) continue;
    try {
      const quote = quoteShipping(m.method, { country, weightGrams, merchandiseTotal: merchandise });
      options.push({
        id: m.id,
        code: m.code,
        name: m.name,
        description: m.description,
        minDays: m.minDays,
        maxDays: m.maxDays,
        amount: quote.amount,
        free: quote.free,
        currency,
      });
    } catch (error) {
      if (!PricingError.is(error, 'shipping_unavailable')) throw error;
    }
  }
  return options;
}

/** Runs a cart write in one transaction and returns the cart it wrote to. */
export async function writeCart(
  db: Database,
  ref: CartRef,
  write: (conn: Connection, cart: Cart) => Promise<void>,
): Promise<Cart> {
  return db.transaction(async (conn) => {
    const cart = await resolveCart(conn, ref, { create: true, forUpdate: true });
    if (!cart) throw new Error('resolveCart did not create a cart');
    await write(conn, cart);
    return cart;
  });
}
