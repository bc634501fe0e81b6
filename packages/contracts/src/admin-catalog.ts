import { z } from 'zod';
import { handleSchema } from './catalog.ts';

/** Staff-side catalog contracts: everything a product editor and a variant grid need. */

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const currencySchema = z
  .string()
  .refine(
    (code) => /^[A-Z]{3}$/.test(code) && ISO_CURRENCIES.has(code),
    'must be an ISO 4217 currency code like EUR',
  );

const MAX_AMOUNT = 2_147_483_647;

export const moneyInputSchema = z
  .object({
    amount: z.number().int('must be an integer amount in minor units').min(0).max(MAX_AMOUNT),
    currency: currencySchema,
  })
  .meta({ id: 'MoneyValue' });

export const productStatusSchema = z.enum(['draft', 'published', 'archived']);

/** The product's version as last read; a write against an older one is refused (409). */
export const versionSchema = z
  .number()
  .int()
  .min(1)
  .describe('The version you last read (or send `If-Match: "<version>"`); stale → 409 version_conflict');

const titleSchema = z.string().trim().min(1).max(255);
const seoSchema = z.object({
  title: z.string().trim().max(255).nullable().optional(),
  description: z.string().trim().max(1000).nullable().optional(),
});
const categoryIdsSchema = z
  .array(z.uuid())
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a category')
  .describe('Categories of the product; the first is its primary category (breadcrumb)');

export const productOptionInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  values: z
    .array(z.string().trim().min(1).max(100))
    .min(1)
    .max(100)
    .refine((values) => new Set(values).size === values.length, 'must not repeat a value'),
});

const dimensionsSchema = z.object({
  length: z.number().int().min(1),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
});

const skuSchema = z.string().trim().min(1).max(100);

export const variantInputSchema = z
  .object({
    id: z.uuid().optional().describe('An existing variant to keep (its id, links and media stay)'),
    sku: skuSchema,
    title: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .optional()
      .describe('Default: the option values joined by " / "'),
    options: z.record(z.string(), z.string()).default({}).describe('Option name → value, one per option'),
    price: moneyInputSchema,
    compareAtPrice: moneyInputSchema.nullable().default(null),
    stock: z.number().int().min(0).max(MAX_AMOUNT).default(0),
    allowBackorder: z.boolean().default(false),
    weightGrams: z.number().int().min(0).nullable().default(null),
    dimensionsMm: dimensionsSchema.nullable().default(null),
  })
  .superRefine((v, ctx) => checkCompareAt(v.price, v.compareAtPrice, ctx));

function checkCompareAt(
  price: { amount: number; currency: string } | undefined,
  compareAt: { amount: number; currency: string } | null | undefined,
  ctx: z.RefinementCtx,
) {
  if (!price || !compareAt) return;
  if (compareAt.currency !== price.currency) {
    ctx.addIssue({
      code: 'custom',
      path: ['compareAtPrice', 'currency'],
      message: 'must be the price currency',
    });
  } else if (compareAt.amount <= price.amount) {
    ctx.addIssue({ code: 'custom', path: ['compareAtPrice', 'amount'], message: 'must be above the price' });
  }
}

type VariantSet = {
  options: z.output<typeof productOptionInputSchema>[];
  variants: z.output<typeof variantInputSchema>[];
};

/**
 * The rules of an option/variant grid: unique option names; each variant picks exactly one
 * declared value of every option; no two variants share a combination, a SKU or an id;
 * one currency per product. Each problem names the field at fault.
 */
