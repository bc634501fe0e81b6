import { stat } from 'node:fs/promises';
import path from 'node:path';
import { gltfSiblingFiles, isModelFile } from './model-file.ts';
import { isCurrencyCode, parsePrice } from './price.ts';

export type ProductStatus = 'draft' | 'published' | 'archived';
const STATUSES: readonly ProductStatus[] = ['draft', 'published', 'archived'];

/** One problem in the source, named by where it is: `row 3`, `item 2`, `folder oak-table`. */
export interface ImportProblem {
  where: string;
  /** The manifest's row (CSV: the line number a spreadsheet shows; JSON: the item's 1-based index). */
  row?: number;
  field?: string;
  message: string;
}

/** A file of the source that becomes a media row. */
export interface ImportFile {
  /** Absolute path on this machine. */
  path: string;
  bytes: number;
}

export interface ImportVariant {
  sku: string;
  /** `Default` for a product without options, else its option values: `Oak / Large`. */
  title: string;
  /** Integer minor units of `currency`. */
  priceAmount: number;
  compareAtAmount: number | null;
  currency: string;
  stock: number;
  /** Option name → value, one entry per option of the product. */
  options: Record<string, string>;
}

/** A product read and checked, ready to be written. */
export interface ImportProduct {
  where: string;
  row?: number;
  handle: string;
  title: string;
  description: string;
  status: ProductStatus;
  options: { name: string; values: string[] }[];
  variants: ImportVariant[];
  /** Category paths, each a list of handles from the top (`home-decor/lighting` → two); first = primary. */
  categories: string[][];
  /** In display order: the first is the listing thumbnail. */
  images: ImportFile[];
  model: ImportFile | null;
  /** Credit line the model's licence asks for (CC BY), shown wherever it is. */
  modelAttribution: string | null;
}

export interface ImportDefaults {
  /** Currency of rows that name none (ISO 4217). */
  currency: string;
  /** Status of rows that name none: `draft`, or `published` with `--publish`. */
  status: ProductStatus;
  /** Price of a folder product whose product.json gives none (manifest rows must give theirs). */
  folderPrice: string;
  maxImageBytes: number;
  maxModelBytes: number;
}

/** The fields a JSON manifest item or a product.json may hold. */
export const PRODUCT_FIELDS = [
  'handle',
  'title',
  'description',
  'status',
  'price',
  'compareAtPrice',
  'currency',
  'sku',
  'stock',
  'category',
  'categories',
  'options',
  'variants',
  'images',
  'model',
  'modelAttribution',
] as const;

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.avif', '.gif'];
export const isImageFile = (file: string) => IMAGE_EXTENSIONS.includes(path.extname(file).toLowerCase());

const HANDLE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const INTEGER = /^\d+$/;
const MAX_INT = 2_147_483_647;

