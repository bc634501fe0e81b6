'use client';

import type { AdminCollectionDetail, AdminProduct } from '@e3d/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { MediaManager } from '@/components/media/MediaManager';
import { useShopConfig } from '@/components/session/ShopConfig';
import { useStaff } from '@/components/session/StaffSession';
import { PageHeader } from '@/components/ui/PageHeader';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { useToasts } from '@/components/ui/Toasts';
import { api, fieldErrors, isApiError } from '@/lib/api';
import { currencyDigits, formatDateTime } from '@/lib/format';
import { useShopCurrency } from '@/lib/use-shop-currency';
import { ConflictNotice } from './ConflictNotice';
import { DeleteProductDialog } from './DeleteProductDialog';
import { DetailsSection } from './DetailsSection';
import {
  collectionIdsOf,
  type DetailsDraft,
  detailsFromProduct,
  detailsPatch,
  rebaseCollections,
  rebaseDetails,
  sameJson,
  sameSet,
} from './product-draft';
import styles from './products.module.css';
import { READ_ONLY_LINE } from './ReadOnlyNotice';
import { SeoSection } from './SeoSection';
import { StatusActions } from './StatusActions';
import { handleProblem } from './slug';
import { TaxonomySection } from './TaxonomySection';
import { useTaxonomy } from './taxonomy';
import { useUnsavedChangesGuard } from './useUnsavedChangesGuard';
import { VariantGrid } from './VariantGrid';
import { buildVariantPayload, type GridDraft, gridErrorsFromApi, gridFromProduct } from './variant-grid';

const productPath = (id: string) => `/api/admin/products/${id}`;

/** Puts or takes this product in a collection, keeping the collection's order for the others. */
async function setMembership(collectionId: string, productId: string, member: boolean) {
  const collection = await api.get<AdminCollectionDetail>(`/api/admin/collections/${collectionId}`);
  const ids = collection.products.map((p) => p.id).filter((id) => id !== productId);
  await api.put(`/api/admin/collections/${collectionId}/products`, {
    productIds: member ? [...ids, productId] : ids,
  });
}

/**
 * The product page: details, variants, categories and collections, SEO and media. One Save
 * writes what changed (details, then the variant grid, then collections), each against the
 * version the page last read; a newer version elsewhere stops the save and says so.
 */
