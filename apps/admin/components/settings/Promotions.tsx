'use client';

import type { PromotionDoc } from '@e3d/contracts';
import { useEffect, useState } from 'react';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { LoadState } from '@/components/ui/LoadState';
import { LoadMore } from '@/components/ui/Pager';
import { RowActions } from '@/components/ui/RowActions';
import { useToasts } from '@/components/ui/Toasts';
import { api, isApiError, query } from '@/lib/api';
import { formatDateTime, formatMoney, formatNumber, humanize } from '@/lib/format';
import { useCursorList } from '@/lib/use-cursor-list';
import { useShopCurrency } from '@/lib/use-shop-currency';
import { PromotionDialog } from './PromotionDialog';
import { promotionStatus, promotionValue, STATUS_TONE } from './promotion-status';
import { EmptyState, SettingsSection } from './SettingsSection';

const PAGE_SIZE = 50;
type Editing = { promotion: PromotionDoc | null } | null;

/** Promotion codes in code order, searchable, a page at a time. */
export function Promotions() {
  const { notify, fail } = useToasts();
  const shopCurrency = useShopCurrency();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<PromotionDoc | null>(null);
  const [toggling, setToggling] = useState<string | null>(null);

  // Search as the person types, a moment after they stop.
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const promotions = useCursorList<PromotionDoc>(`/api/admin/promotions${query({ q, limit: PAGE_SIZE })}`);
  const { items, error, loading, reload, setItems } = promotions;
  const loadMore = () =>
    promotions.loadMore().catch((caught: unknown) => fail(caught, 'More promotions could not be loaded.'));

  const replace = (saved: PromotionDoc) =>
    setItems((current) => current.map((p) => (p.id === saved.id ? saved : p)));

  const toggleActive = async (promotion: PromotionDoc) => {
    setToggling(promotion.id);
    try {
      const saved = await api.patch<PromotionDoc>(`/api/admin/promotions/${promotion.id}`, {
        active: !promotion.active,
      });
      replace(saved);
      notify(
        saved.active
          ? `${saved.code} activated.`
          : `${saved.code} deactivated: shoppers can no longer use it.`,
      );
    } catch (caught) {
      fail(caught, 'The promotion could not be changed.');
    } finally {
      setToggling(null);
    }
  };

  const now = Date.now();
  return (
    <SettingsSection
      title="Promotions"
      description="Discount codes shoppers enter at checkout."
      actions={
        <div className="row">
          <label>
            <span className="visually-hidden">Search codes</span>
            <input
              type="search"
              placeholder="Search codes"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          </label>
          <button
            type="button"
            className="button primary"
            onClick={() => setEditing({ promotion: null })}
            disabled={!shopCurrency}
          >
            Create promotion
          </button>
        </div>
      }
    >
      {items === null || error ? (
        <LoadState resource={promotions} what="Promotions" />
      ) : items.length === 0 ? (
        <EmptyState>{q ? `No promotion code contains “${q}”.` : 'No promotions yet.'}</EmptyState>
      ) : (
        <>
          <div className="table-wrap" aria-busy={loading}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Type</th>
                  <th scope="col" className="num">
                    Value
                  </th>
                  <th scope="col" className="num">
                    Minimum
                  </th>
                  <th scope="col">Starts</th>
                  <th scope="col">Ends</th>
                  <th scope="col" className="num">
                    Used
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((promotion) => {
                  const status = promotionStatus(promotion, now);
                  const minimumCurrency = promotion.currency ?? shopCurrency;
                  return (
                    <tr key={promotion.id}>
                      <td>
                        <strong className="mono">{promotion.code}</strong>
                        {promotion.description && <div className="muted">{promotion.description}</div>}
                      </td>
                      <td>{promotion.kind === 'percentage' ? 'Percentage' : 'Fixed amount'}</td>
                      <td className="num">{promotionValue(promotion)}</td>
                      <td className="num">
                        {promotion.minimumSubtotal === null || !minimumCurrency
                          ? '—'
                          : formatMoney(promotion.minimumSubtotal, minimumCurrency)}
                      </td>
                      <td>
                        {promotion.startsAt ? (
                          formatDateTime(promotion.startsAt)
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td>
                        {promotion.expiresAt ? (
                          formatDateTime(promotion.expiresAt)
                        ) : (
                          <span className="muted">Never</span>
                        )}
                      </td>
                      <td className="num">
                        {formatNumber(promotion.usedCount)}
                        {promotion.usageLimit !== null ? ` / ${formatNumber(promotion.usageLimit)}` : ''}
                      </td>
                      <td>
                        <span className={`badge ${STATUS_TONE[status]}`}>{humanize(status)}</span>
                      </td>
                      <td>
                        <RowActions>
                          <button
                            type="button"
                            className="button small"
                            onClick={() => setEditing({ promotion })}
                            aria-label={`Edit ${promotion.code}`}
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            className="button small"
                            disabled={toggling === promotion.id}
                            onClick={() => void toggleActive(promotion)}
                            aria-label={`${promotion.active ? 'Deactivate' : 'Activate'} ${promotion.code}`}
                          >
                            {promotion.active ? 'Deactivate' : 'Activate'}
                          </button>
                          <button
                            type="button"
                            className="button small danger"
                            onClick={() => setDeleting(promotion)}
                            aria-label={`Delete ${promotion.code}`}
                          >
                            Delete
                          </button>
                        </RowActions>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {promotions.nextCursor && (
            <LoadMore onLoad={() => void loadMore()} loading={promotions.loadingMore} />
          )}
        </>
      )}
      {shopCurrency && (
        <PromotionDialog
          key={editing?.promotion?.id ?? 'new'}
          open={editing !== null}
          promotion={editing?.promotion ?? null}
          shopCurrency={shopCurrency}
          onClose={() => setEditing(null)}
          onSaved={(saved, created) => {
            setEditing(null);
            notify(created ? `${saved.code} created.` : `${saved.code} saved.`);
            if (created) reload();
            else replace(saved);
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete promotion"
        confirmLabel="Delete promotion"
        busyLabel="Deleting…"
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          try {
            await api.delete(`/api/admin/promotions/${deleting.id}`);
          } catch (caught) {
            // A code orders used cannot be deleted; the dialog shows why (deactivate it instead).
            if (isApiError(caught) && caught.status === 404) {
              setItems((current) => current.filter((p) => p.id !== deleting.id));
            }
            throw caught;
          }
          setItems((current) => current.filter((p) => p.id !== deleting.id));
          notify(`${deleting.code} deleted.`);
        }}
      >
        {deleting && (
          <p>
            Delete the code <strong className="mono">{deleting.code}</strong>?{' '}
            {deleting.usedCount > 0
              ? 'Orders have used it, so it cannot be deleted: deactivate it instead.'
              : 'Shoppers who try it will be told it does not exist.'}
          </p>
        )}
      </ConfirmDialog>
    </SettingsSection>
  );
}
