'use client';

import type { ProductDetail } from '@e3d/contracts';
import { type ReactNode, useEffect, useState } from 'react';
import { AddToCartButton } from '@/components/cart/AddToCartButton';
import { Price } from '@/components/catalog/Price';
import { Gallery } from './Gallery';
import styles from './ProductView.module.css';
import { VariantPicker } from './VariantPicker';
import { defaultVariant, imagesFor, modelFor } from './variants';

export type ProductViewData = Pick<
  ProductDetail,
  'id' | 'handle' | 'title' | 'options' | 'variants' | 'images' | 'models'
>;

interface ProductViewProps {
  product: ProductViewData;
  /** Breadcrumb and title, rendered on the server. */
  header: ReactNode;
  /** Description, specifications and model credits, rendered on the server. */
  children?: ReactNode;
}

function formatDimensions(mm: { length: number; width: number; height: number }): string {
  const cm = (v: number) => (v / 10).toLocaleString('en-US', { maximumFractionDigits: 1 });
  return `${cm(mm.length)} × ${cm(mm.width)} × ${cm(mm.height)} cm`;
}

/**
 * Everything on the product page that follows the selected variant: price, availability, the
 * images shown first, the model's material variant, the add-to-cart button and `?variant=`.
 */
export function ProductView({ product, header, children }: ProductViewProps) {
  const [variantId, setVariantId] = useState(() => defaultVariant(product.variants)?.id);

  // The page is cached without its query string: a `?variant=` link is applied on arrival.
  useEffect(() => {
    const wanted = new URLSearchParams(window.location.search).get('variant');
    if (wanted && product.variants.some((v) => v.id === wanted)) setVariantId(wanted);
  }, [product.variants]);

  const variant = product.variants.find((v) => v.id === variantId) ?? product.variants[0];
  const select = (id: string) => {
    setVariantId(id);
    const url = new URL(window.location.href);
    url.searchParams.set('variant', id);
    window.history.replaceState(window.history.state, '', url);
  };

  const images = imagesFor(product.images, product.variants, variant?.id);
  const model = modelFor(product.models, variant?.id);
  const variantName = (variant && model?.variantMaterials[variant.id]) || null;
  const hasChoices = product.options.length > 0 && product.variants.length > 1;

  return (
    <div className={styles.layout}>
      <div className={styles.media}>
        <Gallery
          title={product.title}
          images={images}
          model={model}
          variantName={variantName}
          variantId={variant?.id}
        />
      </div>
      <div className={styles.info}>
        {header}
        {variant && (
          <div className={styles.buy}>
            <div className={styles.priceRow} aria-live="polite" aria-atomic="true">
              <Price min={variant.price} compareAt={variant.compareAtPrice} className={styles.price} />
              {variant.compareAtPrice && variant.compareAtPrice.amount > variant.price.amount && (
                <span className={styles.saving}>
                  Save {Math.round((1 - variant.price.amount / variant.compareAtPrice.amount) * 100)}%
                </span>
              )}
            </div>
            <p className={variant.available ? styles.inStock : styles.soldOut}>
              <span className={styles.dot} aria-hidden="true" />
              {variant.available ? 'In stock, ready to ship' : 'Sold out'}
              {hasChoices && <span className="visually-hidden"> · {variant.title}</span>}
            </p>
            {hasChoices && (
              <VariantPicker
                options={product.options}
                variants={product.variants}
                current={variant}
                onSelect={select}
              />
            )}
            <div className={styles.cart}>
              <AddToCartButton variantId={variant.id} available={variant.available} />
            </div>
            <dl className={styles.facts}>
              <div>
                <dt>SKU</dt>
                <dd>{variant.sku}</dd>
              </div>
              {variant.dimensionsMm && (
                <div>
                  <dt>Size (L × W × H)</dt>
                  <dd>{formatDimensions(variant.dimensionsMm)}</dd>
                </div>
              )}
              {variant.weightGrams != null && (
                <div>
                  <dt>Weight</dt>
                  <dd>
                    {variant.weightGrams >= 1000
                      ? `${(variant.weightGrams / 1000).toLocaleString('en-US', { maximumFractionDigits: 2 })} kg`
                      : `${variant.weightGrams} g`}
                  </dd>
                </div>
              )}
            </dl>
          </div>
        )}
        {children}
      </div>
    </div>
  );
}