/** `Oak Table (2024)!` → `oak-table-2024`. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `oak-table` or `oak_table` → `Oak Table`. */
export function titleFromName(name: string): string {
  return name
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

export interface NormalizeContext {
  where: string;
  row?: number;
  /** Relative file paths resolve from here (the manifest's or the product folder's). */
  baseDir: string;
  defaults: ImportDefaults;
  /** What a folder supplies when its product.json (if any) is silent. */
  fallback?: { handle: string; title: string; images: string[]; model: string | null };
}

/**
 * Checks one product as a manifest row or a product.json gives it (strings from CSV, JSON
 * values from JSON) and returns it normalized, or every problem found. Files are looked at
 * (present, right kind, within the size limit) but not read.
 */
export async function normalizeProduct(
  spec: Record<string, unknown>,
  ctx: NormalizeContext,
): Promise<{ product: ImportProduct | null; problems: ImportProblem[] }> {
  const problems: ImportProblem[] = [];
  const problem = (field: string | undefined, message: string) =>
    problems.push({
      where: ctx.where,
      ...(ctx.row !== undefined && { row: ctx.row }),
      ...(field && { field }),
      message,
    });

  for (const key of Object.keys(spec)) {
    if (!(PRODUCT_FIELDS as readonly string[]).includes(key)) problem(key, `unknown field "${key}"`);
  }
  const text = (field: string): string | undefined => {
    const value = spec[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') {
      problem(field, 'must be text');
      return undefined;
    }
    return value.trim() === '' ? undefined : value.trim();
  };

  const title = text('title') ?? ctx.fallback?.title;
  if (!title) problem('title', 'is required');

  let handle = text('handle') ?? ctx.fallback?.handle ?? (title ? slugify(title) : undefined);
  if (handle === '') {
    problem('handle', 'is required: none can be made from the title');
    handle = undefined;
  } else if (handle !== undefined && !HANDLE.test(handle)) {
    problem('handle', `"${handle}" must be lower-case letters and digits joined by single hyphens`);
    handle = undefined;
  }

  const status = (text('status')?.toLowerCase() ?? ctx.defaults.status) as ProductStatus;
  if (!STATUSES.includes(status)) problem('status', `must be one of ${STATUSES.join(', ')}`);

  const currency = text('currency')?.toUpperCase() ?? ctx.defaults.currency;
  const currencyOk = isCurrencyCode(currency);
  if (!currencyOk) problem('currency', `"${currency}" is not an ISO 4217 currency code like USD`);

  const money = (field: string, value: string | undefined, required: boolean): number | null => {
    if (value === undefined) {
      if (required) problem(field, 'is required');
      return null;
    }
    if (!currencyOk) return null;
    const parsed = parsePrice(value, currency);
    if (!parsed.ok) {
      problem(field, parsed.reason);
      return null;
    }
    return parsed.amount;
  };
  const count = (field: string, value: unknown): number => {
    if (value === undefined || value === null || value === '') return 0;
    const s = String(value).trim();
    if (!INTEGER.test(s) || Number(s) > MAX_INT) {
      problem(field, `"${s}" must be a whole number of 0 or more`);
      return 0;
    }
    return Number(s);
  };

  const price = text('price') ?? (ctx.fallback ? ctx.defaults.folderPrice : undefined);
  const options = readOptions(spec.options, problem);
  const variants: ImportVariant[] = [];
  if (Array.isArray(spec.variants) && spec.variants.length > 0) {
    const combos = new Set<string>();
    spec.variants.forEach((raw, i) => {
      const field = `variants[${i}]`;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
        problem(field, 'must be an object');
        return;
      }
      const v = raw as Record<string, unknown>;
      const picked: Record<string, string> = {};
      const given = (v.options ?? {}) as Record<string, unknown>;
      for (const option of options) {
        const value = given[option.name];
        if (typeof value !== 'string' || !option.values.includes(value)) {
          problem(`${field}.options`, `needs one of ${option.name}: ${option.values.join(', ')}`);
        } else picked[option.name] = value;
      }
      for (const name of Object.keys(given)) {
        if (!options.some((o) => o.name === name)) problem(`${field}.options`, `unknown option "${name}"`);
      }
      const combo = options.map((o) => picked[o.name]).join('\u0000');
      if (combos.has(combo)) problem(field, 'has the same option values as another variant');
      combos.add(combo);
      const variantPrice = v.price === undefined || v.price === null ? price : String(v.price).trim();
      const amount = money(`${field}.price`, variantPrice, true);
      const compareAt = money(
        `${field}.compareAtPrice`,
        v.compareAtPrice == null ? text('compareAtPrice') : String(v.compareAtPrice),
        false,
      );
      const optionSlug = options.map((o) => slugify(picked[o.name] ?? '')).join('-');
      variants.push({
        sku:
          typeof v.sku === 'string' && v.sku.trim()
            ? v.sku.trim()
            : `${handle ?? ''}-${optionSlug || i + 1}`.toUpperCase(),
        title: options.length === 0 ? 'Default' : options.map((o) => picked[o.name]).join(' / '),
        priceAmount: amount ?? 0,
        compareAtAmount: compareAt,
        currency,
        stock: count(`${field}.stock`, v.stock ?? spec.stock),
        options: picked,
      });
    });
    if (options.length === 0 && variants.length > 1) {
      problem('variants', 'several variants need options that tell them apart');
    }
  } else {
    if (spec.variants !== undefined && !Array.isArray(spec.variants)) problem('variants', 'must be a list');
    if (options.length > 0) problem('variants', 'options are given, but no variants that pick them');
    variants.push({
      sku: text('sku') ?? (handle ?? '').toUpperCase(),
      title: 'Default',
      priceAmount: money('price', price, true) ?? 0,
      compareAtAmount: money('compareAtPrice', text('compareAtPrice'), false),
      currency,
      stock: count('stock', spec.stock),
      options: {},
    });
  }
  const skus = new Set<string>();
  for (const v of variants) {
    if (skus.has(v.sku)) problem('sku', `SKU ${v.sku} is used twice`);
    skus.add(v.sku);
    if (v.compareAtAmount !== null && v.compareAtAmount <= v.priceAmount) {
      problem('compareAtPrice', 'must be above the price');
    }
  }

  const categories = readCategories(spec, problem);

  const imagePaths =
    spec.images === undefined ? (ctx.fallback?.images ?? []) : readPathList(spec.images, 'images', problem);
  const images: ImportFile[] = [];
  for (const file of imagePaths) {
    const checked = await checkFile(path.resolve(ctx.baseDir, file), 'image', ctx.defaults.maxImageBytes);
    if (typeof checked === 'string') problem('images', `${file}: ${checked}`);
    else images.push(checked);
  }
  const modelPath = text('model') ?? ctx.fallback?.model ?? null;
  let model: ImportFile | null = null;
  if (modelPath) {
    const checked = await checkFile(
      path.resolve(ctx.baseDir, modelPath),
      'model',
      ctx.defaults.maxModelBytes,
    );
    if (typeof checked === 'string') problem('model', `${modelPath}: ${checked}`);
    else model = checked;
  }

  if (problems.length > 0 || !title || !handle) return { product: null, problems };
  return {
    product: {
      where: ctx.where,
      ...(ctx.row !== undefined && { row: ctx.row }),
      handle,
      title,
      description: text('description') ?? '',
      status,
      options,
      variants,
      categories,
      images,
      model,
      modelAttribution: text('modelAttribution') ?? null,
    },
    problems,
  };
}

