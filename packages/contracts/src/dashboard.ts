import { z } from 'zod';

/** Variants at or below this stock show on the dashboard as running low. */
export const LOW_STOCK_THRESHOLD = 5;

export const dashboardQuerySchema = z.object({
  days: z.coerce.number().int().min(7).max(365).default(30).describe('Length of the period, in days'),
});

export type DashboardQuery = z.output<typeof dashboardQuerySchema>;

const salesTotalsSchema = z.object({
  revenue: z.number().int().describe('Minor units, net of refunds'),
  orders: z.number().int(),
});

export const dashboardSalesSchema = z
  .object({
    series: z
      .array(
        z.object({
          date: z.string().describe('YYYY-MM-DD (UTC)'),
          revenue: z.number().int().describe('Minor units, paid orders net of refunds'),
          orders: z.number().int(),
        }),
      )
      .describe('One entry per day of the period, zero days included, oldest first'),
    totals: salesTotalsSchema.extend({
      averageOrderValue: z.number().int().describe('Minor units; 0 when there are no orders'),
    }),
    previousTotals: salesTotalsSchema.describe('The period of the same length just before'),
  })
  .meta({ id: 'DashboardSales' });

export const dashboardBestSellerSchema = z
  .object({
    productId: z.string(),
    title: z.string(),
    handle: z.string(),
    quantity: z.number().int(),
    revenue: z.number().int().describe('Minor units: the line totals'),
  })
  .meta({ id: 'DashboardBestSeller' });

export const dashboardLowStockSchema = z
  .object({
    productId: z.string(),
    productTitle: z.string(),
    variantId: z.string(),
    variantTitle: z.string(),
    sku: z.string().nullable(),
    stock: z.number().int(),
  })
  .meta({ id: 'DashboardLowStock' });

export const dashboardFailedMediaSchema = z
  .object({
    mediaId: z.string(),
    productId: z.string(),
    productTitle: z.string(),
    kind: z.enum(['image', 'model']),
    filename: z.string().nullable(),
    failure: z.object({ code: z.string(), message: z.string() }),
    createdAt: z.string(),
  })
  .meta({ id: 'DashboardFailedMedia' });

export const dashboardSchema = z
  .object({
    days: z.number().int(),
    currency: z.string().describe('The shop currency every amount is in'),
    sales: dashboardSalesSchema.nullable().describe('null without orders:read'),
    bestSellers: z
      .array(dashboardBestSellerSchema)
      .nullable()
      .describe('Top 5 of the period by quantity, paid orders only; null without orders:read'),
    lowStock: z
      .array(dashboardLowStockSchema)
      .nullable()
      .describe(
        `Variants without backorders of products not archived, stock <= ${LOW_STOCK_THRESHOLD}, lowest first, at most 10; null without catalog:read`,
      ),
    failedMedia: z
      .array(dashboardFailedMediaSchema)
      .nullable()
      .describe('Media whose processing failed, newest first, at most 10; null without catalog:read'),
  })
  .meta({ id: 'Dashboard' });

export type Dashboard = z.output<typeof dashboardSchema>;
