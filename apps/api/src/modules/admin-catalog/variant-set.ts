import { randomUUID } from 'node:crypto';
import type { productVariantsPutSchema } from '@e3d/contracts';
import { rows, sql, type Tx } from '@e3d/db';
import type { z } from 'zod';
import { AppError } from '../../errors.ts';

export type VariantSet = Pick<z.output<typeof productVariantsPutSchema>, 'options' | 'variants'>;

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/**
 * Makes the product's options, option values and variants exactly `set` (already checked for
 * shape by the contract). Variants sent with their id are updated in place, so their ids,
 * order lines and media links survive; the rest are created; missing ones are deleted — their
 * media stays with the product, unlinked. A few set-based statements, whatever the grid size.
 */
export async function syncVariantSet(tx: Tx, productId: string, set: VariantSet): Promise<void> {
  const existing = new Set(
    (
      await rows<{ id: string }>(tx, sql`SELECT id FROM product_variants WHERE product_id = ${productId}`)
    ).map((r) => r.id),
  );
  set.variants.forEach((v, i) => {
    if (v.id !== undefined && !existing.has(v.id)) {
      throw AppError.invalid(`variants.${i}.id`, 'is not a variant of this product');
    }
  });
  const taken = await rows<{ sku: string }>(
    tx,
    sql`SELECT sku FROM product_variants WHERE product_id <> ${productId}
        AND sku IN (SELECT jsonb_array_elements_text(${json(set.variants.map((v) => v.sku))}))`,
  );
  if (taken.length > 0) {
    const skus = new Set(taken.map((t) => t.sku));
    const errors = set.variants.flatMap((v, i) =>
      skus.has(v.sku) ? [{ field: `variants.${i}.sku`, message: 'is used by another product' }] : [],
    );
    throw new AppError(409, 'sku_taken', `SKU ${[...skus].join(', ')} is used by another product`, errors);
  }

  // Options and their values, by name: kept ones keep their ids.
  await rows(
    tx,
    sql`DELETE FROM product_options WHERE product_id = ${productId}
    AND name NOT IN (SELECT jsonb_array_elements_text(${json(set.options.map((o) => o.name))}))`,
  );
  const options = await rows<{ id: string; name: string }>(
    tx,
    sql`INSERT INTO product_options (product_id, name, position)
        SELECT ${productId}, x.name, x.position
        FROM jsonb_to_recordset(${json(set.options.map((o, position) => ({ name: o.name, position })))})
          AS x(name text, position int)
        ON CONFLICT (product_id, name) DO UPDATE SET position = EXCLUDED.position
        RETURNING id, name`,
  );
  const optionId = new Map(options.map((o) => [o.name, o.id]));
  const values = set.options.flatMap((o) =>
    o.values.map((value, position) => ({ option_id: optionId.get(o.name), value, position })),
  );
  await rows(
    tx,
    sql`DELETE FROM product_option_values v USING product_options o
    WHERE v.option_id = o.id AND o.product_id = ${productId} AND NOT EXISTS (
      SELECT 1 FROM jsonb_to_recordset(${json(values)}) AS x(option_id uuid, value text)
      WHERE x.option_id = v.option_id AND x.value = v.value)`,
  );
  const valueRows =
    values.length === 0
      ? []
      : await rows<{ id: string; option_id: string; value: string }>(
          tx,
          sql`INSERT INTO product_option_values (option_id, value, position)
              SELECT x.option_id, x.value, x.position
              FROM jsonb_to_recordset(${json(values)}) AS x(option_id uuid, value text, position int)
              ON CONFLICT (option_id, value) DO UPDATE SET position = EXCLUDED.position
              RETURNING id, option_id, value`,
        );
  const valueId = new Map(valueRows.map((v) => [`${v.option_id}\0${v.value}`, v.id]));

  // Variants: unlink media of the ones going, delete them, then upsert the rest by id.
  const variants = set.variants.map((v, position) => ({
    id: v.id ?? randomUUID(),
    sku: v.sku,
    title: v.title ?? (set.options.map((o) => v.options[o.name]).join(' / ') || 'Default'),
    price_amount: v.price.amount,
    currency: v.price.currency,
    compare_at_amount: v.compareAtPrice?.amount ?? null,
    stock_on_hand: v.stock,
    allow_backorder: v.allowBackorder,
    weight_grams: v.weightGrams,
    length_mm: v.dimensionsMm?.length ?? null,
    width_mm: v.dimensionsMm?.width ?? null,
    height_mm: v.dimensionsMm?.height ?? null,
    position,
  }));
  const keep = json(variants.map((r) => r.id));
  const going = sql`SELECT id FROM product_variants WHERE product_id = ${productId}
    AND id::text NOT IN (SELECT jsonb_array_elements_text(${keep}))`;
  await rows(tx, sql`UPDATE product_media SET variant_id = NULL WHERE variant_id IN (${going})`);
  await rows(tx, sql`DELETE FROM product_variants WHERE id IN (${going})`);
  // Kept variants may swap SKUs among themselves: park them first so no row collides midway.
  await rows(
    tx,
    sql`UPDATE product_variants SET sku = 'moving:' || id::text WHERE product_id = ${productId}`,
  );
  if (variants.length > 0) {
    await rows(
      tx,
      sql`INSERT INTO product_variants (id, product_id, sku, title, price_amount, currency,
        compare_at_amount, stock_on_hand, allow_backorder, weight_grams, length_mm, width_mm, height_mm, position)
      SELECT x.id, ${productId}, x.sku, x.title, x.price_amount, x.currency, x.compare_at_amount, x.stock_on_hand,
        x.allow_backorder, x.weight_grams, x.length_mm, x.width_mm, x.height_mm, x.position
      FROM jsonb_to_recordset(${json(variants)}) AS x(id uuid, sku text, title text, price_amount int, currency text,
        compare_at_amount int, stock_on_hand int, allow_backorder boolean, weight_grams int, length_mm int,
        width_mm int, height_mm int, position int)
      ON CONFLICT (id) DO UPDATE SET sku = EXCLUDED.sku, title = EXCLUDED.title,
        price_amount = EXCLUDED.price_amount, currency = EXCLUDED.currency,
        compare_at_amount = EXCLUDED.compare_at_amount, stock_on_hand = EXCLUDED.stock_on_hand,
        allow_backorder = EXCLUDED.allow_backorder, weight_grams = EXCLUDED.weight_grams,
        length_mm = EXCLUDED.length_mm, width_mm = EXCLUDED.width_mm, height_mm = EXCLUDED.height_mm,
        position = EXCLUDED.position`,
    );
  }

  const links = variants.flatMap((r, i) =>
    set.options.map((o) => ({
      variant_id: r.id,
      option_value_id: valueId.get(`${optionId.get(o.name)}\0${set.variants[i]?.options[o.name]}`),
    })),
  );
  await rows(
    tx,
    sql`DELETE FROM variant_option_values
    WHERE variant_id IN (SELECT id FROM product_variants WHERE product_id = ${productId})`,
  );
  if (links.length > 0) {
    await rows(
      tx,
      sql`INSERT INTO variant_option_values (variant_id, option_value_id)
      SELECT x.variant_id, x.option_value_id
      FROM jsonb_to_recordset(${json(links)}) AS x(variant_id uuid, option_value_id uuid)`,
    );
  }
}
