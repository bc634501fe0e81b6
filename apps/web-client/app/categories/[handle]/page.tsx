import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Listing } from '@/components/catalog/Listing';
import styles from '@/components/catalog/Listing.module.css';
import { hasFilters, parseListing, type SearchParams } from '@/components/catalog/listing-params';
import { productQuery } from '@/components/catalog/query';
import { Breadcrumbs } from '@/components/layout/Breadcrumbs';
import { findCategory, listProducts, SHOP_CURRENCY } from '@/lib/catalog';

interface Props {
  params: Promise<{ handle: string }>;
  searchParams: Promise<SearchParams>;
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { handle } = await params;
  const found = await findCategory(handle);
  if (!found) return { title: 'Category not found', robots: { index: false } };
  const state = parseListing(await searchParams);
  const { category } = found;
  const description =
    category.description || `Shop ${category.name}: turn every piece around in 3D before you buy.`;
  return {
    title: category.name,
    description,
    alternates: { canonical: `/categories/${category.handle}` },
    // Filtered and later pages are variations of the canonical listing.
    robots: hasFilters(state) || state.cursor ? { index: false, follow: true } : undefined,
    openGraph: { title: category.name, description, url: `/categories/${category.handle}` },
  };
}

export default async function CategoryPage({ params, searchParams }: Props) {
  const { handle } = await params;
  const found = await findCategory(handle);
  if (!found) notFound();
  const { category, path } = found;
  const state = parseListing(await searchParams);
  state.q = undefined;
  const page = await listProducts(productQuery(state, { category: category.handle }));
  if (page.cursorRejected) state.cursor = undefined;

  return (
    <main id="main" className="container page">
      <Breadcrumbs
        items={[
          { name: 'Home', href: '/' },
          ...path.map((c) => ({ name: c.name, href: `/categories/${c.handle}` })),
        ]}
      />
      <header className={styles.head}>
        <h1>{category.name}</h1>
        {category.description && <p className="lede">{category.description}</p>}
        {category.children.length > 0 && (
          <ul className={styles.subnav} aria-label={`${category.name} categories`}>
            {category.children.map((child) => (
              <li key={child.id}>
                <Link href={`/categories/${child.handle}`}>
                  {child.name} <small>{child.productCount}</small>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </header>
      <Listing
        basePath={`/categories/${category.handle}`}
        state={state}
        page={page}
        defaultSort="newest"
        currency={SHOP_CURRENCY}
        label={`${category.name} products`}
        empty={
          <>
            <h2>Nothing here matches</h2>
            <p>
              {hasFilters(state)
                ? 'No products in this category match these filters.'
                : 'This category has no products yet.'}
            </p>
          </>
        }
      />
    </main>
  );
}
