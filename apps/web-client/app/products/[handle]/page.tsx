import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { currencyExponent } from '@/components/catalog/listing-params';
import { ProductGrid } from '@/components/catalog/ProductCard';
import { Breadcrumbs } from '@/components/layout/Breadcrumbs';
import { JsonLd } from '@/components/layout/JsonLd';
import { ProductView, type ProductViewData } from '@/components/product/ProductView';
import styles from '@/components/product/ProductView.module.css';
import { defaultVariant } from '@/components/product/variants';
import { getProduct, listProducts, type ProductDetail } from '@/lib/catalog';
import { SHOP_NAME, SITE_URL } from '@/lib/site';

/** Cached like a static page; the API's revalidation (tags product:<handle>, products) refreshes it. */
export const revalidate = 300;

interface Props {
  params: Promise<{ handle: string }>;
}

/** Rendered on the first request for each product, then served from the cache. */
export function generateStaticParams(): { handle: string }[] {
  return [];
}

const absolute = (path: string) => (path.startsWith('/') ? `${SITE_URL}${path}` : path);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { handle } = await params;
  const product = await getProduct(handle);
  if (!product) return { title: 'Product not found', robots: { index: false } };
  const image = product.images[0];
  const title = product.seo.title || product.title;
  const description = product.seo.description || product.description.slice(0, 160);
  return {
    title: { absolute: title.includes(SHOP_NAME) ? title : `${title} · ${SHOP_NAME}` },
    description,
    alternates: { canonical: `/products/${product.handle}` },
    openGraph: {
      type: 'website',
      title: product.title,
      description,
      url: `/products/${product.handle}`,
      images: image
        ? [{ url: image.url, width: image.width, height: image.height, alt: image.alt }]
        : undefined,
    },
    twitter: { card: image ? 'summary_large_image' : 'summary', title: product.title, description },
  };
}

function decimal(amount: number, currency: string): string {
  const exponent = currencyExponent(currency);
  return (amount / 10 ** exponent).toFixed(exponent);
}

function productJsonLd(product: ProductDetail) {
  const url = `${SITE_URL}/products/${product.handle}`;
  const first = defaultVariant(product.variants);
  const offers = product.variants.map((v) => ({
    '@type': 'Offer',
    sku: v.sku,
    name: v.title,
    url: product.variants.length > 1 ? `${url}?variant=${v.id}` : url,
    price: decimal(v.price.amount, v.price.currency),
    priceCurrency: v.price.currency,
    availability: v.available ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock',
    itemCondition: 'https://schema.org/NewCondition',
  }));
  return {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: product.title,
    description: product.description,
    url,
    sku: first?.sku,
    productID: product.id,
    image: product.images.map((img) => absolute(img.url)),
    brand: { '@type': 'Brand', name: SHOP_NAME },
    ...(product.breadcrumb.length ? { category: product.breadcrumb.map((c) => c.name).join(' > ') } : {}),
    offers:
      offers.length === 1
        ? offers[0]
        : product.priceRange
          ? {
              '@type': 'AggregateOffer',
              lowPrice: decimal(product.priceRange.min.amount, product.priceRange.min.currency),
              highPrice: decimal(product.priceRange.max.amount, product.priceRange.max.currency),
              priceCurrency: product.priceRange.min.currency,
              offerCount: offers.length,
              availability: product.available
                ? 'https://schema.org/InStock'
                : 'https://schema.org/OutOfStock',
              offers,
            }
          : offers,
    ...(product.models[0]
      ? {
          subjectOf: {
            '@type': '3DModel',
            encodingFormat: product.models[0].contentType,
            contentUrl: absolute(product.models[0].url),
          },
        }
      : {}),
  };
}

function centimetres(metres: number): string {
  return (metres * 100).toLocaleString('en-US', { maximumFractionDigits: 1 });
}

export default async function ProductPage({ params }: Props) {
  const { handle } = await params;
  const product = await getProduct(handle);
  if (!product) notFound();

  const category = product.breadcrumb.at(-1);
  const related = category
    ? (await listProducts({ category: category.handle, limit: 5 }).catch(() => ({ items: [] }))).items
        .filter((p) => p.id !== product.id)
        .slice(0, 4)
    : [];
  const view: ProductViewData = {
    id: product.id,
    handle: product.handle,
    title: product.title,
    options: product.options,
    variants: product.variants,
    images: product.images,
    models: product.models,
  };
  const crumbs = [
    { name: 'Home', href: '/' },
    ...product.breadcrumb.map((c) => ({ name: c.name, href: `/categories/${c.handle}` })),
    { name: product.title, href: `/products/${product.handle}` },
  ];
  const paragraphs = product.description.split(/\n\s*\n/).filter((p) => p.trim());

  return (
    <main id="main" className="container page">
      <ProductView
        product={view}
        header={
          <>
            <Breadcrumbs items={crumbs} />
            <h1 className={styles.title}>{product.title}</h1>
          </>
        }
      >
        {paragraphs.length > 0 && (
          <section className={styles.section} aria-labelledby="description-title">
            <h2 id="description-title">Description</h2>
            <div className={styles.description}>
              {paragraphs.map((p) => (
                <p key={p.slice(0, 40)}>{p}</p>
              ))}
            </div>
          </section>
        )}
        {product.models.length > 0 && (
          <section className={styles.section} aria-labelledby="model-title">
            <h2 id="model-title">In 3D and AR</h2>
            {product.models.map((model) => (
              <div key={model.id} className={styles.model}>
                <p className={styles.credit}>
                  Turn it around in the viewer, or choose “View in your room” on a phone to place it at true
                  scale.
                </p>
                {model.stats && (
                  <dl>
                    <dt>Model size (W × H × D)</dt>
                    <dd>{model.stats.sizeMetres.map(centimetres).join(' × ')} cm</dd>
                    <dt>Detail</dt>
                    <dd>{model.stats.triangles.toLocaleString('en-US')} triangles</dd>
                    {model.stats.materialVariants.length > 0 && (
                      <>
                        <dt>Finishes in 3D</dt>
                        <dd>{model.stats.materialVariants.join(', ')}</dd>
                      </>
                    )}
                  </dl>
                )}
                {model.attribution && <p className={styles.credit}>3D model: {model.attribution}</p>}
              </div>
            ))}
          </section>
        )}
        {product.collections.length > 0 && (
          <section className={styles.section} aria-labelledby="collections-title">
            <h2 id="collections-title">Part of</h2>
            <ul className={styles.chips}>
              {product.collections.map((c) => (
                <li key={c.handle}>
                  <Link href={`/collections/${c.handle}`}>{c.title}</Link>
                </li>
              ))}
            </ul>
          </section>
        )}
      </ProductView>
      {related.length > 0 && (
        <section className={styles.related} aria-labelledby="related-title">
          <h2 id="related-title">More from {category?.name}</h2>
          <ProductGrid products={related} label={`More from ${category?.name}`} />
        </section>
      )}
      <JsonLd data={productJsonLd(product)} />
    </main>
  );
}
