'use client';

import type { WebhookEndpoint, WebhookEndpointWithSecret } from '@e3d/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { CheckField, Field } from '@/components/ui/Field';
import { FormDialog } from '@/components/ui/FormDialog';
import { api } from '@/lib/api';
import { useFormSubmit } from '@/lib/use-form-submit';
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

/** Messages about one event (events.2) belong to the events group. */
function eventErrorsOnGroup(fields: Record<string, string>): Record<string, string> {
  for (const key of Object.keys(fields))
    if (key.startsWith('events.')) fields.events ??= fields[key] as string;
  return fields;
}

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
  const { busy, errors, setErrors, formError, reset, submit } = useFormSubmit(
    'The endpoint could not be saved.',
  );

  useEffect(() => {
    if (!open) return;
    setUrl(endpoint?.url ?? '');
    setDescription(endpoint?.description ?? '');
    setEvents(endpoint?.events ?? []);
    setActive(endpoint?.active ?? true);
    reset();
  }, [open, endpoint, reset]);

  const toggle = (type: EventType, on: boolean) =>
    setEvents((list) => (on ? [...list, type] : list.filter((t) => t !== type)));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^https?:\/\/\S+$/.test(url.trim())) {
      setErrors({ url: 'must be an http:// or https:// URL' });
      return;
    }
    setErrors({});
    const body = { url: url.trim(), description: description.trim(), events, active };
    if (endpoint) {
      const saved = await submit(
        () => api.patch<WebhookEndpoint>(`/api/admin/webhooks/${endpoint.id}`, body),
        eventErrorsOnGroup,
      );
      if (saved) onSaved(saved);
    } else {
      const created = await submit(
        () => api.post<WebhookEndpointWithSecret>('/api/admin/webhooks', body),
        eventErrorsOnGroup,
      );
      if (created) onCreated(created);
    }
  };

  return (
    <FormDialog
      open={open}
      title={endpoint ? 'Edit webhook endpoint' : 'Add webhook endpoint'}
      onClose={onClose}
      onSubmit={onSubmit}
      busy={busy}
      error={formError}
      submitLabel={endpoint ? 'Save endpoint' : 'Add endpoint'}
    >
      <Field label="URL" hint="Events are POSTed here, signed with the endpoint's secret." error={errors.url}>
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
    </FormDialog>
  );
}
