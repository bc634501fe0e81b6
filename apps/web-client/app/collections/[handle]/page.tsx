import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Listing } from '@/components/catalog/Listing';
import styles from '@/components/catalog/Listing.module.css';
import { hasFilters, parseListing, type SearchParams } from '@/components/catalog/listing-params';
import { productQuery } from '@/components/catalog/query';
import { Breadcrumbs } from '@/components/layout/Breadcrumbs';
import { getCollection, listProducts, SHOP_CURRENCY } from '@/lib/catalog';

interface Props {
  params: Promise<{ handle: string }>;
  searchParams: Promise<SearchParams>;
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { handle } = await params;
  const collection = await getCollection(handle);
  if (!collection) return { title: 'Collection not found', robots: { index: false } };
  const state = parseListing(await searchParams);
  const description = collection.description || `The ${collection.title} collection.`;
  const image = collection.products.find((p) => p.thumbnail)?.thumbnail;
  return {
    title: collection.title,
    description,
    alternates: { canonical: `/collections/${collection.handle}` },
    robots: hasFilters(state) || state.cursor ? { index: false, follow: true } : undefined,
    openGraph: {
      title: collection.title,
      description,
      url: `/collections/${collection.handle}`,
      images: image
        ? [{ url: image.url, width: image.width, height: image.height, alt: image.alt }]
        : undefined,
    },
  };
}

export default async function CollectionPage({ params, searchParams }: Props) {
  const { handle } = await params;
  const collection = await getCollection(handle);
  if (!collection) notFound();
  const state = parseListing(await searchParams);
  state.q = undefined;
  const page = await listProducts(productQuery(state, { collection: collection.handle }));
  if (page.cursorRejected) state.cursor = undefined;

  return (
    <main id="main" className="container page">
      <Breadcrumbs
        items={[
          { name: 'Home', href: '/' },
          { name: collection.title, href: `/collections/${collection.handle}` },
        ]}
      />
      <header className={styles.head}>
        <p className="eyebrow">Collection</p>
        <h1>{collection.title}</h1>
        {collection.description && <p className="lede">{collection.description}</p>}
      </header>
      <Listing
        basePath={`/collections/${collection.handle}`}
        state={state}
        page={page}
        defaultSort="newest"
        currency={SHOP_CURRENCY}
        label={`${collection.title} products`}
        empty={
          <>
            <h2>Nothing here matches</h2>
            <p>
              {hasFilters(state)
                ? 'No products in this collection match these filters.'
                : 'This collection has no products yet.'}
            </p>
          </>
        }
      />
    </main>
  );
}
