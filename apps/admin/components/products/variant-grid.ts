import type { AdminProduct, AdminVariant } from '@e3d/contracts';
import { amountInput, parseAmount } from '@/lib/format';
import { slugify } from './slug';

/**
 * The option/variant grid as edited: raw text as typed (so "12." or "Red, " survive a render),
 * turned into the API's payload only on save. Variants refer to options by a local key, so
 * renaming an option keeps every variant's choice.
 */
export interface OptionDraft {
  key: string;
  name: string;
  /** Comma-separated values, as typed. */
  values: string;
}

export interface VariantDraft {
  key: string;
  id?: string;
  sku: string;
  /** Option key → value. */
  values: Record<string, string>;
  price: string;
  compareAt: string;
  stock: string;
  allowBackorder: boolean;
  weight: string;
  /** A title someone set that is not just the option values; kept as is. */
  customTitle?: string;
  /** Not edited in the grid, but sent back so a save does not clear them. */
  dimensionsMm: AdminVariant['dimensionsMm'];
}

export interface GridDraft {
  options: OptionDraft[];
  variants: VariantDraft[];
}

export interface VariantPayload {
  options: { name: string; values: string[] }[];
  variants: {
    id?: string;
    sku: string;
    title?: string;
    options: Record<string, string>;
    price: { amount: number; currency: string };
    compareAtPrice: { amount: number; currency: string } | null;
    stock: number;
    allowBackorder: boolean;
    weightGrams: number | null;
    dimensionsMm: AdminVariant['dimensionsMm'];
  }[];
}

export const MAX_VARIANTS = 2000;

let keySeed = 0;
export const newKey = (prefix: string) => `${prefix}-new-${++keySeed}`;

/** The distinct values of an option's text, in order ("Red, Blue, red" keeps both spellings). */
export function optionValues(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const value = part.trim();
    if (value) seen.add(value);
  }
  return [...seen];
}

/** Options that take part in the grid: named, or with values (a half-filled one is an error). */
const activeOptions = (grid: GridDraft) => grid.options.filter((o) => o.name.trim() || o.values.trim());

export function gridFromProduct(product: AdminProduct, digits: number): GridDraft {
  const options = [...product.options]
    .sort((a, b) => a.position - b.position)
    .map((o) => ({
      key: o.id,
      name: o.name,
      values: [...o.values]
        .sort((a, b) => a.position - b.position)
        .map((v) => v.value)
        .join(', '),
    }));
  const keyOf = new Map(product.options.map((o) => [o.name, o.id]));
  const variants = [...product.variants]
    .sort((a, b) => a.position - b.position)
    .map((v): VariantDraft => {
      const values: Record<string, string> = {};
      for (const [name, value] of Object.entries(v.options)) {
        const key = keyOf.get(name);
        if (key) values[key] = value;
      }
      const automatic = autoTitle(options, values);
      return {
        key: v.id,
        id: v.id,
        sku: v.sku,
        values,
        price: amountInput(v.price.amount, digits),
        compareAt: v.compareAtPrice ? amountInput(v.compareAtPrice.amount, digits) : '',
        stock: String(v.stock),
        allowBackorder: v.allowBackorder,
        weight: v.weightGrams === null ? '' : String(v.weightGrams),
        ...(v.title !== automatic && { customTitle: v.title }),
        dimensionsMm: v.dimensionsMm,
      };
    });
  return { options, variants };
}

/** "Red / S", or "Default" for a product without options (what the API names it). */
export function autoTitle(options: OptionDraft[], values: Record<string, string>): string {
  return (
    options
      .filter((o) => o.name.trim())
      .map((o) => values[o.key] ?? '')
      .filter(Boolean)
      .join(' / ') || 'Default'
  );
}

