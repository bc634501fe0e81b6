import { z } from 'zod';
import { addressSchema } from './accounts.ts';
import { orderSummarySchema } from './commerce.ts';

/** The account states in the database: `deleted` is an anonymised (closed) account. */
export const customerStatusSchema = z.enum(['active', 'deactivated', 'deleted']);

export type CustomerStatus = z.output<typeof customerStatusSchema>;

/** What an anonymised account shows for its email: the address itself is gone. */
export const anonymisedEmail = (customerId: string) => `deleted-${customerId.slice(0, 8)}@anonymised.invalid`;

export const adminCustomerQuerySchema = z.object({
  q: z.string().trim().max(200).optional().describe('Part of the email or the name (case-insensitive)'),
  status: customerStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
});

export type AdminCustomerQuery = z.output<typeof adminCustomerQuerySchema>;

const spentSchema = z
  .object({ amount: z.number().int(), currency: z.string() })
  .nullable()
  .describe('Paid orders in the shop currency, net of refunds; null when nothing was paid');

export const adminCustomerSummarySchema = z
  .object({
    id: z.string(),
    email: z.string().describe('An anonymised account shows a placeholder'),
    name: z.string(),
    status: customerStatusSchema,
    ordersCount: z.number().int().describe('Every order linked to the account, whatever its state'),
    totalSpent: spentSchema,
    lastOrderAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'AdminCustomerSummary' });

export type AdminCustomerSummary = z.output<typeof adminCustomerSummarySchema>;

export const adminCustomerListSchema = z
  .object({ items: z.array(adminCustomerSummarySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AdminCustomerList' });

export type AdminCustomerList = z.output<typeof adminCustomerListSchema>;

export const adminCustomerSchema = z
  .object({
    id: z.string(),
    email: z.string().describe('An anonymised account shows a placeholder'),
    name: z.string(),
    status: customerStatusSchema,
    marketingOptIn: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    addresses: z.array(addressSchema),
    orders: z.array(orderSummarySchema).describe('Newest first, at most 50'),
    ordersCount: z.number().int(),
    totalSpent: spentSchema,
  })
  .meta({ id: 'AdminCustomer' });

export type AdminCustomer = z.output<typeof adminCustomerSchema>;

export const anonymiseCustomerSchema = z
  .object({
    reason: z.string().trim().min(1).max(500).describe('Why, for the audit log (e.g. an erasure request)'),
  })
  .meta({ id: 'AnonymiseCustomer' });
