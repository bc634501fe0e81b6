import type { CategoryNode, ProductDetail, ProductListQuery, ProductSummary } from '@e3d/contracts';
import type { Orm } from '@e3d/db';
import type { ObjectStore } from '@e3d/storage';
import { type SQL, sql } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import { decodeCursor, encodeCursor, type KeysetCursor } from './cursor.ts';
import {
  breadcrumbQuery,
  type CategoryRow,
  type CollectionRow,
  categorySubtree,
  categoryTreeQuery,
  collectionsQuery,
  type DetailRow,
  type MediaRow,
  type OptionRow,
  productByHandle,
  productCollectionsQuery,
  productMediaQuery,
  productOptionsQuery,
  productVariantsQuery,
  rows,
  type SummaryRow,
  summaryColumns,
  thumbnailJoin,
  type VariantRow,
} from './queries.ts';

type Sort = NonNullable<ProductListQuery['sort']>;

/** ORDER BY and the keyset comparison for each sort; the id breaks ties. */
const SORTS: Record<
  Exclude<Sort, 'relevance'>,
  { order: SQL; after: (c: KeysetCursor) => SQL; key: (r: SummaryRow) => string | number }
> = {
  newest: {
    order: sql`p.created_at DESC, p.id DESC`,
    after: (c) => sql`(p.created_at, p.id) < (${c.key}::timestamptz, ${c.id}::uuid)`,
    key: (r) => r.created_key,
  },
  'price-asc': {
    order: sql`p.price_min ASC, p.id ASC`,
    after: (c) => sql`(p.price_min, p.id) > (${c.key}::int, ${c.id}::uuid)`,
    key: (r) => r.price_min ?? 0,
  },
  'price-desc': {
    order: sql`p.price_min DESC, p.id DESC`,
    after: (c) => sql`(p.price_min, p.id) < (${c.key}::int, ${c.id}::uuid)`,
    key: (r) => r.price_min ?? 0,
  },
  title: {
    order: sql`p.title ASC, p.id ASC`,
    after: (c) => sql`(p.title, p.id) > (${c.key}::text, ${c.id}::uuid)`,
    key: (r) => r.title,
  },
};

export class CatalogService {
  constructor(
    private readonly orm: Orm,
    private readonly store: ObjectStore,
  ) {}

  async listProducts(
    query: ProductListQuery,
  ): Promise<{ items: ProductSummary[]; nextCursor: string | null }> {
    const sort: Sort = query.sort ?? (query.q ? 'relevance' : 'newest');
    const cursor = query.cursor ? decodeCursor(query.cursor, sort) : undefined;
    // Only sellable products are listed: published, with at least one variant (a price).
    const where: SQL[] = [sql`p.status = 'published'`, sql`p.price_min IS NOT NULL`];

    if (query.category) {
      const [category] = await rows<{ id: string }>(
        this.orm,
        sql`SELECT id FROM categories WHERE handle = ${query.category}`,
      );
      if (!category)
        throw AppError.notFound('category_not_found', `No category with handle "${query.category}"`);
      where.push(sql`EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id
        AND pc.category_id IN (${categorySubtree(category.id)}))`);
    }
    if (query.collection) {
      const [collection] = await rows<{ id: string }>(
        this.orm,
        sql`SELECT id FROM collections WHERE handle = ${query.collection}`,
      );
      if (!collection) {
        throw AppError.notFound('collection_not_found', `No collection with handle "${query.collection}"`);
      }
      where.push(sql`EXISTS (SELECT 1 FROM collection_products cp WHERE cp.product_id = p.id
        AND cp.collection_id = ${collection.id})`);
    }
    if (query.minPrice !== undefined || query.maxPrice !== undefined) {
      const min = query.minPrice ?? 0;
      const max = query.maxPrice ?? 2_147_483_647;
      where.push(sql`p.price_max >= ${min} AND p.price_min <= ${max} AND EXISTS (
        SELECT 1 FROM product_variants v WHERE v.product_id = p.id
        AND v.price_amount BETWEEN ${min} AND ${max})`);
    }
    if (query.inStock !== undefined) where.push(sql`p.in_stock = ${query.inStock}`);
    if (query.has3d !== undefined) where.push(sql`p.has_3d = ${query.has3d}`);

    let rank = sql`0`;
    if (query.q) {
      // Full-text match ranks first; trigram word similarity catches typos ("helmt").
      const tsq = sql`websearch_to_tsquery('english', ${query.q})`;
      where.push(sql`(p.search @@ ${tsq} OR ${query.q} <% p.title)`);
      rank = sql`(ts_rank(p.search, ${tsq}) + word_similarity(${query.q}, p.title))`;
    }

    const limit = query.limit;
    let order: SQL;
    let offset = 0;
    if (sort === 'relevance') {
      order = sql`rank DESC, p.id ASC`;
      offset = cursor && 'offset' in cursor ? cursor.offset : 0;
    } else {
      const spec = SORTS[sort];
      order = spec.order;
      if (cursor && 'key' in cursor) where.push(spec.after(cursor));
    }

    const found = await rows<SummaryRow>(
      this.orm,
      sql`SELECT ${summaryColumns}, ${rank} AS rank FROM products p ${thumbnailJoin}
          WHERE ${sql.join(where, sql` AND `)}
          ORDER BY ${order} LIMIT ${limit + 1} OFFSET ${offset}`,
    );
    const page = found.slice(0, limit);
    const last = page.at(-1);
    let nextCursor: string | null = null;
    if (found.length > limit && last) {
      nextCursor = encodeCursor(
        sort === 'relevance'
          ? { sort, offset: offset + limit }
          : { sort, key: SORTS[sort].key(last), id: last.id },
      );
    }
    return { items: page.map((r) => this.toSummary(r)), nextCursor };
  }