/** How a row is named to people and screen readers: its title, or its position while incomplete. */
export function variantLabel(grid: GridDraft, variant: VariantDraft, index: number): string {
  if (variant.customTitle) return variant.customTitle;
  const named = activeOptions(grid);
  if (named.length === 0) return grid.variants.length > 1 ? `variant ${index + 1}` : 'Default';
  const complete = named.every((o) => optionValues(o.values).includes(variant.values[o.key] ?? ''));
  return complete ? autoTitle(named, variant.values) : `variant ${index + 1}`;
}

const comboKey = (options: OptionDraft[], values: Record<string, string>) =>
  JSON.stringify(options.map((o) => values[o.key] ?? null));

function cartesian(options: OptionDraft[]): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const option of options) {
    const values = optionValues(option.values);
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [option.key]: value })));
  }
  return combos;
}

export function suggestSku(handle: string, values: string[]): string {
  return [handle || 'item', ...values.map(slugify).filter(Boolean)].join('-').slice(0, 100).toUpperCase();
}

/**
 * Adds a row for every combination of the options' values that has none yet; a row without
 * any option value (the single variant of a product that had no options) takes the first
 * combination, so its id, price and stock carry over. Existing rows are never removed here.
 */
export function generateVariants(
  grid: GridDraft,
  handle: string,
): { grid: GridDraft; added: number; error?: string } {
  const options = activeOptions(grid).filter((o) => o.name.trim() && optionValues(o.values).length > 0);
  if (options.length === 0) return { grid, added: 0, error: 'Name an option and give it values first.' };
  const combos = cartesian(options);
  if (combos.length > MAX_VARIANTS) {
    return {
      grid,
      added: 0,
      error: `That makes ${combos.length} variants; a product can have ${MAX_VARIANTS}.`,
    };
  }
  const variants = [...grid.variants];
  const present = new Set(variants.map((v) => comboKey(options, v.values)));
  const template = variants[0];
  let added = 0;
  for (const combo of combos) {
    const key = comboKey(options, combo);
    if (present.has(key)) continue;
    present.add(key);
    const blank = variants.findIndex((v) => options.every((o) => !v.values[o.key]));
    const sku = suggestSku(
      handle,
      options.map((o) => combo[o.key] ?? ''),
    );
    if (blank >= 0) {
      const row = variants[blank] as VariantDraft;
      variants[blank] = { ...row, values: { ...row.values, ...combo }, sku: row.id ? row.sku : sku };
      added++;
      continue;
    }
    variants.push({
      key: newKey('variant'),
      sku,
      values: combo,
      price: template?.price ?? '',
      compareAt: template?.compareAt ?? '',
      stock: '0',
      allowBackorder: false,
      weight: template?.weight ?? '',
      dimensionsMm: null,
    });
    added++;
  }
  return { grid: { ...grid, variants }, added };
}

export function blankVariant(grid: GridDraft, handle: string): VariantDraft {
  const template = grid.variants[0];
  return {
    key: newKey('variant'),
    sku: grid.variants.length === 0 ? suggestSku(handle, []) : '',
    values: {},
    price: template?.price ?? '',
    compareAt: '',
    stock: '0',
    allowBackorder: false,
    weight: template?.weight ?? '',
    dimensionsMm: null,
  };
}

/**
 * Checks the grid the way the API will and builds its payload. Errors are keyed by the API's
 * field paths (`variants.2.price.amount`), except option choices, which use the option's local
 * key (`variants.2.options.<key>`) so they stay on the right select after a rename.
 */
