import { z } from 'zod';

export const handleSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens');

export const moneySchema = z
  .object({
    amount: z.number().int().describe('Integer minor units (cents) of the currency'),
    currency: z.string().length(3).describe('ISO 4217 code'),
  })
  .meta({ id: 'Money' });

export const imageSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    alt: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    variantId: z.string().nullable(),
    sources: z
      .array(z.object({ url: z.string(), width: z.number().int(), type: z.string() }))
      .describe('Renditions for srcset/<picture>: each width in AVIF, WebP and the original format'),
  })
  .meta({ id: 'Image' });

export const modelSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    alt: z.string(),
    contentType: z.string(),
    byteSize: z.number().int(),
    variantId: z.string().nullable(),
    attribution: z.string().nullable(),
    stats: z
      .object({
        triangles: z.number().int(),
        vertices: z.number().int(),
        sizeMetres: z.array(z.number()).length(3),
        materialVariants: z.array(z.string()),
      })
      .nullable(),
    variantMaterials: z
      .record(z.string(), z.string())
      .describe('Product variant id → the material variant (KHR_materials_variants) that shows it'),
    posterImageId: z
      .string()
      .nullable()
      .describe("The id of one of the product's images to show as the poster; null: the first image"),
  })
  .meta({ id: 'Model' });

export const productSortValues = ['newest', 'price-asc', 'price-desc', 'title', 'relevance'] as const;

const priceParam = z.coerce
  .number()
  .int('must be an integer amount in minor units')
  .min(0)
  .describe('Minor units (cents)');

const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

export const productListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(24),
    cursor: z.string().max(500).optional().describe('`nextCursor` of the previous page'),
    category: handleSchema.optional().describe('Category handle; includes its descendants'),
    collection: handleSchema.optional(),
    minPrice: priceParam.optional(),
    maxPrice: priceParam.optional(),
    inStock: booleanParam.optional(),
    has3d: booleanParam.optional(),
    q: z.string().trim().min(1).max(200).optional().describe('Full-text search, tolerant of typos'),
    sort: z
      .enum(productSortValues)
      .optional()
      .describe('Default: relevance when `q` is given, newest otherwise'),
  })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, {
    message: 'must not be greater than maxPrice',
    path: ['minPrice'],
  })
  .refine((q) => q.sort !== 'relevance' || q.q !== undefined, {
    message: 'relevance needs a search query q',
    path: ['sort'],
  });

export type ProductListQuery = z.output<typeof productListQuerySchema>;

export const productSummarySchema = z
  .object({
    id: z.string(),
    handle: z.string(),
    title: z.string(),
    priceRange: z.object({ min: moneySchema, max: moneySchema }).nullable(),
    compareAtPrice: moneySchema.nullable().describe('Highest compare-at price among variants, when on sale'),
    available: z.boolean(),
    has3d: z.boolean(),
    thumbnail: imageSchema.nullable(),
  })
  .meta({ id: 'ProductSummary' });

export type ProductSummary = z.output<typeof productSummarySchema>;

export const productListSchema = z
  .object({
    items: z.array(productSummarySchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'ProductList' });

export const variantSchema = z
  .object({
    id: z.string(),
    sku: z.string(),
    title: z.string(),
    options: z.record(z.string(), z.string()).describe('Option name → value'),
    price: moneySchema,
    compareAtPrice: moneySchema.nullable(),
    available: z.boolean(),
    weightGrams: z.number().int().nullable(),
    dimensionsMm: z
      .object({ length: z.number().int(), width: z.number().int(), height: z.number().int() })
      .nullable(),
  })
  .meta({ id: 'Variant' });

export const categoryRefSchema = z
  .object({ id: z.string(), handle: z.string(), name: z.string() })
  .meta({ id: 'CategoryRef' });

export const productDetailSchema = z
  .object({
    id: z.string(),
    handle: z.string(),
    title: z.string(),
    description: z.string(),
    seo: z.object({ title: z.string(), description: z.string() }),
    priceRange: z.object({ min: moneySchema, max: moneySchema }).nullable(),
    available: z.boolean(),
    has3d: z.boolean(),
    options: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
    variants: z.array(variantSchema),
    images: z.array(imageSchema),
    models: z.array(modelSchema),
    breadcrumb: z.array(categoryRefSchema).describe('Primary category path, root first'),
    collections: z.array(z.object({ handle: z.string(), title: z.string() })),
    publishedAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ProductDetail' });

export type ProductDetail = z.output<typeof productDetailSchema>;

export interface CategoryNode {
  id: string;
  handle: string;
  name: string;
  description: string;
  productCount: number;
  children: CategoryNode[];
}

export const categoryNodeSchema: z.ZodType<CategoryNode> = z.lazy(() =>
  z.object({
    id: z.string(),
    handle: z.string(),
    name: z.string(),
    description: z.string(),
    productCount: z.number().int().describe('Published products here and in descendants'),
    children: z.array(categoryNodeSchema),
  }),
);

export const categoryTreeSchema = z
  .object({ items: z.array(categoryNodeSchema) })
  .meta({ id: 'CategoryTree' });

export const collectionSchema = z
  .object({
    id: z.string(),
    handle: z.string(),
    title: z.string(),
    description: z.string(),
    featured: z.boolean(),
    productCount: z.number().int(),
  })
  .meta({ id: 'Collection' });

export const collectionListSchema = z
  .object({ items: z.array(collectionSchema) })
  .meta({ id: 'CollectionList' });

export const collectionDetailSchema = collectionSchema
  .extend({ products: z.array(productSummarySchema) })
  .meta({ id: 'CollectionDetail' });

export const handleParamsSchema = z.object({ handle: handleSchema });
