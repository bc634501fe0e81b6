import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { isModelFile } from './model-file.ts';
import {
  type ImportDefaults,
  type ImportProblem,
  type ImportProduct,
  isImageFile,
  normalizeProduct,
  slugify,
  titleFromName,
} from './product.ts';

/** A source read and checked on its own (no database yet). */
export interface ImportSource {
  kind: 'folder' | 'csv' | 'json';
  /** Absolute path of the folder or manifest. */
  path: string;
  /** Products that passed every check, in source order (import none while `problems` has any). */
  products: ImportProduct[];
  /** Every problem found, in source order; nothing may be written while there is one. */
  problems: ImportProblem[];
}

/** CSV columns, and the product field each one fills. */
export const CSV_COLUMNS: Record<string, string> = {
  handle: 'handle',
  title: 'title',
  description: 'description',
  price: 'price',
  compare_at_price: 'compareAtPrice',
  currency: 'currency',
  sku: 'sku',
  stock: 'stock',
  category: 'category',
  images: 'images',
  model: 'model',
  model_attribution: 'modelAttribution',
  status: 'status',
};

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * Reads a product source and checks every product in it: a folder (each subfolder one
 * product), a `.csv` manifest or a `.json` manifest (a list of products). Paths in a
 * manifest are relative to the manifest. Nothing is written; a source that cannot be read at
 * all is one problem.
 */
export async function readImportSource(source: string, defaults: ImportDefaults): Promise<ImportSource> {
  const absolute = path.resolve(source);
  const info = await stat(absolute).catch(() => null);
  const ext = path.extname(absolute).toLowerCase();
  const kind = info?.isDirectory() ? 'folder' : ext === '.csv' ? 'csv' : 'json';
  const fail = (message: string): ImportSource => ({
    kind,
    path: absolute,
    products: [],
    problems: [{ where: path.basename(absolute), message }],
  });
  if (!info) return fail('no such file or folder');
  if (!info.isDirectory() && ext !== '.csv' && ext !== '.json') {
    return fail('expected a folder of product folders, a .csv or a .json manifest');
  }

  const results =
    kind === 'folder'
      ? await readFolder(absolute, defaults)
      : kind === 'csv'
        ? await readCsv(absolute, defaults)
        : await readJson(absolute, defaults);
  const problems = results.problems;
  const products = results.products;
  if (products.length === 0 && problems.length === 0) {
    return fail(
      kind === 'folder' ? 'holds no product folders (each subfolder is one product)' : 'holds no products',
    );
  }
  problems.push(...duplicates(products));
  return { kind, path: absolute, products, problems };
}

type Read = { products: ImportProduct[]; problems: ImportProblem[] };

async function collect(items: Promise<{ product: ImportProduct | null; problems: ImportProblem[] }>[]) {
  const read: Read = { products: [], problems: [] };
  for (const item of await Promise.all(items)) {
    if (item.product) read.products.push(item.product);
    read.problems.push(...item.problems);
  }
  return read;
}

