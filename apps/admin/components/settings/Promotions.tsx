'use client';

import type { PromotionDoc } from '@e3d/contracts';
import { useEffect, useState } from 'react';
import { ResourceDeleteDialog } from '@/components/crud/ResourceDeleteDialog';
import { type Column, ResourceTable } from '@/components/crud/ResourceTable';
import { RowButtons } from '@/components/crud/RowButtons';
import { useResourceList } from '@/components/crud/useResourceList';
import { useToasts } from '@/components/ui/Toasts';
import { query } from '@/lib/api';
import { formatDateTime, formatMoney, formatNumber, humanize } from '@/lib/format';
import { useShopCurrency } from '@/lib/use-shop-currency';
import { PromotionDialog } from './PromotionDialog';
import { promotionStatus, promotionValue, STATUS_TONE } from './promotion-status';
import { EmptyState, SettingsSection } from './SettingsSection';

const PAGE_SIZE = 50;

const dateOr = (iso: string | null, none: string) =>
  iso ? formatDateTime(iso) : <span className="muted">{none}</span>;

function columns(shopCurrency: string | null, now: number): Column<PromotionDoc>[] {
  return [
    {
      header: 'Code',
      cell: (p) => (
        <>
          <strong className="mono">{p.code}</strong>
          {p.description && <div className="muted">{p.description}</div>}
        </>
      ),
    },
    { header: 'Type', cell: (p) => (p.kind === 'percentage' ? 'Percentage' : 'Fixed amount') },
    { header: 'Value', numeric: true, cell: promotionValue },
    {
      header: 'Minimum',
      numeric: true,
      cell: (p) => {
        const currency = p.currency ?? shopCurrency;
        return p.minimumSubtotal === null || !currency ? '—' : formatMoney(p.minimumSubtotal, currency);
      },
    },
    { header: 'Starts', cell: (p) => dateOr(p.startsAt, '—') },
    { header: 'Ends', cell: (p) => dateOr(p.expiresAt, 'Never') },
    {
      header: 'Used',
      numeric: true,
      cell: (p) =>
        `${formatNumber(p.usedCount)}${p.usageLimit !== null ? ` / ${formatNumber(p.usageLimit)}` : ''}`,
    },
    {
      header: 'Status',
      cell: (p) => {
        const status = promotionStatus(p, now);
        return <span className={`badge ${STATUS_TONE[status]}`}>{humanize(status)}</span>;
      },
    },
  ];
}

/** Promotion codes in code order, searchable, a page at a time. */
export function Promotions() {
  const { notify } = useToasts();
  const shopCurrency = useShopCurrency();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');

  // Search as the person types, a moment after they stop.
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const promotions = useResourceList<PromotionDoc>({
    path: '/api/admin/promotions',
    query: query({ q, limit: PAGE_SIZE }),
    paged: true,
    notices: {
      created: (p) => `${p.code} created.`,
      saved: (p) => `${p.code} saved.`,
      deleted: (p) => `${p.code} deleted.`,
    },
  });

  const toggleActive = (promotion: PromotionDoc) =>
    promotions.act(
      `active:${promotion.id}`,
      async () => {
        const saved = await promotions.update(promotion, { active: !promotion.active });
        notify(
          saved.active
            ? `${saved.code} activated.`
            : `${saved.code} deactivated: shoppers can no longer use it.`,
        );
      },
      'The promotion could not be changed.',
    );

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
            onClick={promotions.create}
            disabled={!shopCurrency}
          >
            Create promotion
          </button>
        </div>
      }
    >
      <ResourceTable
        list={promotions}
        what="Promotions"
        empty={<EmptyState>{q ? `No promotion code contains “${q}”.` : 'No promotions yet.'}</EmptyState>}
        columns={columns(shopCurrency, Date.now())}
        actions={(promotion) => (
          <RowButtons
            buttons={[
              { label: 'Edit', name: `Edit ${promotion.code}`, onClick: () => promotions.edit(promotion) },
              {
                label: promotion.active ? 'Deactivate' : 'Activate',
                name: `${promotion.active ? 'Deactivate' : 'Activate'} ${promotion.code}`,
                disabled: promotions.busy === `active:${promotion.id}`,
                onClick: () => void toggleActive(promotion),
              },
              {
                label: 'Delete',
                name: `Delete ${promotion.code}`,
                danger: true,
                onClick: () => promotions.askDelete(promotion),
              },
            ]}
          />
        )}
      />
      {shopCurrency && <PromotionDialog list={promotions} shopCurrency={shopCurrency} />}
      <ResourceDeleteDialog list={promotions} title="Delete promotion" confirmLabel="Delete promotion">
        {(promotion) => (
          <p>
            Delete the code <strong className="mono">{promotion.code}</strong>?{' '}
            {promotion.usedCount > 0
              ? 'Orders have used it, so it cannot be deleted: deactivate it instead.'
              : 'Shoppers who try it will be told it does not exist.'}
          </p>
        )}
      </ResourceDeleteDialog>
    </SettingsSection>
  );
}
