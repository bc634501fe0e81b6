import { z } from 'zod';

/** The events an endpoint can subscribe to (the same list as EVENT_TYPES in @e3d/commerce). */
export const WEBHOOK_EVENT_TYPES = [
  'order.placed',
  'order.paid',
  'order.fulfilled',
  'order.delivered',
  'order.canceled',
  'order.refunded',
  'product.created',
  'product.updated',
  'product.deleted',
] as const;

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES).meta({ id: 'WebhookEventType' });

const webhookUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL', abort: true })
  .max(2048)
  .regex(/^https?:\/\//, 'must start with http:// or https:// (lower case)')
  .describe('Where events are POSTed; any http(s) URL, localhost included');

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(webhookEventTypeSchema).describe('Subscribed event types; empty = every event'),
    active: z.boolean(),
    secretHint: z.string().describe('The last 4 characters of the signing secret'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });

export type WebhookEndpoint = z.output<typeof webhookEndpointSchema>;

/** Answered by create and rotate-secret only: the secret is never shown again. */
export const webhookEndpointWithSecretSchema = webhookEndpointSchema
  .extend({
    secret: z
      .string()
      .describe('The signing secret (`whsec_…`). Shown once: store it now; rotate it if it is lost.'),
  })
  .meta({ id: 'WebhookEndpointWithSecret' });

export type WebhookEndpointWithSecret = z.output<typeof webhookEndpointWithSecretSchema>;

export const webhookEndpointListSchema = z
  .object({ items: z.array(webhookEndpointSchema) })
  .meta({ id: 'WebhookEndpointList' });

export const webhookEndpointCreateSchema = z
  .object({
    url: webhookUrlSchema,
    description: z.string().trim().max(500).default(''),
    events: z.array(webhookEventTypeSchema).max(50).default([]).describe('Empty = every event'),
    active: z.boolean().default(true),
  })
  .meta({ id: 'WebhookEndpointCreate' });

export const webhookEndpointUpdateSchema = z
  .object({
    url: webhookUrlSchema.optional(),
    description: z.string().trim().max(500).optional(),
    events: z.array(webhookEventTypeSchema).max(50).optional().describe('Empty = every event'),
    active: z.boolean().optional().describe('false: nothing is sent; pending deliveries fail'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'give url, description, events or active',
    path: ['url'],
  })
  .meta({ id: 'WebhookEndpointUpdate' });

export const webhookDeliveryStatusSchema = z.enum(['pending', 'succeeded', 'failed']);

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    eventId: z.string().describe('The same for every endpoint and every attempt: receivers dedupe on it'),
    eventType: z.string().describe('An event type, or `webhook.test` for a ping'),
    status: webhookDeliveryStatusSchema,
    attempts: z.number().int().describe('Attempts made so far (redeliveries add to it)'),
    lastStatusCode: z.number().int().nullable().describe('null when no response (timeout, refused)'),
    lastError: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
    payload: z.unknown().describe('The exact event body sent'),
  })
  .meta({ id: 'WebhookDelivery' });

export type WebhookDelivery = z.output<typeof webhookDeliverySchema>;

export const webhookDeliveryListQuerySchema = z.object({
  status: webhookDeliveryStatusSchema.optional(),
  eventType: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
});

export type WebhookDeliveryListQuery = z.output<typeof webhookDeliveryListQuerySchema>;

export const webhookDeliveryListSchema = z
  .object({ items: z.array(webhookDeliverySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'WebhookDeliveryList' });