type Report = (field: string | undefined, message: string) => void;

function readOptions(raw: unknown, problem: Report): { name: string; values: string[] }[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problem('options', 'must be a list of { name, values }');
    return [];
  }
  const options: { name: string; values: string[] }[] = [];
  raw.forEach((o: unknown, i) => {
    const { name, values } = (o ?? {}) as { name?: unknown; values?: unknown };
    if (typeof name !== 'string' || !name.trim() || !Array.isArray(values) || values.length === 0) {
      problem(`options[${i}]`, 'needs a name and a non-empty list of values');
      return;
    }
    if (!values.every((v): v is string => typeof v === 'string' && v.trim() !== '')) {
      problem(`options[${i}]`, 'values must be text');
      return;
    }
    if (new Set(values).size !== values.length) problem(`options[${i}]`, 'has a value twice');
    if (options.some((x) => x.name === name.trim()))
      problem(`options[${i}]`, `option "${name}" is given twice`);
    options.push({ name: name.trim(), values });
  });
  return options;
}

function readCategories(spec: Record<string, unknown>, problem: Report): string[][] {
  const raw: unknown[] = [];
  if (typeof spec.category === 'string' && spec.category.trim()) raw.push(spec.category);
  else if (spec.category !== undefined && spec.category !== null && spec.category !== '')
    problem('category', 'must be a path like home-decor/lighting');
  if (Array.isArray(spec.categories)) raw.push(...spec.categories);
  else if (spec.categories !== undefined) problem('categories', 'must be a list of paths');
  const paths: string[][] = [];
  for (const value of raw) {
    const segments = typeof value === 'string' ? value.trim().split('/') : [];
    if (segments.length === 0 || !segments.every((s) => HANDLE.test(s))) {
      problem('category', `"${String(value)}" must be a path of handles like home-decor/lighting`);
      continue;
    }
    if (!paths.some((p) => p.join('/') === segments.join('/'))) paths.push(segments);
  }
  return paths;
}

function readPathList(raw: unknown, field: string, problem: Report): string[] {
  if (typeof raw === 'string') {
    return raw
      .split('|')
      .map((p) => p.trim())
      .filter(Boolean);
  }
  if (Array.isArray(raw) && raw.every((p) => typeof p === 'string'))
    return raw.map((p) => p.trim()).filter(Boolean);
  problem(field, 'must be a list of file paths (or one text with paths separated by |)');
  return [];
}

async function checkFile(
  file: string,
  kind: 'image' | 'model',
  maxBytes: number,
): Promise<ImportFile | string> {
  const isKind = kind === 'image' ? isImageFile : isModelFile;
  if (!isKind(file)) {
    return kind === 'image'
      ? `not an image (${IMAGE_EXTENSIONS.join(', ')})`
      : 'not a model (.glb, .gltf, or .zip)';
  }
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return 'no such file';
  if (info.size === 0) return 'is empty';
  if (info.size > maxBytes) return `is ${info.size} bytes; the limit is ${maxBytes}`;
  if (path.extname(file).toLowerCase() === '.gltf') {
    const { files, problems } = await gltfSiblingFiles(file);
    if (problems.length > 0) return problems.join('; ');
    for (const relative of files) {
      const sibling = await stat(path.join(path.dirname(file), relative)).catch(() => null);
      if (!sibling?.isFile()) return `references ${relative}, which is missing`;
    }
  }
  return { path: file, bytes: info.size };
}