function checkVariantSet(set: VariantSet, ctx: z.RefinementCtx) {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const names = new Set<string>();
  set.options.forEach((o, i) => {
    if (names.has(o.name)) issue(['options', i, 'name'], 'must not repeat an option name');
    names.add(o.name);
  });
  if (set.options.length === 0 && set.variants.length > 1) {
    issue(['options'], 'are needed for more than one variant');
  }
  const combos = new Set<string>();
  const skus = new Set<string>();
  const ids = new Set<string>();
  const currency = set.variants[0]?.price.currency;
  set.variants.forEach((v, i) => {
    for (const key of Object.keys(v.options)) {
      if (!names.has(key)) issue(['variants', i, 'options', key], 'is not an option of the product');
    }
    for (const option of set.options) {
      const value = v.options[option.name];
      if (value === undefined) issue(['variants', i, 'options', option.name], 'is required');
      else if (!option.values.includes(value))
        issue(['variants', i, 'options', option.name], `must be one of the option's values`);
    }
    const combo = JSON.stringify(set.options.map((o) => v.options[o.name] ?? null));
    if (set.options.length > 0 && combos.has(combo))
      issue(['variants', i, 'options'], 'repeat another variant');
    combos.add(combo);
    if (skus.has(v.sku)) issue(['variants', i, 'sku'], 'is used by another variant of this request');
    skus.add(v.sku);
    if (v.id !== undefined && ids.has(v.id)) issue(['variants', i, 'id'], 'is repeated');
    if (v.id !== undefined) ids.add(v.id);
    if (v.price.currency !== currency)
      issue(['variants', i, 'price', 'currency'], 'must be the same for every variant of a product');
  });
}

const variantSetShape = {
  options: z.array(productOptionInputSchema).max(10).default([]),
  variants: z.array(variantInputSchema).max(2_000).default([]),
};

export const productCreateSchema = z
  .object({
    handle: handleSchema.optional().describe('Default: made from the title'),
    title: titleSchema,
    description: z.string().max(50_000).default(''),
    seo: seoSchema.optional(),
    categoryIds: categoryIdsSchema.default([]),
    ...variantSetShape,
  })
  .superRefine(checkVariantSet)
  .meta({ id: 'ProductCreate' });

export const productUpdateSchema = z
  .object({
    version: versionSchema.optional(),
    handle: handleSchema.optional(),
    title: titleSchema.optional(),
    description: z.string().max(50_000).optional(),
    seo: seoSchema.optional(),
    categoryIds: categoryIdsSchema.optional(),
  })
  .meta({ id: 'ProductUpdate' });

export const productVariantsPutSchema = z
  .object({ version: versionSchema.optional(), ...variantSetShape })
  .superRefine(checkVariantSet)
  .meta({ id: 'ProductVariantsPut' });

export const variantUpdateSchema = z
  .object({
    version: versionSchema.optional(),
    sku: skuSchema.optional(),
    title: z.string().trim().min(1).max(255).optional(),
    price: moneyInputSchema.optional(),
    compareAtPrice: moneyInputSchema.nullable().optional(),
    stock: z.number().int().min(0).max(MAX_AMOUNT).optional(),
    allowBackorder: z.boolean().optional(),
    weightGrams: z.number().int().min(0).nullable().optional(),
    dimensionsMm: dimensionsSchema.nullable().optional(),
  })
  .superRefine((v, ctx) => checkCompareAt(v.price, v.compareAtPrice, ctx))
  .meta({ id: 'VariantUpdate' });

/** Publish, unpublish, archive: the body may be empty when `If-Match` carries the version. */
export const productTransitionSchema = z
  .object({ version: versionSchema.optional() })
  .nullish()
  .meta({ id: 'ProductTransition' });

export const productTransitions = ['publish', 'unpublish', 'archive'] as const;
export type ProductTransition = (typeof productTransitions)[number];

const moneySchemaOut = z.object({ amount: z.number().int(), currency: z.string() });

