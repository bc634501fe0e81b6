'use client';

import type { AdminProduct } from '@e3d/contracts';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { MediaDetails } from '@/components/media/MediaDetails';
import { getMedia, type Media } from '@/components/media/media-api';
import { PageHeader } from '@/components/ui/PageHeader';
import { api, isApiError } from '@/lib/api';

/** One media of a product in depth; for a 3D model, the model inspector. */
export default function MediaPage() {
  const { mediaId } = useParams<{ mediaId: string }>();
  const [media, setMedia] = useState<Media | null>(null);
  const [product, setProduct] = useState<AdminProduct | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt re-runs the load on "Try again"
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setError(null);
    (async () => {
      try {
        const found = await getMedia(mediaId, signal);
        setMedia(found);
        setProduct(
          await api.get<AdminProduct>(`/api/admin/products/${encodeURIComponent(found.productId)}`, {
            signal,
          }),
        );
      } catch (err) {
        if (signal.aborted) return;
        setError(
          isApiError(err) && err.status === 404
            ? 'This media does not exist (it may have been deleted).'
            : isApiError(err)
              ? err.detail
              : 'The media could not be loaded.',
        );
      }
    })();
    return () => controller.abort();
  }, [mediaId, attempt]);

  const back = media ? (
    <Link href={`/products/${media.productId}`}>← {product?.title ?? 'Product'}</Link>
  ) : (
    <Link href="/products">← Products</Link>
  );

  if (error) {
    return (
      <>
        <PageHeader title="Media" back={back} />
        <div className="notice danger" role="alert">
          <p>{error}</p>
          <button type="button" className="button small" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      </>
    );
  }
  if (!media || !product) {
    return (
      <>
        <PageHeader title="Media" back={back} />
        <p className="muted" aria-busy="true">
          Loading…
        </p>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title={media.kind === 'model' ? '3D model inspector' : 'Image'}
        description={`${product.title}${media.alt ? ` · ${media.alt}` : ''}`}
        back={back}
      />
      <MediaDetails
        media={media}
        productTitle={product.title}
        variants={product.variants.map((v) => ({ id: v.id, title: v.title }))}
      />
    </>
  );
}
