'use client';

import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret } from '@e3d/contracts';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { LoadState } from '@/components/ui/LoadState';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { useToasts } from '@/components/ui/Toasts';
import { api } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { withoutRow, withRow } from '@/lib/list-updates';
import { useApiData } from '@/lib/use-api-data';
import { SecretReveal } from './SecretReveal';
import { EmptyState, SettingsSection } from './SettingsSection';
import styles from './settings.module.css';
import { WebhookDeliveries } from './WebhookDeliveries';
import { WebhookDialog } from './WebhookDialog';

type Editing = { endpoint: WebhookEndpoint | null } | null;
type Revealed = { secret: string; url: string; rotated: boolean } | null;

const eventsSummary = (endpoint: WebhookEndpoint) =>
  endpoint.events.length === 0 ? 'All events' : endpoint.events.join(', ');

/** Outbound webhook endpoints, their signing secrets and their delivery log. */
export function Webhooks() {
  const { notify, fail } = useToasts();
  const endpoints = useApiData<{ items: WebhookEndpoint[] }>('/api/admin/webhooks');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [revealed, setRevealed] = useState<Revealed>(null);
  const [rotating, setRotating] = useState<WebhookEndpoint | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [sent, setSent] = useState(0);

  const items = endpoints.data?.items ?? [];
  const selected = items.find((e) => e.id === selectedId) ?? null;

  const replace = (saved: WebhookEndpoint) => endpoints.setData(withRow(saved));

  const setActive = async (endpoint: WebhookEndpoint, active: boolean) => {
    setBusy(`active:${endpoint.id}`);
    try {
      replace(await api.patch<WebhookEndpoint>(`/api/admin/webhooks/${endpoint.id}`, { active }));
      notify(active ? 'Endpoint enabled.' : 'Endpoint disabled: nothing more is sent to it.');
    } catch (caught) {
      fail(caught, 'The endpoint could not be changed.');
    } finally {
      setBusy(null);
    }
  };

  const sendTest = async (endpoint: WebhookEndpoint) => {
    setBusy(`test:${endpoint.id}`);
    try {
      await api.post<WebhookDelivery>(`/api/admin/webhooks/${endpoint.id}/test`);
      setSelectedId(endpoint.id);
      setSent((n) => n + 1);
      notify('Test event queued: its delivery shows in the log below.', 'info');
    } catch (caught) {
      fail(caught, 'The test could not be sent.');
    } finally {
      setBusy(null);
    }
  };

  return (
    <SettingsSection
      title="Webhooks"
      description={
        <>
          Order and product events POSTed to other systems, signed with each endpoint's secret (header{' '}
          <code>e3d-signature</code>).
        </>
      }
      actions={
        <button type="button" className="button primary" onClick={() => setEditing({ endpoint: null })}>
          Add endpoint
        </button>
      }
    >
      {!endpoints.data ? (
        <LoadState resource={endpoints} what="Webhook endpoints" />
      ) : items.length === 0 ? (
        <EmptyState>No webhook endpoints: no events are sent anywhere.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Events</th>
                <th scope="col">Secret</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((endpoint) => (
                <tr key={endpoint.id} className={endpoint.id === selectedId ? styles.selected : undefined}>
                  <td>
                    <span className="mono" style={{ wordBreak: 'break-all' }}>
                      {endpoint.url}
                    </span>
                    {endpoint.description && <div className="muted">{endpoint.description}</div>}
                  </td>
                  <td>{eventsSummary(endpoint)}</td>
                  <td className="mono">…{endpoint.secretHint}</td>
                  <td>
                    <StatusBadge status={endpoint.active ? 'active' : 'inactive'} />
                  </td>
                  <td>
                    <div className="row" style={{ justifyContent: 'flex-end' }}>
                      <button
                        type="button"
                        className="button small"
                        aria-pressed={endpoint.id === selectedId}
                        onClick={() => setSelectedId(endpoint.id === selectedId ? null : endpoint.id)}
                        aria-label={`Deliveries of ${endpoint.url}`}
                      >
                        Deliveries
                      </button>
                      <button
                        type="button"
                        className="button small"
                        disabled={!endpoint.active || busy === `test:${endpoint.id}`}
                        title={endpoint.active ? undefined : 'Enable the endpoint first'}
                        onClick={() => void sendTest(endpoint)}
                        aria-label={`Send test to ${endpoint.url}`}
                      >
                        {busy === `test:${endpoint.id}` ? 'Sending…' : 'Send test'}
                      </button>
                      <button
                        type="button"
                        className="button small"
                        onClick={() => setEditing({ endpoint })}
                        aria-label={`Edit ${endpoint.url}`}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="button small"
                        disabled={busy === `active:${endpoint.id}`}
                        onClick={() => void setActive(endpoint, !endpoint.active)}
                        aria-label={`${endpoint.active ? 'Disable' : 'Enable'} ${endpoint.url}`}
                      >
                        {endpoint.active ? 'Disable' : 'Enable'}
                      </button>
                      <button
                        type="button"
                        className="button small"
                        onClick={() => setRotating(endpoint)}
                        aria-label={`Rotate secret of ${endpoint.url}`}
                      >
                        Rotate secret
                      </button>
                      <button
                        type="button"
                        className="button small danger"
                        onClick={() => setDeleting(endpoint)}
                        aria-label={`Delete ${endpoint.url}`}
                      >
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {selected && (
        <section className="card stack" aria-label={`Deliveries of ${selected.url}`}>
          <div className="muted">
            <span className="mono">{selected.url}</span> · added {formatDateTime(selected.createdAt)}
            {!selected.active && ' · disabled: nothing is sent'}
          </div>
          <WebhookDeliveries
            endpointId={selected.id}
            endpointActive={selected.active}
            canRedeliver
            refreshKey={sent}
          />
        </section>
      )}

      <WebhookDialog
        key={editing?.endpoint?.id ?? 'new'}
        open={editing !== null}
        endpoint={editing?.endpoint ?? null}
        onClose={() => setEditing(null)}
        onCreated={(created: WebhookEndpointWithSecret) => {
          setEditing(null);
          const { secret, ...endpoint } = created;
          endpoints.setData(withRow(endpoint));
          setRevealed({ secret, url: endpoint.url, rotated: false });
        }}
        onSaved={(saved) => {
          setEditing(null);
          replace(saved);
          notify('Endpoint saved.');
        }}
      />
      <SecretReveal
        secret={revealed?.secret ?? null}
        url={revealed?.url ?? ''}
        rotated={revealed?.rotated ?? false}
        onClose={() => setRevealed(null)}
      />
      <ConfirmDialog
        open={rotating !== null}
        title="Rotate signing secret"
        confirmLabel="Rotate secret"
        busyLabel="Rotating…"
        onClose={() => setRotating(null)}
        onConfirm={async () => {
          if (!rotating) return;
          const { secret, ...endpoint } = await api.post<WebhookEndpointWithSecret>(
            `/api/admin/webhooks/${rotating.id}/rotate-secret`,
          );
          replace(endpoint);
          setRevealed({ secret, url: endpoint.url, rotated: true });
        }}
      >
        {rotating && (
          <p>
            Give <span className="mono">{rotating.url}</span> a new signing secret? The current one (…
            {rotating.secretHint}) stops working at once, retries included: update the receiving app straight
            away.
          </p>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete webhook endpoint"
        confirmLabel="Delete endpoint"
        busyLabel="Deleting…"
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await api.delete(`/api/admin/webhooks/${deleting.id}`);
          endpoints.setData(withoutRow(deleting.id));
          if (selectedId === deleting.id) setSelectedId(null);
          notify('Endpoint deleted.');
        }}
      >
        {deleting && (
          <p>
            Delete <span className="mono">{deleting.url}</span> and its delivery log? Nothing more is sent to
            it. To pause it instead, disable it.
          </p>
        )}
      </ConfirmDialog>
    </SettingsSection>
  );
}
