'use client';

import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { renditionFor } from '@/components/catalog/media';
import { Picture } from '@/components/catalog/Picture';
import { ProductModel } from '@/components/three/ProductModel';
import styles from './Gallery.module.css';
import { type ProductImage, type ProductModelData, posterFor } from './variants';

export const STAGE_SIZES = '(min-width: 1240px) 660px, (min-width: 900px) 54vw, 100vw';
const MODEL_KEY = 'model';

interface GalleryProps {
  title: string;
  /** Already ordered for the selected variant. */
  images: ProductImage[];
  model?: ProductModelData;
  variantName: string | null;
  variantId?: string;
}

/**
 * The product's media: one stage (the 3D model or an image) and a strip of thumbnails that
 * works as a tab list (arrow keys, Home, End). Choosing a variant brings its images forward.
 */
export function Gallery({ title, images, model, variantName, variantId }: GalleryProps) {
  const id = useId();
  const keys = [...(model ? [MODEL_KEY] : []), ...images.map((img) => img.id)];
  const [selected, setSelected] = useState(keys[0] ?? MODEL_KEY);
  const [shownVariant, setShownVariant] = useState(variantId);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  // A new variant shows its first image, unless the shopper is looking at the model.
  if (shownVariant !== variantId) {
    setShownVariant(variantId);
    if (selected !== MODEL_KEY && images[0]) setSelected(images[0].id);
  }
  const current = keys.includes(selected) ? selected : (keys[0] ?? MODEL_KEY);
  const image = images.find((img) => img.id === current);
  const poster = posterFor(model, images);

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = keys.length - 1;
    const next =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : -1;
    if (next < 0) return;
    event.preventDefault();
    const key = keys[next];
    if (key) setSelected(key);
    tabs.current[next]?.focus();
  };

  const tabId = (key: string) => `${id}-tab-${key}`;
  const stageId = `${id}-stage`;

  return (
    <div className={styles.gallery}>
      <div
        id={stageId}
        className={styles.stage}
        {...(keys.length > 1 ? { role: 'tabpanel', 'aria-labelledby': tabId(current) } : {})}
      >
        {model && (
          <ProductModel
            src={model.url}
            alt={model.alt || `3D model of ${title}`}
            poster={poster}
            posterSizes={STAGE_SIZES}
            variantName={variantName}
            hidden={current !== MODEL_KEY}
          />
        )}
        {image && (
          <Picture
            key="stage-image"
            image={image}
            sizes={STAGE_SIZES}
            priority={!model && image.id === images[0]?.id}
            className={styles.image}
          />
        )}
        {!model && !image && <div className={styles.empty}>No image yet</div>}
      </div>
      {keys.length > 1 && (
        <div role="tablist" aria-label={`${title}: media`} className={styles.thumbs}>
          {keys.map((key, index) => {
            const img = key === MODEL_KEY ? poster : images.find((i) => i.id === key);
            const isSelected = key === current;
            return (
              <button
                key={key}
                ref={(el) => {
                  tabs.current[index] = el;
                }}
                id={tabId(key)}
                type="button"
                role="tab"
                aria-selected={isSelected}
                aria-controls={stageId}
                tabIndex={isSelected ? 0 : -1}
                className={styles.thumb}
                onClick={() => setSelected(key)}
                onKeyDown={(event) => onKeyDown(event, index)}
              >
                {img && (
                  // biome-ignore lint/performance/noImgElement: a 72px thumbnail already sized by the API's renditions
                  <img
                    src={renditionFor(img, 160)}
                    alt=""
                    width={72}
                    height={72}
                    loading="lazy"
                    decoding="async"
                  />
                )}
                {key === MODEL_KEY ? (
                  <span className={styles.thumb3d}>
                    3D<span className="visually-hidden"> model, turn it around and view it in your room</span>
                  </span>
                ) : (
                  <span className="visually-hidden">{img?.alt || `Image ${index + 1}`}</span>
                )}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}
