import { PaymentError } from './errors.ts';
import type { CreatePaymentInput, WebhookHeaders } from './types.ts';

const invalid = (message: string) => new PaymentError('invalid_request', message);

export function checkAmount(value: unknown, name = 'amount'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid(`${name} must be a positive integer in the currency's smallest unit`);
  }
  return value;
}

/** Validates and normalizes createPayment's input (currency lower case). */
export function checkCreatePayment(input: CreatePaymentInput): CreatePaymentInput {
  const value = input as Partial<Record<keyof CreatePaymentInput, unknown>> | null;
  if (!value || typeof value !== 'object') throw invalid('createPayment input must be an object');
  const amount = checkAmount(value.amount);
  if (typeof value.currency !== 'string' || !/^[a-zA-Z]{3}$/.test(value.currency)) {
    throw invalid('currency must be a three-letter ISO 4217 code');
  }
  if (typeof value.orderId !== 'string' || value.orderId.length === 0 || value.orderId.length > 200) {
    throw invalid('orderId must be a string of 1 to 200 characters');
  }
  if (
    typeof value.idempotencyKey !== 'string' ||
    value.idempotencyKey.length === 0 ||
    value.idempotencyKey.length > 255
  ) {
    throw invalid('idempotencyKey must be a string of 1 to 255 characters');
  }
  if (typeof value.method !== 'string' || value.method.trim().length === 0) {
    throw invalid('method must be a payment method id or test card number');
  }
  return {
    amount,
    currency: value.currency.toLowerCase(),
    orderId: value.orderId,
    idempotencyKey: value.idempotencyKey,
    method: value.method.trim(),
  };
}

export function checkId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 255) throw invalid('id must be a payment id');
  return id;
}

/** One header's value, whatever the case of its name; undefined when absent or repeated. */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
    return value;
  }
  return undefined;
}
