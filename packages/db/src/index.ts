export { type SQL, sql } from 'drizzle-orm';
export * from './client.ts';
export * from './migrate.ts';
export type {
  CartLineRow,
  CartRow,
  IdempotencyKeyRow,
  OrderEventRow,
  OrderLineRow,
  OrderRefundRow,
  OrderRow,
  PaymentWebhookEventRow,
  PromotionRow,
  ShippingAddress,
  ShippingMethodRow,
  ShopSettingsRow,
  StockReservationRow,
  TaxRateRow,
  WebhookDeliveryRow,
  WebhookEndpointRow,
} from './schema/commerce.ts';
export type {
  AuditLogRow,
  CustomerAddressRow,
  CustomerRow,
  ImageRendition,
  MediaMaterialVariantRow,
  MediaProcessing,
  ModelStats,
  PasswordResetTokenRow,
  ProductMediaRow,
  ProductVariantRow,
  RefreshTokenRow,
  StaffRow,
} from './schema/index.ts';
export * as schema from './schema/index.ts';
export type { JobRow } from './schema/jobs.ts';
export * from './sql.ts';
export { DatabaseUnavailableError, isDatabaseUnavailable } from './unavailable.ts';
