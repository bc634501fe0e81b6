'use client';

import type { WebhookDelivery } from '@e3d/contracts';
import { Fragment, useEffect, useRef, useState } from 'react';
import { LoadState } from '@/components/ui/LoadState';
import { LoadMore } from '@/components/ui/Pager';
import { RowActions } from '@/components/ui/RowActions';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { useToasts } from '@/components/ui/Toasts';
import { api, query } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { useCursorList } from '@/lib/use-cursor-list';
import { EmptyState } from './SettingsSection';
import styles from './settings.module.css';

const PAGE_SIZE = 25;
/** While a delivery is pending, look again this often to show how it ended. */
const POLL_MS = 5000;

/**
 * One endpoint's delivery log, newest first: what was sent, how often, what the receiver
 * answered, and a way to send a finished delivery again.
 */
export function WebhookDeliveries({
  endpointId,
  endpointActive,
  canRedeliver,
  refreshKey,
}: {
  endpointId: string;
  endpointActive: boolean;
  canRedeliver: boolean;
  /** Changes when the page sent something new (a test), so the log reloads. */
  refreshKey: number;
}) {
  const { notify, fail } = useToasts();
  const [status, setStatus] = useState('');
  const [redelivering, setRedelivering] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const deliveries = useCursorList<WebhookDelivery>(
    `/api/admin/webhooks/${endpointId}/deliveries${query({ status, limit: PAGE_SIZE })}`,
  );
  const { items, error, loading, reload, setItems } = deliveries;

  const shownKey = useRef(refreshKey);
  useEffect(() => {
    if (shownKey.current === refreshKey) return;
    shownKey.current = refreshKey;
    reload();
  }, [refreshKey, reload]);
  const loadMore = () =>
    deliveries.loadMore().catch((caught: unknown) => fail(caught, 'More deliveries could not be loaded.'));

  const pending = items?.some((d) => d.status === 'pending') ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [pending, reload]);

  const redeliver = async (delivery: WebhookDelivery) => {
    setRedelivering(delivery.id);
    try {
      const queued = await api.post<WebhookDelivery>(
        `/api/admin/webhooks/${endpointId}/deliveries/${delivery.id}/redeliver`,
      );
      setItems((current) => current.map((d) => (d.id === queued.id ? queued : d)));
      notify(`${delivery.eventType} queued for redelivery.`);
    } catch (caught) {
      fail(caught, 'The delivery could not be sent again.');
    } finally {
      setRedelivering(null);
    }
  };

  return (
    <div className="stack">
      <div className="row">
        <h3 style={{ margin: 0 }}>Deliveries</h3>
        <span className="spacer" />
        <label className="row">
          <span>Status</span>
          <select value={status} onChange={(e) => setStatus(e.target.value)} style={{ width: 'auto' }}>
            <option value="">All</option>
            <option value="pending">Pending</option>
            <option value="succeeded">Succeeded</option>
            <option value="failed">Failed</option>
          </select>
        </label>
        <button type="button" className="button small" onClick={reload} disabled={loading}>
          Refresh
        </button>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {loading ? 'Loading deliveries…' : items ? `${items.length} deliveries shown.` : ''}
      </p>
      {items === null || error ? (
        <LoadState resource={deliveries} what="Deliveries" />
      ) : items.length === 0 ? (
        <EmptyState>
          {status ? `No ${status} deliveries.` : 'Nothing sent to this endpoint yet. Send a test to try it.'}
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Attempts
                  </th>
                  <th scope="col">Last response</th>
                  <th scope="col">Last attempt</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((delivery) => (
                  <Fragment key={delivery.id}>
                    <tr>
                      <td className="mono">{delivery.eventType}</td>
                      <td>
                        <StatusBadge status={delivery.status} />
                      </td>
                      <td className="num">{delivery.attempts}</td>
                      <td>
                        {delivery.lastStatusCode !== null ? (
                          <span className="mono">HTTP {delivery.lastStatusCode}</span>
                        ) : delivery.lastError ? null : (
                          <span className="muted">—</span>
                        )}
                        {delivery.lastError && <div className="muted">{delivery.lastError}</div>}
                      </td>
                      <td>{formatDateTime(delivery.lastAttemptAt)}</td>
                      <td>{formatDateTime(delivery.createdAt)}</td>
                      <td>
                        <RowActions>
                          <button
                            type="button"
                            className="button small"
                            aria-expanded={open === delivery.id}
                            onClick={() => setOpen(open === delivery.id ? null : delivery.id)}
                          >
                            {open === delivery.id ? 'Hide body' : 'Body'}
                          </button>
                          {canRedeliver && (
                            <button
                              type="button"
                              className="button small"
                              disabled={
                                delivery.status === 'pending' ||
                                !endpointActive ||
                                redelivering === delivery.id
                              }
                              title={
                                delivery.status === 'pending'
                                  ? 'Still pending: its next attempt is queued'
                                  : !endpointActive
                                    ? 'Enable the endpoint first'
                                    : undefined
                              }
                              onClick={() => void redeliver(delivery)}
                            >
                              {redelivering === delivery.id ? 'Queuing…' : 'Redeliver'}
                            </button>
                          )}
                        </RowActions>
                      </td>
                    </tr>
                    {open === delivery.id && (
                      <tr>
                        <td colSpan={7}>
                          <div className="muted">
                            Event id <span className="mono">{delivery.eventId}</span>
                            {delivery.deliveredAt
                              ? ` · delivered ${formatDateTime(delivery.deliveredAt)}`
                              : ''}
                          </div>
                          <pre className={styles.payload}>{JSON.stringify(delivery.payload, null, 2)}</pre>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
          {deliveries.nextCursor && (
            <LoadMore onLoad={() => void loadMore()} loading={deliveries.loadingMore} />
          )}
        </>
      )}
    </div>
  );
}