export function ProductEditor({ productId }: { productId: string }) {
  const router = useRouter();
  const { can } = useStaff();
  const shopConfig = useShopConfig();
  const { notify, fail } = useToasts();
  const canEdit = can('catalog:write');
  const taxonomy = useTaxonomy();

  const [product, setProduct] = useState<AdminProduct | null>(null);
  const [loadError, setLoadError] = useState<{ status: number; detail: string } | null>(null);
  const [details, setDetails] = useState<DetailsDraft | null>(null);
  const [grid, setGrid] = useState<GridDraft | null>(null);
  const [collectionIds, setCollectionIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState<null | 'saving' | 'transition' | 'reloading'>(null);
  const [announcement, setAnnouncement] = useState('');
  const [deleting, setDeleting] = useState(false);

  const currency = useShopCurrency(product?.variants[0]?.price.currency ?? null);
  const digits = currencyDigits(currency ?? 'EUR');

  const base = useMemo(
    () =>
      product
        ? {
            details: detailsFromProduct(product),
            grid: gridFromProduct(product, digits),
            collections: collectionIdsOf(product),
          }
        : null,
    [product, digits],
  );
  const detailsDirty = !!(base && details && !sameJson(details, base.details));
  const gridDirty = !!(base && grid && !sameJson(grid, base.grid));
  const collectionsDirty = !!(base && !sameSet(collectionIds, base.collections));
  const dirty = canEdit && (detailsDirty || gridDirty || collectionsDirty);
  useUnsavedChangesGuard(dirty);

  const resetTo = useCallback(
    (fresh: AdminProduct) => {
      setProduct(fresh);
      setDetails(detailsFromProduct(fresh));
      setGrid(gridFromProduct(fresh, digits));
      setCollectionIds(collectionIdsOf(fresh));
      setErrors({});
      setFormError(null);
      setConflict(false);
    },
    [digits],
  );

  // The grid's amounts are text in the currency's decimals; once the currency is known
  // (a product without variants waits for the shop's), re-read them with the right ones.
  const digitsRef = useRef(digits);
  useEffect(() => {
    if (digitsRef.current === digits) return;
    digitsRef.current = digits;
    if (product && !gridDirty) setGrid(gridFromProduct(product, digits));
  }, [digits, product, gridDirty]);

  // resetTo changes only with the currency's decimals; the first load must not repeat for it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per product
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<AdminProduct>(productPath(productId), { signal: controller.signal })
      .then(resetTo)
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setLoadError(
          isApiError(error)
            ? { status: error.status, detail: error.detail }
            : { status: 0, detail: 'The product could not be loaded.' },
        );
      });
    return () => controller.abort();
  }, [productId]);

  // The latest state, for callbacks handed to children (the media manager) that must stay stable.
  const latest = useRef({ product, base, dirty, details, grid, collectionIds });
  latest.current = { product, base, dirty, details, grid, collectionIds };

  /**
   * Re-reads the product after a change made elsewhere on the page (media). Unsaved edits are
   * kept when nothing they touch changed; if someone else changed those fields, say so.
   */
  const reload = useCallback(async () => {
    try {
      const fresh = await api.get<AdminProduct>(productPath(productId));
      const now = latest.current;
      if (!now.dirty || !now.base || !now.product) return resetTo(fresh);
      const untouched =
        sameJson(detailsFromProduct(fresh), now.base.details) &&
        sameJson(gridFromProduct(fresh, digits), now.base.grid) &&
        sameSet(collectionIdsOf(fresh), now.base.collections);
      if (untouched) setProduct(fresh);
      else if (fresh.version !== now.product.version) setConflict(true);
    } catch (error) {
      fail(error, 'The product could not be reloaded.');
    }
  }, [productId, resetTo, digits, fail]);

  const reloadTheirs = async () => {
    setBusy('reloading');
    try {
      resetTo(await api.get<AdminProduct>(productPath(productId)));
      setAnnouncement('Their version is loaded; your edits were discarded.');
    } catch (error) {
      fail(error, 'The product could not be reloaded.');
    } finally {
      setBusy(null);
    }
  };

  const keepMine = async () => {
    if (!product || !base || !details || !grid) return;
    setBusy('reloading');
    try {
      const fresh = await api.get<AdminProduct>(productPath(productId));
      const theirGrid = gridFromProduct(fresh, digits);
      const freshIds = new Set(fresh.variants.map((v) => v.id));
      setProduct(fresh);
      setDetails(rebaseDetails(details, base.details, detailsFromProduct(fresh)));
      setGrid(
        gridDirty
          ? {
              ...grid,
              // A variant they deleted comes back as a new one rather than failing the save.
              variants: grid.variants.map((v) =>
                v.id && !freshIds.has(v.id) ? { ...v, id: undefined, key: `${v.key}-restored` } : v,
              ),
            }
          : theirGrid,
      );
      setCollectionIds(rebaseCollections(collectionIds, base.collections, collectionIdsOf(fresh)));
      setConflict(false);
      setErrors({});
      setFormError(null);
      setAnnouncement('Their version is loaded with your edits on top. Check them, then save.');
    } catch (error) {
      fail(error, 'The product could not be reloaded.');
    } finally {
      setBusy(null);
    }
  };

  const save = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!canEdit || !product || !base || !details || !grid || busy) return;
    setFormError(null);
    const found: Record<string, string> = {};
    if (!details.title.trim()) found.title = 'Required';
    const handleError = handleProblem(details.handle.trim());
    if (handleError) found.handle = `The handle ${handleError}`;
    const variantCheck = gridDirty ? buildVariantPayload(grid, currency ?? 'EUR', digits) : null;
    Object.assign(found, variantCheck?.errors);
    if (Object.keys(found).length > 0) {
      setErrors(found);
      setFormError('Some fields need attention; nothing was saved.');
      setAnnouncement('Some fields need attention.');
      return;
    }
    setErrors({});
    setBusy('saving');
    setAnnouncement('Saving…');
    let current = product;
    let step: 'details' | 'variants' | 'collections' = 'details';
    try {
      const patch = detailsPatch(base.details, details);
      if (patch) {
        current = await api.patch<AdminProduct>(productPath(productId), {
          ...patch,
          version: current.version,
        });
        setProduct(current);
        setDetails(detailsFromProduct(current));
      }
      step = 'variants';
      if (variantCheck?.payload) {
        current = await api.put<AdminProduct>(`${productPath(productId)}/variants`, {
          ...variantCheck.payload,
          version: current.version,
        });
        setProduct(current);
        setGrid(gridFromProduct(current, digits));
      }
      step = 'collections';
      if (collectionsDirty) {
        const was = new Set(base.collections);
        const changes = [
          ...collectionIds.filter((id) => !was.has(id)).map((id) => [id, true] as const),
          ...base.collections.filter((id) => !collectionIds.includes(id)).map((id) => [id, false] as const),
        ];
        for (const [collectionId, member] of changes) await setMembership(collectionId, productId, member);
        current = await api.get<AdminProduct>(productPath(productId));
        setProduct(current);
        setCollectionIds(collectionIdsOf(current));
      }
      setAnnouncement('Product saved.');
      notify('Product saved');
    } catch (error) {
      setAnnouncement('');
      if (isApiError(error) && error.code === 'version_conflict') {
        setConflict(true);
        return;
      }
      const problems = fieldErrors(error);
      if (step === 'variants' && grid) setErrors(gridErrorsFromApi(problems, grid));
      else setErrors(problems);
      const saved = current !== product ? ' Changes before it were saved.' : '';
      const what = { details: 'The details', variants: 'The variants', collections: 'The collections' }[step];
      setFormError(
        `${what} could not be saved: ${isApiError(error) ? error.detail : 'something went wrong.'}${saved}`,
      );
    } finally {
      setBusy(null);
    }
  };

  const discard = () => {
    if (product) resetTo(product);
    setAnnouncement('Your changes were discarded.');
  };

  const onTransitioned = (updated: AdminProduct) => {
    setProduct(updated);
    setAnnouncement(`The product is now ${updated.status}.`);
  };

  if (loadError) {
    return (
      <div className="stack">
        <PageHeader title="Product" back={<Link href="/products">← Products</Link>} />
        <p className="notice danger" role="alert">
          {loadError.status === 404
            ? 'This product does not exist. It may have been deleted.'
            : loadError.detail}
        </p>
      </div>
    );
  }
  if (!product || !details || !grid || !base) {
    return (
      <div className={styles.loading} aria-busy="true">
        <span className="spinner" role="status" aria-label="Loading product" />
      </div>
    );
  }

  const readOnly = !canEdit;
  return (
    <div className="stack">
      <PageHeader
        back={<Link href="/products">← Products</Link>}
        title={product.title}
        description={
          <span className="row">
            <span data-testid="product-status">
              <StatusBadge status={product.status} />
            </span>
            <span>
              Version {product.version} · updated {formatDateTime(product.updatedAt)}
              {product.publishedAt && ` · published ${formatDateTime(product.publishedAt)}`}
            </span>
          </span>
        }
        actions={
          <>
            {product.status === 'published' && (
              <a
                className="button"
                href={`${shopConfig.storefrontUrl.replace(/\/$/, '')}/products/${encodeURIComponent(product.handle)}`}
                target="_blank"
                rel="noopener noreferrer"
              >
                View in shop
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            )}
            {canEdit && (
              <StatusActions
                product={product}
                dirty={dirty}
                disabled={busy !== null || conflict}
                onDone={onTransitioned}
                onConflict={() => setConflict(true)}
              />
            )}
            {canEdit && (
              <button type="button" className="button danger" onClick={() => setDeleting(true)}>
                Delete
              </button>
            )}
          </>
        }
      />

      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {readOnly && <p className="notice">{READ_ONLY_LINE}</p>}
      {conflict && (
        <ConflictNotice busy={busy === 'reloading'} onReloadTheirs={reloadTheirs} onKeepMine={keepMine} />
      )}
      {formError && (
        <p className="notice danger" role="alert">
          {formError}
        </p>
      )}

      <form onSubmit={save} noValidate aria-label="Product">
        <fieldset disabled={readOnly} className={styles.plainFieldset}>
          <div className="stack">
            <DetailsSection draft={details} onChange={setDetails} errors={errors} readOnly={readOnly} />
            <VariantGrid
              grid={grid}
              onChange={setGrid}
              errors={errors}
              readOnly={readOnly}
              currency={currency ?? '…'}
              handle={details.handle.trim() || product.handle}
            />
            <TaxonomySection
              taxonomy={taxonomy}
              categoryIds={details.categoryIds}
              onCategoriesChange={(categoryIds) => setDetails({ ...details, categoryIds })}
              collectionIds={collectionIds}
              onCollectionsChange={setCollectionIds}
              errors={errors}
              readOnly={readOnly}
            />
            <SeoSection draft={details} onChange={setDetails} errors={errors} readOnly={readOnly} />
          </div>
        </fieldset>

        {canEdit && (
          <div className={`${styles.saveBar} ${dirty ? styles.saveBarDirty : ''}`}>
            <span role="status">
              {busy === 'saving' ? 'Saving…' : dirty ? 'Unsaved changes' : 'All changes saved'}
            </span>
            <span className="spacer" />
            {dirty && (
              <button type="button" className="button" onClick={discard} disabled={busy !== null}>
                Discard changes
              </button>
            )}
            <button
              type="submit"
              className="button primary"
              disabled={!dirty || busy !== null || conflict || !currency}
            >
              {busy === 'saving' ? 'Saving…' : 'Save'}
            </button>
          </div>
        )}
      </form>

      {/* The media manager brings its own heading and section. */}
      <div className="card">
        <MediaManager
          productId={product.id}
          variants={product.variants.map((v) => ({ id: v.id, title: v.title }))}
          onChange={reload}
        />
      </div>

      {canEdit && (
        <DeleteProductDialog
          open={deleting}
          product={product}
          onClose={() => setDeleting(false)}
          onDeleted={() => {
            notify(`Deleted “${product.title}”`);
            router.push('/products');
          }}
        />
      )}
    </div>
  );
}
