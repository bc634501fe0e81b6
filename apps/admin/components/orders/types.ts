import type {
  adminOrderSchema,
  orderListSchema,
  refundInputSchema,
  resendEmailInputSchema,
} from '@e3d/contracts';

/** `z.output<T>` without importing zod into the admin (types only). */
type Output<T> = T extends { _zod: { output: infer O } } ? O : never;

export type AdminOrder = Output<typeof adminOrderSchema>;
export type OrderList = Output<typeof orderListSchema>;
export type OrderSummary = OrderList['items'][number];
export type OrderStatus = AdminOrder['status'];
export type PaymentStatus = AdminOrder['paymentStatus'];
export type OrderLine = AdminOrder['lines'][number];
export type OrderHistoryEntry = AdminOrder['history'][number];
export type OrderRefund = AdminOrder['refunds'][number];
export type ShippingAddress = AdminOrder['shippingAddress'];
export type RefundInput = Output<typeof refundInputSchema>;
export type EmailKind = Output<typeof resendEmailInputSchema>['kind'];

/** The values of the API's enums, in lifecycle order (for filters). */
export const ORDER_STATUSES: readonly OrderStatus[] = [
  'pending',
  'paid',
  'fulfilled',
  'delivered',
  'canceled',
  'refunded',
];

export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'pending',
  'requires_action',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'declined',
  'canceled',
];

/** What every order action dialog gets: the order, a way out, and where the updated order (and the toast's text) go. */
export interface OrderDialogProps {
  order: AdminOrder;
  onClose: () => void;
  onDone: (order: AdminOrder, message: string) => void;
}