  async getProduct(handle: string): Promise<ProductDetail | null> {
    const [product] = await rows<DetailRow>(this.orm, productByHandle(handle));
    if (!product) return null;
    const [options, variants, media, breadcrumb, collections] = await Promise.all([
      rows<OptionRow>(this.orm, productOptionsQuery(product.id)),
      rows<VariantRow>(this.orm, productVariantsQuery(product.id)),
      rows<MediaRow>(this.orm, productMediaQuery(product.id)),
      rows<{ id: string; handle: string; name: string }>(this.orm, breadcrumbQuery(product.id)),
      rows<{ handle: string; title: string }>(this.orm, productCollectionsQuery(product.id)),
    ]);

    const optionList: { name: string; values: string[] }[] = [];
    for (const row of options) {
      const last = optionList.at(-1);
      if (last && last.name === row.name) last.values.push(row.value);
      else optionList.push({ name: row.name, values: [row.value] });
    }

    return {
      id: product.id,
      handle: product.handle,
      title: product.title,
      description: product.description,
      seo: {
        title: product.seo_title ?? product.title,
        description: product.seo_description ?? product.description.slice(0, 160),
      },
      priceRange: priceRange(product),
      available: product.in_stock,
      has3d: product.has_3d,
      options: optionList,
      variants: variants.map((v) => ({
        id: v.id,
        sku: v.sku,
        title: v.title,
        options: Object.fromEntries(v.option_values ?? []),
        price: { amount: v.price_amount, currency: v.currency },
        compareAtPrice:
          v.compare_at_amount !== null ? { amount: v.compare_at_amount, currency: v.currency } : null,
        available: v.available,
        weightGrams: v.weight_grams,
        dimensionsMm:
          v.length_mm !== null && v.width_mm !== null && v.height_mm !== null
            ? { length: v.length_mm, width: v.width_mm, height: v.height_mm }
            : null,
      })),
      images: media
        .filter((m) => m.kind === 'image')
        .map((m) => ({
          id: m.id,
          url: this.store.publicUrl(m.storage_key),
          alt: m.alt,
          width: m.width ?? 0,
          height: m.height ?? 0,
          variantId: m.variant_id,
        })),
      models: media
        .filter((m) => m.kind === 'model')
        .map((m) => ({
          id: m.id,
          url: this.store.publicUrl(m.storage_key),
          alt: m.alt,
          contentType: m.mime_type,
          byteSize: m.byte_size,
          variantId: m.variant_id,
          attribution: m.attribution,
          stats: m.model_stats
            ? {
                triangles: m.model_stats.triangles,
                vertices: m.model_stats.vertices,
                sizeMetres: m.model_stats.sizeMetres,
                materialVariants: m.model_stats.materialVariants ?? [],
              }
            : null,
        })),
      breadcrumb,
      collections,
      publishedAt: product.published_at ? new Date(product.published_at).toISOString() : null,
      updatedAt: new Date(product.updated_at).toISOString(),
    };
  }

  async getCategoryTree(): Promise<CategoryNode[]> {
    const all = await rows<CategoryRow>(this.orm, categoryTreeQuery);
    const nodes = new Map<string, CategoryNode>(
      all.map((c) => [
        c.id,
        {
          id: c.id,
          handle: c.handle,
          name: c.name,
          description: c.description,
          productCount: c.product_count,
          children: [],
        },
      ]),
    );
    const roots: CategoryNode[] = [];
    for (const c of all) {
      const node = nodes.get(c.id) as CategoryNode;
      const parent = c.parent_id ? nodes.get(c.parent_id) : undefined;
      (parent ? parent.children : roots).push(node);
    }
    return roots;
  }

  async listCollections() {
    const found = await rows<CollectionRow>(this.orm, collectionsQuery());
    return found.map(toCollection);
  }

  async getCollection(handle: string, productLimit = 48) {
    const [collection] = await rows<CollectionRow>(this.orm, collectionsQuery(handle));
    if (!collection) return null;
    const products = await rows<SummaryRow>(
      this.orm,
      sql`SELECT ${summaryColumns} FROM collection_products cp
          JOIN products p ON p.id = cp.product_id ${thumbnailJoin}
          WHERE cp.collection_id = ${collection.id} AND p.status = 'published' AND p.price_min IS NOT NULL
          ORDER BY cp.position, p.title LIMIT ${productLimit}`,
    );
    return { ...toCollection(collection), products: products.map((r) => this.toSummary(r)) };
  }

  private toSummary(r: SummaryRow): ProductSummary {
    return {
      id: r.id,
      handle: r.handle,
      title: r.title,
      priceRange: priceRange(r),
      compareAtPrice:
        r.compare_at !== null && r.currency ? { amount: r.compare_at, currency: r.currency } : null,
      available: r.in_stock,
      has3d: r.has_3d,
      thumbnail:
        r.thumb_id && r.thumb_key
          ? {
              id: r.thumb_id,
              url: this.store.publicUrl(r.thumb_key),
              alt: r.thumb_alt ?? '',
              width: r.thumb_width ?? 0,
              height: r.thumb_height ?? 0,
              variantId: r.thumb_variant_id,
            }
          : null,
    };
  }
}

function priceRange(r: { price_min: number | null; price_max: number | null; currency: string | null }) {
  if (r.price_min === null || r.price_max === null || !r.currency) return null;
  return {
    min: { amount: r.price_min, currency: r.currency },
    max: { amount: r.price_max, currency: r.currency },
  };
}

function toCollection(c: CollectionRow) {
  return {
    id: c.id,
    handle: c.handle,
    title: c.title,
    description: c.description,
    featured: c.featured,
    productCount: c.product_count,
  };
}
