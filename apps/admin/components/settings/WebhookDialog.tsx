'use client';

import type { WebhookEndpoint, WebhookEndpointWithSecret } from '@e3d/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Dialog } from '@/components/ui/Dialog';
import { api, fieldErrors, isApiError } from '@/lib/api';
import { CheckField, Field } from './Field';
import styles from './settings.module.css';

type EventType = WebhookEndpoint['events'][number];

/**
 * The events an endpoint can subscribe to: WEBHOOK_EVENT_TYPES of @e3d/contracts, repeated here
 * because the admin imports only types from there (the `satisfies` fails if one is misspelt).
 */
const EVENT_TYPES = [
  'order.placed',
  'order.paid',
  'order.fulfilled',
  'order.delivered',
  'order.canceled',
  'order.refunded',
  'product.created',
  'product.updated',
  'product.deleted',
] as const satisfies readonly EventType[];

/** Registers an endpoint (`endpoint` null; the answer holds the secret) or edits one. */
export function WebhookDialog({
  open,
  endpoint,
  onClose,
  onCreated,
  onSaved,
}: {
  open: boolean;
  endpoint: WebhookEndpoint | null;
  onClose: () => void;
  onCreated: (endpoint: WebhookEndpointWithSecret) => void;
  onSaved: (endpoint: WebhookEndpoint) => void;
}) {
  const formId = useId();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<EventType[]>([]);
  const [active, setActive] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setUrl(endpoint?.url ?? '');
    setDescription(endpoint?.description ?? '');
    setEvents(endpoint?.events ?? []);
    setActive(endpoint?.active ?? true);
    setErrors({});
    setFormError(null);
  }, [open, endpoint]);

  const toggle = (type: EventType, on: boolean) =>
    setEvents((list) => (on ? [...list, type] : list.filter((t) => t !== type)));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^https?:\/\/\S+$/.test(url.trim())) {
      setErrors({ url: 'must be an http:// or https:// URL' });
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    const body = { url: url.trim(), description: description.trim(), events, active };
    try {
      if (endpoint) {
        onSaved(await api.patch<WebhookEndpoint>(`/api/admin/webhooks/${endpoint.id}`, body));
      } else {
        onCreated(await api.post<WebhookEndpointWithSecret>('/api/admin/webhooks', body));
      }
    } catch (caught) {
      const fields = fieldErrors(caught);
      // Messages about one event (events.2) belong to the events group.
      for (const key of Object.keys(fields))
        if (key.startsWith('events.')) fields.events ??= fields[key] as string;
      setErrors(fields);
      setFormError(isApiError(caught) ? caught.detail : 'The endpoint could not be saved.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      title={endpoint ? 'Edit webhook endpoint' : 'Add webhook endpoint'}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button primary" disabled={busy}>
            {busy ? 'Saving…' : endpoint ? 'Save endpoint' : 'Add endpoint'}
          </button>
        </>
      }
    >
      <form id={formId} className="stack" onSubmit={onSubmit} noValidate>
        {formError && (
          <p className="notice danger" role="alert">
            {formError}
          </p>
        )}
        <Field
          label="URL"
          hint="Events are POSTed here, signed with the endpoint's secret."
          error={errors.url}
        >
          <input
            type="url"
            value={url}
            maxLength={2048}
            required
            placeholder="https://example.com/webhooks/shop"
            onChange={(e) => setUrl(e.target.value)}
          />
        </Field>
        <Field label="Description (optional)" error={errors.description}>
          <input
            type="text"
            value={description}
            maxLength={500}
            onChange={(e) => setDescription(e.target.value)}
          />
        </Field>
        <fieldset className={styles.events} aria-describedby={`${formId}-events-hint`}>
          <legend>Events</legend>
          {EVENT_TYPES.map((type) => (
            <label key={type}>
              <input
                type="checkbox"
                checked={events.includes(type)}
                onChange={(e) => toggle(type, e.target.checked)}
              />
              <span className="mono">{type}</span>
            </label>
          ))}
        </fieldset>
        <span
          id={`${formId}-events-hint`}
          className={errors.events ? 'error' : 'muted'}
          style={{ fontSize: '0.85rem' }}
        >
          {errors.events ??
            (events.length === 0 ? 'None ticked: every event is sent.' : `${events.length} selected.`)}
        </span>
        <CheckField
          label="Active"
          hint="Inactive endpoints are sent nothing; their pending deliveries fail."
          error={errors.active}
          checked={active}
          onChange={setActive}
        />
      </form>
    </Dialog>
  );
}