export function buildVariantPayload(
  grid: GridDraft,
  currency: string,
  digits: number,
): { payload: VariantPayload | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const options = activeOptions(grid);
  const names = new Set<string>();
  options.forEach((o) => {
    const name = o.name.trim();
    const index = grid.options.indexOf(o);
    if (!name) errors[`options.${index}.name`] = 'Name this option, e.g. Colour';
    else if (names.has(name.toLowerCase())) errors[`options.${index}.name`] = 'Another option has this name';
    names.add(name.toLowerCase());
    const values = optionValues(o.values);
    if (values.length === 0) errors[`options.${index}.values`] = 'Give at least one value';
    if (values.length > 100) errors[`options.${index}.values`] = 'At most 100 values';
    if (name.length > 100) errors[`options.${index}.name`] = 'At most 100 characters';
  });
  if (options.length > 10) errors.options = 'A product can have at most 10 options';
  if (options.length === 0 && grid.variants.length > 1) {
    errors.options = 'Add an option (like Size) to have more than one variant';
  }
  if (grid.variants.length > MAX_VARIANTS)
    errors.variants = `A product can have at most ${MAX_VARIANTS} variants`;

  const skus = new Map<string, number>();
  const combos = new Map<string, number>();
  const variants: VariantPayload['variants'] = [];
  grid.variants.forEach((v, i) => {
    const at = (field: string, message: string) => {
      errors[`variants.${i}.${field}`] ??= message;
    };
    const chosen: Record<string, string> = {};
    for (const o of options) {
      const value = v.values[o.key] ?? '';
      if (!optionValues(o.values).includes(value)) at(`options.${o.key}`, 'Pick a value');
      else chosen[o.name.trim()] = value;
    }
    if (options.length > 0) {
      const combo = comboKey(options, v.values);
      const other = combos.get(combo);
      if (other !== undefined) at('options', `Same options as row ${other + 1}`);
      else combos.set(combo, i);
    }
    const sku = v.sku.trim();
    if (!sku) at('sku', 'Required');
    else if (sku.length > 100) at('sku', 'At most 100 characters');
    else if (skus.has(sku)) at('sku', `Also used by row ${(skus.get(sku) ?? 0) + 1}`);
    skus.set(sku, i);
    const price = parseAmount(v.price, digits);
    if (price === null) at('price.amount', v.price.trim() ? 'Not an amount' : 'Required');
    const compareAt = v.compareAt.trim() ? parseAmount(v.compareAt, digits) : null;
    if (v.compareAt.trim() && compareAt === null) at('compareAtPrice.amount', 'Not an amount');
    else if (compareAt !== null && price !== null && compareAt <= price) {
      at('compareAtPrice.amount', 'Must be above the price');
    }
    const stock = /^\d+$/.test(v.stock.trim()) ? Number(v.stock.trim()) : null;
    if (stock === null) at('stock', 'A whole number, 0 or more');
    const weight = v.weight.trim()
      ? /^\d+$/.test(v.weight.trim())
        ? Number(v.weight.trim())
        : null
      : undefined;
    if (weight === null) at('weightGrams', 'Whole grams, 0 or more');
    if (price !== null && stock !== null && weight !== null) {
      variants.push({
        ...(v.id && { id: v.id }),
        sku,
        ...(v.customTitle && { title: v.customTitle }),
        options: chosen,
        price: { amount: price, currency },
        compareAtPrice: compareAt === null ? null : { amount: compareAt, currency },
        stock,
        allowBackorder: v.allowBackorder,
        weightGrams: weight ?? null,
        dimensionsMm: v.dimensionsMm,
      });
    }
  });
  if (Object.keys(errors).length > 0) return { payload: null, errors };
  return {
    payload: {
      options: options.map((o) => ({ name: o.name.trim(), values: optionValues(o.values) })),
      variants,
    },
    errors,
  };
}

/** The API names option fields by option name (`variants.1.options.Colour`); the grid by key. */
export function gridErrorsFromApi(
  apiErrors: Record<string, string>,
  grid: GridDraft,
): Record<string, string> {
  const keyOf = new Map(grid.options.map((o) => [o.name.trim(), o.key]));
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(apiErrors)) {
    const match = /^variants\.(\d+)\.options\.(.+)$/.exec(field);
    const key = match ? keyOf.get(match[2] ?? '') : undefined;
    out[match && key ? `variants.${match[1]}.options.${key}` : field] = message;
  }
  return out;
}
