'use client';

import type { WebhookEndpoint, WebhookEndpointWithSecret } from '@e3d/contracts';
import { useId } from 'react';
import { DraftCheck, DraftText } from '@/components/crud/DraftFields';
import { type Checked, ResourceDialog } from '@/components/crud/ResourceDialog';
import type { ResourceList } from '@/components/crud/useResourceList';
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

interface Draft {
  url: string;
  description: string;
  events: EventType[];
  active: boolean;
}

const draftOf = (endpoint: WebhookEndpoint | null): Draft => ({
  url: endpoint?.url ?? '',
  description: endpoint?.description ?? '',
  events: endpoint?.events ?? [],
  active: endpoint?.active ?? true,
});

function check(draft: Draft): Checked<Draft> {
  if (!/^https?:\/\/\S+$/.test(draft.url.trim()))
    return { errors: { url: 'must be an http:// or https:// URL' } };
  return {
    body: { ...draft, url: draft.url.trim(), description: draft.description.trim() },
    mapErrors: eventErrorsOnGroup,
  };
}

/** What saving answers: a new endpoint comes with its secret, shown once. */
export type SavedEndpoint = WebhookEndpoint | WebhookEndpointWithSecret;

/** Registers an endpoint (the answer holds the secret) or edits one. */
export function WebhookDialog({
  list,
  onSaved,
}: {
  list: ResourceList<WebhookEndpoint>;
  onSaved: (endpoint: SavedEndpoint, created: boolean) => void;
}) {
  const formId = useId();
  return (
    <ResourceDialog<WebhookEndpoint, Draft, Draft, SavedEndpoint>
      list={list}
      title={(endpoint) => (endpoint ? 'Edit webhook endpoint' : 'Add webhook endpoint')}
      submitLabel={(endpoint) => (endpoint ? 'Save endpoint' : 'Add endpoint')}
      fallbackError="The endpoint could not be saved."
      draftOf={draftOf}
      check={check}
      onSaved={onSaved}
    >
      {(form) => {
        const { draft, set, errors } = form;
        return (
          <>
            <DraftText
              form={form}
              name="url"
              type="url"
              label="URL"
              hint="Events are POSTed here, signed with the endpoint's secret."
              maxLength={2048}
              required
              placeholder="https://example.com/webhooks/shop"
            />
            <DraftText form={form} name="description" label="Description (optional)" maxLength={500} />
            <fieldset className={styles.events} aria-describedby={`${formId}-events-hint`}>
              <legend>Events</legend>
              {EVENT_TYPES.map((type) => (
                <label key={type}>
                  <input
                    type="checkbox"
                    checked={draft.events.includes(type)}
                    onChange={(e) =>
                      set(
                        'events',
                        e.target.checked ? [...draft.events, type] : draft.events.filter((t) => t !== type),
                      )
                    }
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
                (draft.events.length === 0
                  ? 'None ticked: every event is sent.'
                  : `${draft.events.length} selected.`)}
            </span>
            <DraftCheck
              form={form}
              name="active"
              label="Active"
              hint="Inactive endpoints are sent nothing; their pending deliveries fail."
            />
          </>
        );
      }}
    </ResourceDialog>
  );
}
