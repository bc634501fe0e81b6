'use client';

import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret } from '@e3d/contracts';
import { useState } from 'react';
import { ResourceDeleteDialog } from '@/components/crud/ResourceDeleteDialog';
import { type Column, ResourceTable } from '@/components/crud/ResourceTable';
import { RowButtons } from '@/components/crud/RowButtons';
import { useResourceList } from '@/components/crud/useResourceList';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { useToasts } from '@/components/ui/Toasts';
import { api } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { SecretReveal } from './SecretReveal';
import { EmptyState, SettingsSection } from './SettingsSection';
import styles from './settings.module.css';
import { WebhookDeliveries } from './WebhookDeliveries';
import { WebhookDialog } from './WebhookDialog';

type Revealed = { secret: string; url: string; rotated: boolean } | null;

const COLUMNS: Column<WebhookEndpoint>[] = [
  {
    header: 'Endpoint',
    cell: (endpoint) => (
      <>
        <span className="mono" style={{ wordBreak: 'break-all' }}>
          {endpoint.url}
        </span>
        {endpoint.description && <div className="muted">{endpoint.description}</div>}
      </>
    ),
  },
  {
    header: 'Events',
    cell: (endpoint) => (endpoint.events.length === 0 ? 'All events' : endpoint.events.join(', ')),
  },
  { header: 'Secret', className: 'mono', cell: (endpoint) => `…${endpoint.secretHint}` },
  { header: 'Status', cell: (endpoint) => <StatusBadge status={endpoint.active ? 'active' : 'inactive'} /> },
];

/** Outbound webhook endpoints, their signing secrets and their delivery log. */
export function Webhooks() {
  const { notify } = useToasts();
  const endpoints = useResourceList<WebhookEndpoint>({
    path: '/api/admin/webhooks',
    notices: { saved: () => 'Endpoint saved.', deleted: () => 'Endpoint deleted.' },
  });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<Revealed>(null);
  const [rotating, setRotating] = useState<WebhookEndpoint | null>(null);
  const [sent, setSent] = useState(0);

  const selected = endpoints.items?.find((e) => e.id === selectedId) ?? null;
  const { busy } = endpoints;

  const setActive = (endpoint: WebhookEndpoint, active: boolean) =>
    endpoints.act(
      `active:${endpoint.id}`,
      async () => {
        await endpoints.update(endpoint, { active });
        notify(active ? 'Endpoint enabled.' : 'Endpoint disabled: nothing more is sent to it.');
      },
      'The endpoint could not be changed.',
    );

  const sendTest = (endpoint: WebhookEndpoint) =>
    endpoints.act(
      `test:${endpoint.id}`,
      async () => {
        await api.post<WebhookDelivery>(`${endpoints.itemPath(endpoint)}/test`);
        setSelectedId(endpoint.id);
        setSent((n) => n + 1);
        notify('Test event queued: its delivery shows in the log below.', 'info');
      },
      'The test could not be sent.',
    );

  /** A new endpoint's (or a rotated) secret is shown once, in its own dialog. */
  const showWithSecret = ({ secret, ...endpoint }: WebhookEndpointWithSecret, rotated: boolean) => {
    endpoints.upsert(endpoint);
    setRevealed({ secret, url: endpoint.url, rotated });
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
        <button type="button" className="button primary" onClick={endpoints.create}>
          Add endpoint
        </button>
      }
    >
      <ResourceTable
        list={endpoints}
        what="Webhook endpoints"
        empty={<EmptyState>No webhook endpoints: no events are sent anywhere.</EmptyState>}
        columns={COLUMNS}
        rowClassName={(endpoint) => (endpoint.id === selectedId ? styles.selected : undefined)}
        actions={(endpoint) => {
          const testing = busy === `test:${endpoint.id}`;
          return (
            <RowButtons
              wrap
              buttons={[
                {
                  label: 'Deliveries',
                  name: `Deliveries of ${endpoint.url}`,
                  pressed: endpoint.id === selectedId,
                  onClick: () => setSelectedId(endpoint.id === selectedId ? null : endpoint.id),
                },
                {
                  label: testing ? 'Sending…' : 'Send test',
                  name: `Send test to ${endpoint.url}`,
                  disabled: !endpoint.active || testing,
                  title: endpoint.active ? undefined : 'Enable the endpoint first',
                  onClick: () => void sendTest(endpoint),
                },
                { label: 'Edit', name: `Edit ${endpoint.url}`, onClick: () => endpoints.edit(endpoint) },
                {
                  label: endpoint.active ? 'Disable' : 'Enable',
                  name: `${endpoint.active ? 'Disable' : 'Enable'} ${endpoint.url}`,
                  disabled: busy === `active:${endpoint.id}`,
                  onClick: () => void setActive(endpoint, !endpoint.active),
                },
                {
                  label: 'Rotate secret',
                  name: `Rotate secret of ${endpoint.url}`,
                  onClick: () => setRotating(endpoint),
                },
                {
                  label: 'Delete',
                  name: `Delete ${endpoint.url}`,
                  danger: true,
                  onClick: () => endpoints.askDelete(endpoint),
                },
              ]}
            />
          );
        }}
      />

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
        list={endpoints}
        onSaved={(saved, created) => {
          if ('secret' in saved) {
            endpoints.closeEditor();
            showWithSecret(saved, false);
          } else endpoints.saved(saved, created);
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
          showWithSecret(
            await api.post<WebhookEndpointWithSecret>(`${endpoints.itemPath(rotating)}/rotate-secret`),
            true,
          );
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
      <ResourceDeleteDialog
        list={endpoints}
        title="Delete webhook endpoint"
        confirmLabel="Delete endpoint"
        onDeleted={(endpoint) => {
          if (selectedId === endpoint.id) setSelectedId(null);
        }}
      >
        {(endpoint) => (
          <p>
            Delete <span className="mono">{endpoint.url}</span> and its delivery log? Nothing more is sent to
            it. To pause it instead, disable it.
          </p>
        )}
      </ResourceDeleteDialog>
    </SettingsSection>
  );
}