async function readFolder(root: string, defaults: ImportDefaults): Promise<Read> {
  const entries = await readdir(root, { withFileTypes: true });
  const folders = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(byName);
  return collect(
    folders.map(async (name) => {
      const dir = path.join(root, name);
      const where = `folder ${name}`;
      const files = (await readdir(dir, { withFileTypes: true }))
        .filter((e) => e.isFile() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort(byName);
      const models = files.filter(isModelFile);
      const problems: ImportProblem[] = [];
      if (models.length > 1) {
        problems.push({
          where,
          field: 'model',
          message: `holds ${models.length} models (${models.join(', ')}); keep one`,
        });
      }
      let spec: Record<string, unknown> = {};
      if (files.includes('product.json')) {
        try {
          const parsed: unknown = JSON.parse(await readFile(path.join(dir, 'product.json'), 'utf8'));
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
            throw new Error('not an object');
          spec = parsed as Record<string, unknown>;
        } catch (error) {
          problems.push({
            where,
            field: 'product.json',
            message: `cannot be read: ${(error as Error).message}`,
          });
        }
      }
      const result = await normalizeProduct(spec, {
        where,
        baseDir: dir,
        defaults,
        fallback: {
          handle: slugify(name),
          title: titleFromName(name),
          images: files.filter(isImageFile),
          model: models.length === 1 ? (models[0] as string) : null,
        },
      });
      problems.push(...result.problems);
      return { product: problems.length > 0 ? null : result.product, problems };
    }),
  );
}

async function readCsv(file: string, defaults: ImportDefaults): Promise<Read> {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(await readFile(file), {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof rows;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return {
      products: [],
      problems: [
        {
          where: line ? `row ${line}` : path.basename(file),
          ...(line && { row: line }),
          message: (error as Error).message,
        },
      ],
    };
  }
  const [header, ...records] = rows;
  if (!header) return { products: [], problems: [] };
  const columns = header.record.map((name) => name.trim().toLowerCase());
  const headerRow = header.info.lines;
  const problems: ImportProblem[] = [];
  columns.forEach((name) => {
    if (!(name in CSV_COLUMNS)) {
      problems.push({
        where: `row ${headerRow}`,
        row: headerRow,
        field: name,
        message: `unknown column "${name}" (known: ${Object.keys(CSV_COLUMNS).join(', ')})`,
      });
    }
  });
  if (!columns.includes('title')) {
    problems.push({
      where: `row ${headerRow}`,
      row: headerRow,
      field: 'title',
      message: 'the title column is missing',
    });
  }
  if (problems.length > 0) return { products: [], problems };
  const read = await collect(
    records.map(async ({ record, info }) => {
      const row = info.lines;
      const where = `row ${row}`;
      if (record.length !== columns.length) {
        return {
          product: null,
          problems: [
            { where, row, message: `has ${record.length} fields; the header has ${columns.length}` },
          ],
        };
      }
      const spec: Record<string, unknown> = {};
      columns.forEach((name, i) => {
        const value = (record[i] as string).trim();
        if (value !== '') spec[CSV_COLUMNS[name] as string] = value;
      });
      return normalizeProduct(spec, { where, row, baseDir: path.dirname(file), defaults });
    }),
  );
  return read;
}

async function readJson(file: string, defaults: ImportDefaults): Promise<Read> {
  let items: unknown;
  try {
    items = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return {
      products: [],
      problems: [{ where: path.basename(file), message: `is not valid JSON: ${(error as Error).message}` }],
    };
  }
  if (items && typeof items === 'object' && !Array.isArray(items) && 'products' in items) {
    items = (items as { products: unknown }).products;
  }
  if (!Array.isArray(items)) {
    return {
      products: [],
      problems: [
        { where: path.basename(file), message: 'must be a list of products (or { "products": [...] })' },
      ],
    };
  }
  return collect(
    items.map(async (item: unknown, i) => {
      const row = i + 1;
      const where = `item ${row}`;
      if (!item || typeof item !== 'object' || Array.isArray(item)) {
        return { product: null, problems: [{ where, row, message: 'must be an object' }] };
      }
      return normalizeProduct(item as Record<string, unknown>, {
        where,
        row,
        baseDir: path.dirname(file),
        defaults,
      });
    }),
  );
}

/** The same handle or SKU twice in one source: both places are named. */
function duplicates(products: ImportProduct[]): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const handles = new Map<string, ImportProduct>();
  const skus = new Map<string, ImportProduct>();
  for (const p of products) {
    const at = (field: string, message: string) =>
      problems.push({ where: p.where, ...(p.row !== undefined && { row: p.row }), field, message });
    const first = handles.get(p.handle);
    if (first) at('handle', `handle ${p.handle} is also used by ${first.where}`);
    else handles.set(p.handle, p);
    for (const v of p.variants) {
      const owner = skus.get(v.sku);
      if (owner && owner !== p) at('sku', `SKU ${v.sku} is also used by ${owner.where}`);
      else skus.set(v.sku, p);
    }
  }
  return problems;
}
