import type { CategoryNode, ProductListQuery, ProductSummary } from '@e3d/contracts';
import { type Database, rows, type SQL, sql } from '@e3d/db';
import { AppError } from '../../errors.ts';
import { decodeCursor, encodeCursor, type KeysetCursor } from './cursor.ts';
import { productDocumentQuery } from './product-document.ts';
import {
  type CategoryRow,
  type CollectionRow,
  categorySubtree,
  categoryTreeQuery,
  collectionsQuery,
  PREPARED,
  type SummaryRow,
  summaryColumns,
  thumbnailJoin,
} from './queries.ts';

type Sort = NonNullable<ProductListQuery['sort']>;

/** ORDER BY and the keyset comparison for each sort; the id breaks ties. */
const SORTS: Record<
  Exclude<Sort, 'relevance'>,
  { order: SQL; after: (c: KeysetCursor) => SQL; key: (r: SummaryRow) => string | number }
> = {
  newest: {
    order: sql`p.created_at DESC NULLS LAST, p.id DESC NULLS LAST`,
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
    private readonly db: Database,
    /** Prefix of every asset URL: the CDN in production, the API's /assets in the embedded default. */
    private readonly assetBaseUrl: string,
  ) {}

  private assetUrl(key: string): string {
    return `${this.assetBaseUrl}/${key}`;
  }

  async listProducts(
    query: ProductListQuery,
  ): Promise<{ items: ProductSummary[]; nextCursor: string | null }> {
    const sort: Sort = query.sort ?? (query.q ? 'relevance' : 'newest');
    const cursor = query.cursor ? decodeCursor(query.cursor, sort) : undefined;
    // Only sellable products are listed: published, with at least one variant (a price).
    const where: SQL[] = [sql`p.status = 'published'`, sql`p.price_min IS NOT NULL`];

    if (query.category) {
      const [category] = await rows<{ id: string }>(
        this.db,
        sql`SELECT id FROM categories WHERE handle = ${query.category}`,
        PREPARED,
      );
      if (!category)
        throw AppError.notFound('category_not_found', `No category with handle "${query.category}"`);
      where.push(sql`EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id
        AND pc.category_id IN (${categorySubtree(category.id)}))`);
    }
    if (query.collection) {
      const [collection] = await rows<{ id: string }>(
        this.db,
        sql`SELECT id FROM collections WHERE handle = ${query.collection}`,
        PREPARED,
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
    let matches: SQL | undefined;
    if (query.q) {
      // Full-text matches (GIN on the tsvector) when there are any; only when the words
      // match nothing does the trigram fallback run, which is what catches a typo ("helmt").
      // The matches drive the query, so only they are ranked, not the whole catalog.
      const tsq = sql`websearch_to_tsquery('english', ${query.q})`;
      matches = sql`full_text AS MATERIALIZED (SELECT id FROM products WHERE search @@ ${tsq}),
        matches AS MATERIALIZED (
          SELECT id FROM full_text
          UNION ALL
          SELECT id FROM products WHERE NOT EXISTS (SELECT 1 FROM full_text) AND ${query.q} <% title
        )`;
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

    // Two stages: find the page's ids (cheap columns only, so the planner walks an index or
    // ranks just the matches), then decorate those few rows for the card.
    const found = await rows<SummaryRow>(
      this.db,
      sql`WITH ${matches ? sql`${matches},` : sql``}
          page AS MATERIALIZED (
            SELECT p.id, ${rank} AS rank
            FROM ${matches ? sql`matches JOIN products p ON p.id = matches.id` : sql`products p`}
            WHERE ${sql.join(where, sql` AND `)}
            ORDER BY ${order} LIMIT ${limit + 1} OFFSET ${offset}
          )
          SELECT ${summaryColumns}, page.rank FROM page JOIN products p ON p.id = page.id ${thumbnailJoin}
          ORDER BY ${sort === 'relevance' ? sql`page.rank DESC, p.id ASC` : order}`,
      PREPARED,
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

  /** The product page document as JSON text, or null when no published product has the handle. */
  async getProductDocument(handle: string): Promise<string | null> {
    const [row] = await rows<{ document: string }>(
      this.db,
      productDocumentQuery(handle, this.assetBaseUrl),
      PREPARED,
    );
    return row?.document ?? null;
  }

  async getCategoryTree(): Promise<CategoryNode[]> {
    const all = await rows<CategoryRow>(this.db, categoryTreeQuery, PREPARED);
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
    const found = await rows<CollectionRow>(this.db, collectionsQuery(), PREPARED);
    return found.map(toCollection);
  }

  async getCollection(handle: string, productLimit = 48) {
    const [collection] = await rows<CollectionRow>(this.db, collectionsQuery(handle), PREPARED);
    if (!collection) return null;
    const products = await rows<SummaryRow>(
      this.db,
      sql`SELECT ${summaryColumns} FROM collection_products cp
          JOIN products p ON p.id = cp.product_id ${thumbnailJoin}
          WHERE cp.collection_id = ${collection.id} AND p.status = 'published' AND p.price_min IS NOT NULL
          ORDER BY cp.position, p.title LIMIT ${productLimit}`,
      PREPARED,
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
              url: this.assetUrl(r.thumb_key),
              alt: r.thumb_alt ?? '',
              width: r.thumb_width ?? 0,
              height: r.thumb_height ?? 0,
              variantId: r.thumb_variant_id,
              sources: renditionsOf(r.thumb_renditions).map((x) => ({
                url: this.assetUrl(x.key),
                width: x.width,
                type: x.mimeType,
              })),
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

/** Renditions as stored in media.processing (jsonb arrives parsed, or as text from some paths). */
function renditionsOf(
  value: { key: string; width: number; mimeType: string }[] | string | null,
): { key: string; width: number; mimeType: string }[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list)
    ? [...list].sort((a, b) => a.width - b.width || a.mimeType.localeCompare(b.mimeType))
    : [];
}
