import type { AdminProduct } from '@e3d/contracts';
import { currencyDigits, parseAmount } from '@/lib/format';

export type PriceMode = 'keep' | 'set' | 'percent';
export type StockMode = 'keep' | 'set' | 'adjust';

export interface BulkSettings {
  priceMode: PriceMode;
  /** An amount ("12.50") for set, a signed percentage ("-10") for percent. */
  priceValue: string;
  stockMode: StockMode;
  /** A count for set, a signed change ("+5", "-2") for adjust. */
  stockValue: string;
}

export interface BulkPreviewRow {
  variantId: string;
  productId: string;
  productTitle: string;
  variantTitle: string;
  sku: string;
  currency: string;
  price: number;
  newPrice: number;
  compareAt: number | null;
  stock: number;
  newStock: number;
  /** Why this row cannot apply, found before asking the API. */
  problem: string | null;
}

const MAX_AMOUNT = 2_147_483_647;

/** What the settings themselves get wrong (per field), before any row is looked at. */
export function settingsErrors(settings: BulkSettings): Partial<Record<'price' | 'stock', string>> {
  const errors: Partial<Record<'price' | 'stock', string>> = {};
  const price = settings.priceValue.trim();
  if (settings.priceMode === 'set' && parseAmount(price, 4) === null)
    errors.price = 'Enter an amount like 12.50';
  if (settings.priceMode === 'percent' && !/^[+-]?\d+(\.\d+)?$/.test(price)) {
    errors.price = 'Enter a percentage like 10 or -15';
  }
  const stock = settings.stockValue.trim();
  if (settings.stockMode === 'set' && !/^\d+$/.test(stock)) errors.stock = 'Enter a whole number, 0 or more';
  if (settings.stockMode === 'adjust' && !/^[+-]?\d+$/.test(stock))
    errors.stock = 'Enter a change like 5 or -3';
  if (settings.priceMode === 'keep' && settings.stockMode === 'keep')
    errors.price = 'Change the price, the stock, or both';
  return errors;
}

/** Every variant of the chosen products, before and after the change. */
export function previewRows(products: AdminProduct[], settings: BulkSettings): BulkPreviewRow[] {
  return products.flatMap((product) =>
    [...product.variants]
      .sort((a, b) => a.position - b.position)
      .map((variant): BulkPreviewRow => {
        const currency = variant.price.currency;
        let problem: string | null = null;
        let newPrice = variant.price.amount;
        if (settings.priceMode === 'set') {
          const parsed = parseAmount(settings.priceValue, currencyDigits(currency));
          if (parsed === null) problem = `Not an amount in ${currency}`;
          else newPrice = parsed;
        } else if (settings.priceMode === 'percent') {
          const percent = Number(settings.priceValue.trim());
          if (Number.isFinite(percent)) newPrice = Math.round(variant.price.amount * (1 + percent / 100));
        }
        if (newPrice < 0) problem = 'The price would be below zero';
        else if (newPrice > MAX_AMOUNT) problem = 'The price would be too large';
        const compareAt = variant.compareAtPrice?.amount ?? null;
        if (!problem && compareAt !== null && compareAt <= newPrice) {
          problem = 'The compare-at price must stay above the price';
        }
        let newStock = variant.stock;
        const count = Number(settings.stockValue.trim());
        if (settings.stockMode === 'set' && Number.isInteger(count)) newStock = count;
        if (settings.stockMode === 'adjust' && Number.isInteger(count)) newStock = variant.stock + count;
        if (!problem && newStock < 0) problem = `Stock would be ${newStock}`;
        if (!problem && newStock > MAX_AMOUNT) problem = 'Stock would be too large';
        return {
          variantId: variant.id,
          productId: product.id,
          productTitle: product.title,
          variantTitle: variant.title,
          sku: variant.sku,
          currency,
          price: variant.price.amount,
          newPrice,
          compareAt,
          stock: variant.stock,
          newStock,
          problem,
        };
      }),
  );
}

/** The API's rows: only the fields that change, for only the variants that change. */
export function bulkRows(rows: BulkPreviewRow[], settings: BulkSettings) {
  return rows
    .filter((r) => r.newPrice !== r.price || r.newStock !== r.stock)
    .map((r) => ({
      variantId: r.variantId,
      ...(settings.priceMode !== 'keep' &&
        r.newPrice !== r.price && { price: { amount: r.newPrice, currency: r.currency } }),
      ...(settings.stockMode !== 'keep' && r.newStock !== r.stock && { stock: r.newStock }),
    }));
}
