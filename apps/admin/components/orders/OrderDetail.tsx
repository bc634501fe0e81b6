'use client';

import Link from 'next/link';
import { useStaff } from '@/components/session/StaffSession';
import { NoAccess } from '@/components/ui/NoAccess';
import { PageHeader } from '@/components/ui/PageHeader';
import { RecordLoadState } from '@/components/ui/RecordLoadState';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { formatDateTime } from '@/lib/format';
import { useApiData } from '@/lib/use-api-data';
import { OrderActions } from './OrderActions';
import { OrderCustomer } from './OrderCustomer';
import { OrderFulfilment } from './OrderFulfilment';
import { OrderLines } from './OrderLines';
import { OrderPayment } from './OrderPayment';
import { OrderTimeline } from './OrderTimeline';
import { OrderTotals } from './OrderTotals';
import styles from './orders.module.css';
import type { AdminOrder } from './types';

const back = <Link href="/orders">← Orders</Link>;

/** /orders/[id]: the whole order, and (with orders:write) what can be done with it. */
export function OrderDetail({ orderId }: { orderId: string }) {
  const { can, staff } = useStaff();
  const allowed = can('orders:read');
  const order = useApiData<AdminOrder>(
    allowed ? `/api/admin/orders/${encodeURIComponent(orderId)}` : null,
    'The order could not be loaded.',
  );

  if (!allowed) return <NoAccess title="Order" what="orders" back={back} />;
  if (!order.data) return <RecordLoadState record={order} title="Order" noun="order" back={back} />;

  const current = order.data;
  return (
    <>
      <PageHeader
        back={back}
        title={
          <span className="row">
            Order #{current.number} <StatusBadge status={current.status} />
            <StatusBadge status={current.paymentStatus} />
          </span>
        }
        description={`Placed ${formatDateTime(current.placedAt)} · ${current.email}`}
        actions={
          <button
            type="button"
            className="button small"
            onClick={order.reload}
            disabled={order.loading}
            aria-label="Reload order"
          >
            {order.loading ? 'Reloading…' : 'Reload'}
          </button>
        }
      />
      <div className="stack">
        {order.errorMessage && (
          <p className="notice danger" role="alert">
            {order.errorMessage}
          </p>
        )}
        {current.status === 'canceled' && (
          <p className="notice warning">
            Canceled {formatDateTime(current.canceledAt)}
            {current.cancelReason && <> — {current.cancelReason}</>}
          </p>
        )}
        {can('orders:write') && (
          <OrderActions order={current} onUpdated={order.setData} onStale={order.reload} />
        )}
        <div className={styles.layout}>
          <div className={styles.column}>
            <OrderLines order={current} productLinks={can('catalog:read')} />
            <OrderPayment order={current} />
            <OrderTimeline order={current} meId={staff.id} />
          </div>
          <div className={styles.column}>
            <OrderTotals order={current} />
            <OrderCustomer order={current} customerLink={can('customers:read')} />
            <OrderFulfilment order={current} />
          </div>
        </div>
      </div>
    </>
  );
}
