import type { Metadata } from 'next';
import Link from 'next/link';
import { Listing } from '@/components/catalog/Listing';
import styles from '@/components/catalog/Listing.module.css';
import { hasFilters, parseListing, type SearchParams } from '@/components/catalog/listing-params';
import { productQuery } from '@/components/catalog/query';
import { getCategoryTree, listProducts, SHOP_CURRENCY } from '@/lib/catalog';

interface Props {
  searchParams: Promise<SearchParams>;
}

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { q } = parseListing(await searchParams);
  return {
    title: q ? `Search results for “${q}”` : 'All products',
    description: q
      ? `Products matching “${q}”.`
      : 'Every product in the shop, viewable in 3D where available.',
    alternates: { canonical: q ? `/search?q=${encodeURIComponent(q)}` : '/search' },
    // Result pages are for shoppers, not for the index.
    robots: { index: false, follow: true },
  };
}

export default async function SearchPage({ searchParams }: Props) {
  const state = parseListing(await searchParams);
  const [page, categories] = await Promise.all([
    listProducts(productQuery(state, { q: state.q })),
    getCategoryTree().catch(() => []),
  ]);
  if (page.cursorRejected) state.cursor = undefined;

  return (
    <main id="main" className="container page">
      <header className={styles.head}>
        {state.q ? (
          <>
            <p className="eyebrow">Search</p>
            <h1>Results for “{state.q}”</h1>
          </>
        ) : (
          <>
            <h1>All products</h1>
            <p className="lede">
              Everything in the shop. Look for the 3D badge to turn a piece around before you buy.
            </p>
          </>
        )}
      </header>
      <Listing
        basePath="/search"
        state={state}
        page={page}
        defaultSort={state.q ? 'relevance' : 'newest'}
        currency={SHOP_CURRENCY}
        label="Search results"
        empty={
          <>
            <h2>{state.q ? `No results for “${state.q}”` : 'No products match'}</h2>
            <p>
              {hasFilters(state)
                ? 'Try removing a filter or widening the price range.'
                : 'Check the spelling, try a more general word, or browse a category:'}
            </p>
            {!hasFilters(state) && categories.length > 0 && (
              <ul className={styles.subnav} style={{ justifyContent: 'center' }}>
                {categories.map((c) => (
                  <li key={c.id}>
                    <Link href={`/categories/${c.handle}`}>{c.name}</Link>
                  </li>
                ))}
              </ul>
            )}
          </>
        }
      />
    </main>
  );
}
