import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

export const productStatus = pgEnum('product_status', ['draft', 'published', 'archived']);
export const mediaKind = pgEnum('media_kind', ['image', 'model']);

export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    handle: text('handle').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: productStatus('status').notNull().default('draft'),
    seoTitle: text('seo_title'),
    seoDescription: text('seo_description'),
    /** Bumped on every write; the admin API's optimistic concurrency compares it. */
    version: integer('version').notNull().default(1),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    // Denormalised from variants and media by triggers (migration 0001) so listing,
    // filtering and sorting by price read one table.
    priceMin: integer('price_min'),
    priceMax: integer('price_max'),
    currency: text('currency'),
    inStock: boolean('in_stock').notNull().default(false),
    has3d: boolean('has_3d').notNull().default(false),
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')`,
    ),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('products_handle_key').on(t.handle),
    check('products_handle_format', sql`${t.handle} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
    index('products_status_created_idx').on(t.status, t.createdAt.desc(), t.id.desc()),
    index('products_status_price_min_idx').on(t.status, t.priceMin, t.id),
    index('products_status_price_max_idx').on(t.status, t.priceMax, t.id),
    index('products_status_title_idx').on(t.status, t.title, t.id),
    index('products_search_idx').using('gin', t.search),
    index('products_title_trgm_idx').using('gin', sql`${t.title} gin_trgm_ops`),
  ],
);

export const productOptions = pgTable(
  'product_options',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [uniqueIndex('product_options_product_name_key').on(t.productId, t.name)],
);

export const productOptionValues = pgTable(
  'product_option_values',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    optionId: uuid('option_id')
      .notNull()
      .references(() => productOptions.id, { onDelete: 'cascade' }),
    value: text('value').notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [uniqueIndex('product_option_values_option_value_key').on(t.optionId, t.value)],
);

export const productVariants = pgTable(
  'product_variants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    title: text('title').notNull(),
    /** Integer minor units (cents) of `currency`; never floating point. */
    priceAmount: integer('price_amount').notNull(),
    currency: text('currency').notNull(),
    compareAtAmount: integer('compare_at_amount'),
    stockOnHand: integer('stock_on_hand').notNull().default(0),
    allowBackorder: boolean('allow_backorder').notNull().default(false),
    weightGrams: integer('weight_grams'),
    lengthMm: integer('length_mm'),
    widthMm: integer('width_mm'),
    heightMm: integer('height_mm'),
    position: integer('position').notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('product_variants_sku_key').on(t.sku),
    index('product_variants_product_idx').on(t.productId, t.position),
    index('product_variants_product_price_idx').on(t.productId, t.priceAmount),
    check('product_variants_price_nonnegative', sql`${t.priceAmount} >= 0`),
    // Below zero only means units sold ahead of stock, which only a backorder variant may do.
    check('product_variants_stock_nonnegative', sql`${t.stockOnHand} >= 0 OR ${t.allowBackorder}`),
    check('product_variants_currency_iso', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check(
      'product_variants_compare_at_above_price',
      sql`${t.compareAtAmount} IS NULL OR ${t.compareAtAmount} > ${t.priceAmount}`,
    ),
    check(
      'product_variants_dimensions_positive',
      sql`coalesce(${t.weightGrams}, 0) >= 0 AND coalesce(${t.lengthMm}, 0) >= 0 AND coalesce(${t.widthMm}, 0) >= 0 AND coalesce(${t.heightMm}, 0) >= 0`,
    ),
  ],
);

/** A product_variants row as SQL returns it; queries that read a few columns `Pick` from it. */
export interface ProductVariantRow {
  id: string;
  product_id: string;
  sku: string;
  title: string;
  price_amount: number;
  currency: string;
  compare_at_amount: number | null;
  stock_on_hand: number;
  allow_backorder: boolean;
  weight_grams: number | null;
  length_mm: number | null;
  width_mm: number | null;
  height_mm: number | null;
  position: number;
  created_at: Date;
  updated_at: Date;
}

export const variantOptionValues = pgTable(
  'variant_option_values',
  {
    variantId: uuid('variant_id')
      .notNull()
      .references(() => productVariants.id, { onDelete: 'cascade' }),
    optionValueId: uuid('option_value_id')
      .notNull()
      .references(() => productOptionValues.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.variantId, t.optionValueId] }),
    index('variant_option_values_value_idx').on(t.optionValueId),
  ],
);

export const categories = pgTable(
  'categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parentId: uuid('parent_id').references((): AnyPgColumn => categories.id, { onDelete: 'restrict' }),
    handle: text('handle').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('categories_handle_key').on(t.handle),
    index('categories_parent_idx').on(t.parentId, t.position),
    check('categories_not_own_parent', sql`${t.parentId} IS NULL OR ${t.parentId} <> ${t.id}`),
  ],
);

export const productCategories = pgTable(
  'product_categories',
  {
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'cascade' }),
    /** The lowest position is the product's primary category (its breadcrumb). */
    position: integer('position').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.categoryId] }),
    index('product_categories_category_idx').on(t.categoryId, t.productId),
  ],
);

export const collections = pgTable(
  'collections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    handle: text('handle').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    featured: boolean('featured').notNull().default(false),
    position: integer('position').notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex('collections_handle_key').on(t.handle)],
);

export const collectionProducts = pgTable(
  'collection_products',
  {
    collectionId: uuid('collection_id')
      .notNull()
      .references(() => collections.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.collectionId, t.productId] }),
    index('collection_products_product_idx').on(t.productId),
  ],
);

/** Stats of a 3D model as the asset pipeline inspects it. */
export interface ModelStats {
  triangles: number;
  vertices: number;
  meshes: number;
  materials: number;
  textures: number;
  animations: number;
  /** Axis-aligned bounding box size in metres: [x, y, z]. */
  sizeMetres: [number, number, number];
  materialVariants: string[];
}

export const mediaStatus = pgEnum('media_status', ['uploaded', 'processing', 'ready', 'failed']);

/** One stored rendition of an image: a width in one format. */
export interface ImageRendition {
  width: number;
  height: number;
  format: string;
  mimeType: string;
  key: string;
  byteSize: number;
}

/** What processing found and did, shown to staff as it happens. */
export interface MediaProcessing {
  preset?: string;
  ms?: number;
  bytesBefore?: number;
  bytesAfter?: number;
  validator?: {
    errors: number;
    warnings: number;
    messages: { code: string; message: string; pointer?: string; severity: string }[];
  };
  statsBefore?: ModelStats;
  renditions?: ImageRendition[];
}

/**
 * A product's image or 3D model. Staff uploads arrive as `uploaded` (bytes in the staging
 * area), the worker moves them through `processing` to `ready` (optimized, content-hashed
 * assets) or `failed` (with the reason). Shoppers only ever see `ready` media.
 */
export const productMedia = pgTable(
  'product_media',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id').references(() => productVariants.id, { onDelete: 'cascade' }),
    kind: mediaKind('kind').notNull(),
    status: mediaStatus('status').notNull().default('ready'),
    position: integer('position').notNull().default(0),
    alt: text('alt').notNull().default(''),
    /** The asset served to shoppers (optimized model, largest image rendition). */
    storageKey: text('storage_key'),
    contentHash: text('content_hash'),
    mimeType: text('mime_type'),
    byteSize: integer('byte_size'),
    width: integer('width'),
    height: integer('height'),
    modelStats: jsonb('model_stats').$type<ModelStats>(),
    /** The file as uploaded, kept beside the optimized one. */
    originalKey: text('original_key'),
    originalByteSize: integer('original_byte_size'),
    /** Staging object of a direct upload, until processing has consumed it. */
    uploadKey: text('upload_key'),
    uploadFilename: text('upload_filename'),
    uploadContentType: text('upload_content_type'),
    processing: jsonb('processing').$type<MediaProcessing>(),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    /** Credit line a licence (e.g. CC BY) requires wherever the asset is shown. */
    attribution: text('attribution'),
    /** A model's poster: an image of the same product shown until the 3D view loads. */
    posterMediaId: uuid('poster_media_id').references((): AnyPgColumn => productMedia.id, {
      onDelete: 'set null',
    }),
    ...timestamps,
  },
  (t) => [
    index('product_media_product_idx').on(t.productId, t.position),
    index('product_media_variant_idx').on(t.variantId),
    index('product_media_status_idx').on(t.status).where(sql`${t.status} <> 'ready'`),
    index('product_media_poster_idx').on(t.posterMediaId).where(sql`${t.posterMediaId} IS NOT NULL`),
    check(
      'product_media_ready_is_complete',
      sql`${t.status} <> 'ready' OR (${t.storageKey} IS NOT NULL AND ${t.contentHash} IS NOT NULL AND ${t.mimeType} IS NOT NULL AND ${t.byteSize} > 0)`,
    ),
    check(
      'product_media_image_has_size',
      sql`${t.kind} <> 'image' OR ${t.status} <> 'ready' OR (${t.width} > 0 AND ${t.height} > 0)`,
    ),
    check('product_media_failed_has_reason', sql`${t.status} <> 'failed' OR ${t.failureCode} IS NOT NULL`),
  ],
);

/** A product_media row as SQL returns it; queries that read a few columns `Pick` from it. */
export interface ProductMediaRow {
  id: string;
  product_id: string;
  variant_id: string | null;
  kind: (typeof mediaKind.enumValues)[number];
  status: (typeof mediaStatus.enumValues)[number];
  position: number;
  alt: string;
  storage_key: string | null;
  content_hash: string | null;
  mime_type: string | null;
  byte_size: number | null;
  width: number | null;
  height: number | null;
  model_stats: ModelStats | null;
  original_key: string | null;
  original_byte_size: number | null;
  upload_key: string | null;
  upload_filename: string | null;
  upload_content_type: string | null;
  processing: MediaProcessing | null;
  failure_code: string | null;
  failure_message: string | null;
  processed_at: Date | null;
  attribution: string | null;
  poster_media_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * Which KHR_materials_variants entry of a 3D model shows a product variant: choosing the
 * "Walnut" variant in the storefront switches the model to its `walnut` material variant.
 */
export const mediaMaterialVariants = pgTable(
  'media_material_variants',
  {
    mediaId: uuid('media_id')
      .notNull()
      .references(() => productMedia.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => productVariants.id, { onDelete: 'cascade' }),
    /** A name from the model's `model_stats.materialVariants`. */
    materialVariant: text('material_variant').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.mediaId, t.variantId] }),
    index('media_material_variants_variant_idx').on(t.variantId),
  ],
);

/** A media_material_variants row as SQL returns it. */
export interface MediaMaterialVariantRow {
  media_id: string;
  variant_id: string;
  material_variant: string;
}
