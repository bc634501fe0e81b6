import 'server-only';
import type { CategoryNode, ProductDetail, ProductSummary } from '@e3d/contracts';
import { assetOrigins } from '@e3d/sdk/security-headers';
import { connection } from 'next/server';
import { cache } from 'react';
import { assetPath } from '@/components/catalog/media';
import { ApiError, apiGet } from '@/lib/api';

/**
 * The storefront's catalog reads. Every read is cached by Next under the tags the API's
 * revalidation job names, and every asset URL is made the one the page loads (assetPath: the
 * CDN's as given, else the storefront's own `/assets/…`) before it reaches a component.
 */

export type { CategoryNode, ProductDetail, ProductSummary };

export interface Collection {
  id: string;
  handle: string;
  title: string;
  description: string;
  featured: boolean;
  productCount: number;
}

export interface ProductPage {
  items: ProductSummary[];
  nextCursor: string | null;
}

/** Products per listing page (CATALOG_PAGE_SIZE overrides it, e.g. to try pagination on a small catalog). */
export const PAGE_SIZE = Math.min(100, Math.max(1, Number(process.env.CATALOG_PAGE_SIZE) || 24));
/** The shop's currency: price filters in the URL are in its major unit. */
export const SHOP_CURRENCY = (process.env.SHOP_CURRENCY ?? 'USD').toUpperCase();

export const SORTS = ['newest', 'price-asc', 'price-desc', 'title', 'relevance'] as const;
export type Sort = (typeof SORTS)[number];

export interface ProductQuery {
  limit?: number;
  cursor?: string;
  category?: string;
  collection?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  has3d?: boolean;
  q?: string;
  sort?: Sort;
}

/** CLOUDFRONT_URL's origin where the storefront runs (null without a CDN). */
export const CDN_ORIGIN = assetOrigins().cdn;

/** The URL a page loads for an asset URL from the API. */
export const pageAssetUrl = (url: string) => assetPath(url, CDN_ORIGIN);

type Image = ProductSummary['thumbnail'] & {};

function localImage(image: Image): Image {
  return {
    ...image,
    url: pageAssetUrl(image.url),
    sources: image.sources.map((s) => ({ ...s, url: pageAssetUrl(s.url) })),
  };
}

function localSummary(product: ProductSummary): ProductSummary {
  return { ...product, thumbnail: product.thumbnail ? localImage(product.thumbnail) : null };
}

function localDetail(product: ProductDetail): ProductDetail {
  return {
    ...product,
    images: product.images.map(localImage),
    models: product.models.map((m) => ({ ...m, url: pageAssetUrl(m.url) })),
  };
}

/**
 * For pages that are prerendered (home, sitemap, the shell): when the API does not answer
 * while the page is being built or refreshed in the background, nothing is cached with missing
 * data. `connection()` then makes a build render the page at request time instead, and a
 * background refresh fail (the last good page stays). At request time it resolves, and the
 * error (or the fallback) is used.
 */
export async function prerenderSafe<T>(load: () => Promise<T>, fallback?: { value: T }): Promise<T> {
  try {
    return await load();
  } catch (error) {
    await connection();
    if (fallback) {
      console.error('catalog read failed', error);
      return fallback.value;
    }
    throw error;
  }
}

export const getCategoryTree = cache(async (): Promise<CategoryNode[]> => {
  const tree = await apiGet<{ items: CategoryNode[] }>('/api/categories', {
    tags: ['categories', 'products'],
  });
  return tree?.items ?? [];
});

/** The category with this handle and its path from the root (for breadcrumbs). */
export async function findCategory(
  handle: string,
): Promise<{ category: CategoryNode; path: CategoryNode[] } | null> {
  const walk = (
    nodes: CategoryNode[],
    path: CategoryNode[],
  ): { category: CategoryNode; path: CategoryNode[] } | null => {
    for (const node of nodes) {
      if (node.handle === handle) return { category: node, path: [...path, node] };
      const found = walk(node.children, [...path, node]);
      if (found) return found;
    }
    return null;
  };
  return walk(await getCategoryTree(), []);
}

export const getCollections = cache(async (): Promise<Collection[]> => {
  const list = await apiGet<{ items: Collection[] }>('/api/collections', {
    tags: ['collections', 'products'],
  });
  return list?.items ?? [];
});

/** A collection with its first products (in the collection's own order). */
export const getCollection = cache(
  async (handle: string): Promise<(Collection & { products: ProductSummary[] }) | null> => {
    if (!isHandle(handle)) return null;
    const collection = await apiGet<Collection & { products: ProductSummary[] }>(
      `/api/collections/${handle}`,
      {
        tags: [`collection:${handle}`, 'collections', 'products'],
      },
    );
    return collection ? { ...collection, products: collection.products.map(localSummary) } : null;
  },
);

export const getProduct = cache(async (handle: string): Promise<ProductDetail | null> => {
  if (!isHandle(handle)) return null;
  const product = await apiGet<ProductDetail>(`/api/products/${handle}`, {
    tags: [`product:${handle}`, 'products'],
  });
  return product ? localDetail(product) : null;
});

export function productQueryString(query: ProductQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '' && value !== false) params.set(key, String(value));
  }
  return params.toString();
}

/**
 * One page of products. Tagged `products` (every product change) plus the listing's own
 * collection tag; a cursor the API refuses (stale, other sort) falls back to the first page.
 */
export async function listProducts(query: ProductQuery): Promise<ProductPage & { cursorRejected: boolean }> {
  const tags = ['products'];
  if (query.collection) tags.push(`collection:${query.collection}`);
  if (query.category) tags.push('categories');
  const load = async (q: ProductQuery) => {
    const page = await apiGet<ProductPage>(`/api/products?${productQueryString(q)}`, { tags });
    return { items: (page?.items ?? []).map(localSummary), nextCursor: page?.nextCursor ?? null };
  };
  try {
    return { ...(await load(query)), cursorRejected: false };
  } catch (error) {
    if (error instanceof ApiError && error.status === 400 && query.cursor) {
      return { ...(await load({ ...query, cursor: undefined })), cursorRejected: true };
    }
    throw error;
  }
}

/** Every published product (sitemap), following the cursors. */
export async function allProducts(max = 50_000): Promise<ProductSummary[]> {
  const out: ProductSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await apiGet<ProductPage>(
      `/api/products?${productQueryString({ limit: 100, cursor, sort: 'title' })}`,
      {
        tags: ['products'],
      },
    );
    if (!page) break;
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < max);
  return out;
}

export function isHandle(value: string): boolean {
  return value.length <= 200 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(value);
}
