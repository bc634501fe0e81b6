import type { MetadataRoute } from 'next';
import {
  allProducts,
  type CategoryNode,
  getCategoryTree,
  getCollections,
  pageAssetUrl,
  prerenderSafe,
} from '@/lib/catalog';
import { SITE_URL } from '@/lib/site';

/** Rebuilt with the catalog: every read is tagged, so a product change expires it too. */
export const revalidate = 3600;

function flatten(nodes: CategoryNode[]): CategoryNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const [categories, collections, products] = await prerenderSafe(() =>
    Promise.all([getCategoryTree(), getCollections(), allProducts()]),
  );
  return [
    { url: `${SITE_URL}/`, changeFrequency: 'daily', priority: 1 },
    ...flatten(categories).map((c) => ({
      url: `${SITE_URL}/categories/${c.handle}`,
      changeFrequency: 'weekly' as const,
      priority: 0.7,
    })),
    ...collections.map((c) => ({
      url: `${SITE_URL}/collections/${c.handle}`,
      changeFrequency: 'weekly' as const,
      priority: 0.6,
    })),
    ...products.map((p) => ({
      url: `${SITE_URL}/products/${p.handle}`,
      changeFrequency: 'weekly' as const,
      priority: 0.8,
      ...(p.thumbnail ? { images: [new URL(pageAssetUrl(p.thumbnail.url), SITE_URL).href] } : {}),
    })),
  ];
}