export const adminVariantSchema = z
  .object({
    id: z.string(),
    sku: z.string(),
    title: z.string(),
    options: z.record(z.string(), z.string()),
    price: moneySchemaOut,
    compareAtPrice: moneySchemaOut.nullable(),
    stock: z.number().int(),
    allowBackorder: z.boolean(),
    weightGrams: z.number().int().nullable(),
    dimensionsMm: dimensionsSchema.nullable(),
    position: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AdminVariant' });

export type AdminVariant = z.output<typeof adminVariantSchema>;

const refSchema = z.object({ id: z.string(), handle: z.string(), name: z.string() });

export const adminProductSchema = z
  .object({
    id: z.string(),
    handle: z.string(),
    title: z.string(),
    description: z.string(),
    status: productStatusSchema,
    seo: z.object({ title: z.string().nullable(), description: z.string().nullable() }),
    version: z.number().int(),
    priceRange: z.object({ min: moneySchemaOut, max: moneySchemaOut }).nullable(),
    inStock: z.boolean(),
    has3d: z.boolean(),
    options: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        position: z.number().int(),
        values: z.array(z.object({ id: z.string(), value: z.string(), position: z.number().int() })),
      }),
    ),
    variants: z.array(adminVariantSchema),
    categories: z.array(refSchema).describe('Primary first'),
    collections: z.array(refSchema),
    publishedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AdminProduct' });

export type AdminProduct = z.output<typeof adminProductSchema>;

export const adminProductSummarySchema = z
  .object({
    id: z.string(),
    handle: z.string(),
    title: z.string(),
    status: productStatusSchema,
    version: z.number().int(),
    priceRange: z.object({ min: moneySchemaOut, max: moneySchemaOut }).nullable(),
    inStock: z.boolean(),
    has3d: z.boolean(),
    variantCount: z.number().int(),
    thumbnailUrl: z.string().nullable(),
    publishedAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AdminProductSummary' });

export type AdminProductSummary = z.output<typeof adminProductSummarySchema>;

export const adminProductListQuerySchema = z.object({
  q: z.string().trim().min(1).max(200).optional().describe('Words of the title or handle, or a SKU'),
  status: productStatusSchema.optional().describe('Default: every status, drafts included'),
  categoryId: z.uuid().optional().describe('Includes its descendants'),
  collectionId: z.uuid().optional(),
  has3d: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  inStock: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  sort: z.enum(['updated', 'created', 'title']).default('updated').describe('updated/created: newest first'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export type AdminProductListQuery = z.output<typeof adminProductListQuerySchema>;

export const adminProductListSchema = z
  .object({ items: z.array(adminProductSummarySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AdminProductList' });

/** Price and stock for many variants at once: all rows apply, or none. */
export const bulkEditRowSchema = z
  .object({
    variantId: z.uuid().optional(),
    sku: skuSchema.optional(),
    price: moneyInputSchema.optional(),
    compareAtPrice: moneyInputSchema.nullable().optional(),
    stock: z.number().int().min(0).max(MAX_AMOUNT).optional(),
  })
  .superRefine((row, ctx) => {
    if ((row.variantId === undefined) === (row.sku === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['sku'], message: 'give either variantId or sku' });
    }
    if (row.price === undefined && row.compareAtPrice === undefined && row.stock === undefined) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'give price, compareAtPrice or stock' });
    }
  });

export const bulkEditSchema = z
  .object({ rows: z.array(bulkEditRowSchema).min(1).max(5_000) })
  .meta({ id: 'BulkEdit' });

export type BulkEdit = z.output<typeof bulkEditSchema>;

export const bulkEditResultSchema = z
  .object({
    updated: z.number().int(),
    rows: z.array(
      z.object({
        row: z.number().int(),
        variantId: z.string(),
        productId: z.string(),
        sku: z.string(),
        price: moneySchemaOut,
        compareAtPrice: moneySchemaOut.nullable(),
        stock: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'BulkEditResult' });

export interface AdminCategoryNode {
  id: string;
  parentId: string | null;
  handle: string;
  name: string;
  description: string;
  position: number;
  productCount: number;
  children: AdminCategoryNode[];
}

export const adminCategoryNodeSchema: z.ZodType<AdminCategoryNode> = z.lazy(() =>
  z.object({
    id: z.string(),
    parentId: z.string().nullable(),
    handle: z.string(),
    name: z.string(),
    description: z.string(),
    position: z.number().int(),
    productCount: z.number().int().describe('Products of every status linked to this category'),
    children: z.array(adminCategoryNodeSchema),
  }),
);

export const adminCategoryTreeSchema = z
  .object({ items: z.array(adminCategoryNodeSchema) })
  .meta({ id: 'AdminCategoryTree' });

export const adminCategorySchema = z
  .object({
    id: z.string(),
    parentId: z.string().nullable(),
    handle: z.string(),
    name: z.string(),
    description: z.string(),
    position: z.number().int(),
    productCount: z.number().int(),
    childCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AdminCategory' });

export type AdminCategory = z.output<typeof adminCategorySchema>;

export const categoryCreateSchema = z
  .object({
    handle: handleSchema.optional().describe('Default: made from the name'),
    name: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).default(''),
    parentId: z.uuid().nullable().default(null),
    position: z.number().int().min(0).max(100_000).optional().describe('Default: after its siblings'),
  })
  .meta({ id: 'CategoryCreate' });

export const categoryUpdateSchema = z
  .object({
    handle: handleSchema.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(10_000).optional(),
    parentId: z.uuid().nullable().optional().describe('null makes it a root; never one of its descendants'),
    position: z.number().int().min(0).max(100_000).optional(),
  })
  .meta({ id: 'CategoryUpdate' });

export const adminCollectionSchema = z
  .object({
    id: z.string(),
    handle: z.string(),
    title: z.string(),
    description: z.string(),
    featured: z.boolean(),
    position: z.number().int(),
    productCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AdminCollection' });

export type AdminCollection = z.output<typeof adminCollectionSchema>;

export const adminCollectionDetailSchema = adminCollectionSchema
  .extend({
    products: z.array(
      z.object({ id: z.string(), handle: z.string(), title: z.string(), status: productStatusSchema }),
    ),
  })
  .meta({ id: 'AdminCollectionDetail' });

export type AdminCollectionDetail = z.output<typeof adminCollectionDetailSchema>;

export const adminCollectionListSchema = z
  .object({ items: z.array(adminCollectionSchema) })
  .meta({ id: 'AdminCollectionList' });

export const collectionCreateSchema = z
  .object({
    handle: handleSchema.optional().describe('Default: made from the title'),
    title: titleSchema,
    description: z.string().max(10_000).default(''),
    featured: z.boolean().default(false),
    position: z.number().int().min(0).max(100_000).default(0),
  })
  .meta({ id: 'CollectionCreate' });

export const collectionUpdateSchema = z
  .object({
    handle: handleSchema.optional(),
    title: titleSchema.optional(),
    description: z.string().max(10_000).optional(),
    featured: z.boolean().optional(),
    position: z.number().int().min(0).max(100_000).optional(),
  })
  .meta({ id: 'CollectionUpdate' });

export const collectionProductsSchema = z
  .object({
    productIds: z
      .array(z.uuid())
      .max(10_000)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a product')
      .describe('Every product of the collection, in collection order'),
  })
  .meta({ id: 'CollectionProducts' });

const uniqueIds = (what: string) =>
  z
    .array(z.uuid())
    .min(1)
    .max(1_000)
    .refine((ids) => new Set(ids).size === ids.length, `must not repeat a ${what}`);

export const mediaOrderSchema = z
  .object({ mediaIds: uniqueIds('media').describe('Every media of the product, in display order') })
  .meta({ id: 'MediaOrder' });

export const mediaUpdateSchema = z
  .object({
    alt: z.string().max(500).optional().describe('Text alternative read by screen readers'),
    variantId: z.uuid().nullable().optional().describe('Show this media for one variant; null for all'),
    posterMediaId: z
      .uuid()
      .nullable()
      .optional()
      .describe(
        'Models only: an image media of the same product (not failed) shown as the poster once ready; null for the first image',
      ),
  })
  .meta({ id: 'MediaUpdate' });

export const materialVariantLinksSchema = z
  .object({
    links: z
      .array(z.object({ variantId: z.uuid(), materialVariant: z.string().min(1).max(200) }))
      .max(2_000)
      .refine(
        (links) => new Set(links.map((l) => l.variantId)).size === links.length,
        'must not repeat a variant',
      ),
  })
  .meta({ id: 'MaterialVariantLinks' });

export const materialVariantMappingSchema = z
  .object({
    mediaId: z.string(),
    available: z.array(z.string()).describe("The model's KHR_materials_variants names"),
    links: z.array(z.object({ variantId: z.string(), materialVariant: z.string() })),
  })
  .meta({ id: 'MaterialVariantMapping' });

export type MaterialVariantMapping = z.output<typeof materialVariantMappingSchema>;
