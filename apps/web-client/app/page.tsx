import type { Metadata } from 'next';
import Link from 'next/link';
import { Picture } from '@/components/catalog/Picture';
import { Price } from '@/components/catalog/Price';
import { ProductGrid } from '@/components/catalog/ProductCard';
import { JsonLd } from '@/components/layout/JsonLd';
import { getCollection, getCollections, listProducts, prerenderSafe } from '@/lib/catalog';
import { SHOP_NAME, SITE_URL } from '@/lib/site';
import styles from './home.module.css';

export const revalidate = 300;

export const metadata: Metadata = {
  title: { absolute: `${SHOP_NAME} — see it in 3D before you buy` },
  description:
    'Lighting, desk pieces, collectibles and toys you can turn around in 3D and place in your room with AR before you buy.',
  alternates: { canonical: '/' },
  openGraph: { url: '/', title: SHOP_NAME },
};

export default async function Home() {
  const { collections, latest, details } = await prerenderSafe(async () => {
    const [collections, latest] = await Promise.all([
      getCollections(),
      listProducts({ limit: 8, sort: 'newest' }),
    ]);
    const details = await Promise.all(collections.slice(0, 3).map((c) => getCollection(c.handle)));
    return { collections, latest, details };
  });
  const shown = collections.slice(0, 3);
  const featured = details[0]?.products ?? [];
  const spotlight = featured.find((p) => p.has3d && p.thumbnail) ?? latest.items.find((p) => p.thumbnail);

  return (
    <main id="main">
      <section className={styles.hero} aria-labelledby="hero-title">
        <div className={`container ${styles.heroInner}`}>
          <div className={styles.heroText}>
            <p className="eyebrow">3D and AR on every featured piece</p>
            <h1 id="hero-title" className={styles.heroTitle}>
              Turn it around before you buy.
            </h1>
            <p className={styles.heroLede}>
              Spin each product in 3D, check it from every side, then place it in your room at true scale with
              your phone.
            </p>
            <div className={styles.heroActions}>
              <Link href="/search" className="button">
                Shop all products
              </Link>
              <Link href="/search?has3d=1" className="button button-secondary">
                Browse in 3D
              </Link>
            </div>
          </div>
          {spotlight?.thumbnail && (
            <Link href={`/products/${spotlight.handle}`} className={styles.spotlight}>
              <Picture
                image={spotlight.thumbnail}
                sizes="(min-width: 1240px) 540px, (min-width: 900px) 44vw, 92vw"
                priority
                className={styles.spotlightPicture}
              />
              <span className={styles.spotlightCaption}>
                <span className={styles.spotlightTitle}>{spotlight.title}</span>
                {spotlight.priceRange && (
                  <Price
                    min={spotlight.priceRange.min}
                    max={spotlight.priceRange.max}
                    compareAt={spotlight.compareAtPrice}
                  />
                )}
              </span>
              {spotlight.has3d && <span className={styles.spotlightBadge}>View in 3D</span>}
            </Link>
          )}
        </div>
      </section>

      {shown.length > 0 && (
        <section className={`container ${styles.section}`} aria-labelledby="collections-title">
          <div className={styles.sectionHead}>
            <h2 id="collections-title">Collections</h2>
          </div>
          <ul className={styles.collections}>
            {shown.map((c, i) => {
              const thumbs = (details[i]?.products ?? [])
                .flatMap((p) => (p.thumbnail ? [p.thumbnail] : []))
                .slice(0, 3);
              return (
                <li key={c.id}>
                  <article className={styles.collection}>
                    <div className={styles.mosaic} aria-hidden="true">
                      {thumbs.map((t) => (
                        <Picture
                          key={t.id}
                          image={t}
                          sizes="(min-width: 900px) 125px, 30vw"
                          maxWidth={125}
                          alt=""
                        />
                      ))}
                    </div>
                    <h3 className={styles.collectionTitle}>
                      <Link href={`/collections/${c.handle}`}>{c.title}</Link>
                    </h3>
                    <p className={styles.collectionText}>{c.description}</p>
                    <p className={styles.collectionCount}>
                      {c.productCount} {c.productCount === 1 ? 'product' : 'products'}
                    </p>
                  </article>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      <section className={`container ${styles.section}`} aria-labelledby="latest-title">
        <div className={styles.sectionHead}>
          <h2 id="latest-title">New in the shop</h2>
          <Link href="/search?sort=newest" className={styles.more}>
            View all<span className="visually-hidden"> new products</span> →
          </Link>
        </div>
        {latest.items.length ? (
          <ProductGrid products={latest.items} label="New products" />
        ) : (
          <p className="lede">The shop is being stocked — check back soon.</p>
        )}
      </section>
      <JsonLd
        data={{
          '@context': 'https://schema.org',
          '@type': 'WebSite',
          name: SHOP_NAME,
          url: SITE_URL,
          potentialAction: {
            '@type': 'SearchAction',
            target: { '@type': 'EntryPoint', urlTemplate: `${SITE_URL}/search?q={search_term_string}` },
            'query-input': 'required name=search_term_string',
          },
        }}
      />
    </main>
  );
}
