import type { AuditEntry } from '@e3d/contracts';
import type { Permission } from '@/components/session/StaffSession';

/** The entity types the API records (entity_type of the audit log), for the filter. */
export const ENTITY_TYPES = [
  'product',
  'variant',
  'media',
  'category',
  'collection',
  'order',
  'promotion',
  'shipping_method',
  'tax_rate',
  'shop_settings',
  'staff',
  'webhook_endpoint',
  'webhook_delivery',
] as const;

/** Actions the API records, offered as suggestions (the filter takes any text). */
export const KNOWN_ACTIONS = [
  'product.create',
  'product.update',
  'product.publish',
  'product.unpublish',
  'product.archive',
  'product.delete',
  'variant.update',
  'variant.bulk_update',
  'media.confirm',
  'media.update',
  'media.replace',
  'media.reorder',
  'media.delete',
  'media.material_variants_set',
  'category.create',
  'category.update',
  'category.delete',
  'collection.create',
  'collection.update',
  'collection.products_set',
  'collection.delete',
  'order.capture',
  'order.fulfil',
  'order.deliver',
  'order.cancel',
  'order.refund',
  'order.resend_email',
  'promotion.create',
  'promotion.update',
  'promotion.delete',
  'shipping_method.create',
  'shipping_method.update',
  'shipping_method.delete',
  'tax_rate.create',
  'tax_rate.update',
  'tax_rate.delete',
  'shop_settings.update',
  'staff.invite',
  'staff.update',
  'webhook_endpoint.create',
  'webhook_endpoint.update',
  'webhook_endpoint.rotate_secret',
  'webhook_endpoint.test',
  'webhook_endpoint.delete',
  'webhook_delivery.redeliver',
];

const field = (doc: unknown, key: string): string | null => {
  if (typeof doc !== 'object' || doc === null) return null;
  const value = (doc as Record<string, unknown>)[key];
  return typeof value === 'string' && value ? value : null;
};

/**
 * Where the admin shows the entity an entry is about, when it still can: products and orders by
 * id, media on its page, settings and staff on their pages; variants link to their product when
 * the entry names it. Null for what has no page (or a deletion of something with its own page).
 */
export function entityHref(entry: AuditEntry, can: (p: Permission) => boolean): string | null {
  const id = entry.entityId;
  const deleted = entry.after === null;
  switch (entry.entityType) {
    case 'product':
      return id && !deleted && can('catalog:read') ? `/products/${id}` : null;
    case 'media':
      if (id && !deleted && can('catalog:read')) return `/media/${id}`;
      return null;
    case 'variant': {
      const productId = field(entry.after, 'productId') ?? field(entry.before, 'productId');
      return productId && can('catalog:read') ? `/products/${productId}` : null;
    }
    case 'order':
      return id && can('orders:read') ? `/orders/${id}` : null;
    case 'staff':
      return can('staff:read') ? '/staff' : null;
    case 'promotion':
      return can('settings:write') ? '/settings/promotions' : null;
    case 'shipping_method':
      return can('settings:write') ? '/settings/shipping' : null;
    case 'tax_rate':
      return can('settings:write') ? '/settings/tax' : null;
    case 'shop_settings':
      return can('settings:write') ? '/settings' : null;
    case 'webhook_endpoint':
    case 'webhook_delivery':
      return can('settings:write') ? '/settings/webhooks' : null;
    default:
      return null;
  }
}

/** A human name for the entity from its document ("Linen shirt", "SUMMER10", "ana@shop.test"). */
export function entityLabel(entry: AuditEntry): string | null {
  for (const doc of [entry.after, entry.before]) {
    for (const key of ['title', 'name', 'code', 'email', 'number', 'sku', 'url', 'handle']) {
      const value = field(doc, key);
      if (value) return value;
    }
  }
  return null;
}
