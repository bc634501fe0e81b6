import { type Queryable, rows, sql } from '@e3d/db';
import { AppError } from '../../errors.ts';

export async function requireProduct(conn: Queryable, productId: string): Promise<void> {
  const [product] = await rows(conn, sql`SELECT 1 FROM products WHERE id = ${productId}`);
  if (!product) throw AppError.notFound('product_not_found', `No product with id ${productId}`);
}

/** A variant a media may show must be one of the media's own product; `field` names it in the 400. */
export async function requireVariant(
  conn: Queryable,
  productId: string,
  variantId: string,
  field: string,
): Promise<void> {
  const [variant] = await rows(
    conn,
    sql`SELECT 1 FROM product_variants WHERE id = ${variantId} AND product_id = ${productId}`,
  );
  if (!variant) throw AppError.invalid(field, 'is not a variant of this product');
}
