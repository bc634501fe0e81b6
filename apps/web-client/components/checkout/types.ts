import type {
  checkoutResultSchema,
  orderListSchema,
  orderSchema,
  shippingOptionsSchema,
} from '@e3d/contracts';

/** `z.output<T>` without importing zod into the storefront (types only). */
type Output<T> = T extends { _zod: { output: infer O } } ? O : never;

export type CheckoutResult = Output<typeof checkoutResultSchema>;
export type Order = Output<typeof orderSchema>;
export type OrderList = Output<typeof orderListSchema>;
export type OrderSummary = OrderList['items'][number];
export type ShippingOption = Output<typeof shippingOptionsSchema>['items'][number];

/** GET /api/payments/config */
export interface PaymentsConfig {
  provider: 'test' | 'stripe';
  publishableKey: string | null;
  testCards: { number: string; outcome: string }[];
}
