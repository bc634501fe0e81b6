import path from 'node:path';
import {
  CSV_COLUMNS,
  formatPrice,
  IMAGE_EXTENSIONS,
  type ImportPlan,
  type ImportProblem,
  type ImportProduct,
  type ImportReport,
  PRODUCT_FIELDS,
  planImport,
  readImportSource,
  runImport,
} from '@e3d/catalog';
import { migrate } from '@e3d/db';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { config, describeDatabase, openDb, openStore } from '../context.ts';

interface ImportOptions {
  dryRun?: boolean;
  publish?: boolean;
  currency: string;
  price: string;
}

export function registerImportCommand(program: Command) {
  program
    .command('import')
    .summary('bulk-create products with their images and 3D models from a folder or a CSV/JSON manifest')
    .description(
      'bulk-create products with their images and 3D models from a folder (one subfolder per product) ' +
        'or a CSV/JSON manifest. Every row is checked first: any problem writes nothing (exit 1). ' +
        'Existing handles are skipped, never overwritten. Exit 2 when a product or media failed.',
    )
    .argument('<source>', 'a folder of product folders, a .csv or a .json manifest')
    .option('--dry-run', 'check everything and show what would be created; write nothing')
    .option('--publish', 'publish the products whose row names no status (default: draft)')
    .option('--currency <code>', 'currency of rows that name none', 'USD')
    .option('--price <amount>', 'price of a folder product whose product.json gives none', '0.00')
    .addHelpText('after', HELP)
    .action(async (source: string, options: ImportOptions) => {
      const cfg = config();
      const read = await readImportSource(source, {
        currency: options.currency.toUpperCase(),
        status: options.publish ? 'published' : 'draft',
        folderPrice: options.price,
        maxImageBytes: cfg.IMAGE_MAX_BYTES,
        maxModelBytes: cfg.MODEL_MAX_BYTES,
      });
      const database = await openDb(cfg, 'e3d-import');
      try {
        await migrate(database);
        const plan = await planImport(database, read);
        console.log(`importing ${read.kind} ${shortPath(read.path)} into ${describeDatabase(cfg)}`);
        if (plan.problems.length > 0) {
          console.error(problemsText(plan.problems));
          process.exitCode = 1;
          return;
        }
        console.log(planText(plan));
        if (options.dryRun) {
          console.log('dry run: nothing was written');
          return;
        }
        const store = await openStore(cfg);
        const bar = new SingleBar({
          format: 'media processed |{bar}| {value}/{total}',
          barsize: 30,
          hideCursor: true,
          noTTYOutput: true,
          notTTYSchedule: 5_000,
        });
        let barStarted = false;
        const report = await runImport(database, store, plan, {
          config: cfg,
          onProduct: (product, outcome, done, total) =>
            console.log(`  [${done}/${total}] ${outcome.padEnd(7)} ${product.handle} (${product.where})`),
          onMediaProgress: (done, total) => {
            if (!barStarted) {
              if (total === 0) return;
              bar.start(total, done);
              barStarted = true;
            } else bar.update(done);
          },
        });
        if (barStarted) bar.stop();
        console.log(summaryText(report));
        if (report.failed.length + report.media.failed + report.media.pending > 0) process.exitCode = 2;
      } finally {
        await database.close();
      }
    });
}

const HELP = `
Folder: each subfolder is one product, with its images (${IMAGE_EXTENSIONS.join(' ')}; in name
order, the first is the thumbnail) and one model (.glb, .gltf with the files beside it, or .zip).
An optional product.json sets any of:
  ${PRODUCT_FIELDS.join(', ')}
Without it the title comes from the folder name, with one variant at --price.

CSV manifest: a header row, then one product per row, with any of the columns
  ${Object.keys(CSV_COLUMNS).join(', ')}
images: |-separated paths; model: a path (both relative to the manifest); category: a path of
handles like home-decor/lighting, created when missing. JSON manifest: a list of product.json
objects (with images and model paths relative to the manifest).

Prices are decimal text in the currency's main unit (49.00, or 1200 for JPY), read exactly into
minor units: no thousands separators, no more decimals than the currency has.`;

const where = (p: { where: string }) => p.where;

/** Relative to the working folder when inside it, else absolute. */
function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' ? '.' : relative.startsWith('..') ? file : relative;
}

function problemsText(problems: readonly ImportProblem[]): string {
  const width = Math.max(...problems.map((p) => where(p).length));
  return [
    `${problems.length} problem${problems.length === 1 ? '' : 's'} found; nothing was written:`,
    ...problems.map((p) => `  ${where(p).padEnd(width)}  ${p.field ? `${p.field}: ` : ''}${p.message}`),
  ].join('\n');
}

function priceRange(p: ImportProduct): string {
  const amounts = p.variants.map((v) => v.priceAmount);
  const currency = p.variants[0]?.currency ?? '';
  const min = formatPrice(Math.min(...amounts), currency);
  const max = formatPrice(Math.max(...amounts), currency);
  return `${min === max ? min : `${min}–${max}`} ${currency}`;
}

/** A fixed-width table: the first row is the header. */
function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => `  ${r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd());
}

function planText(plan: ImportPlan): string {
  const rows = [
    ['', 'handle', 'from', 'status', 'variants', 'price', 'images', 'model', 'categories'],
    ...plan.create.map((p) => [
      '+',
      p.handle,
      p.where,
      p.status,
      String(p.variants.length),
      priceRange(p),
      String(p.images.length),
      p.model ? path.basename(p.model.path) : '-',
      p.categories.map((c) => c.join('/')).join(', ') || '-',
    ]),
  ];
  const lines = [`${plan.create.length} product(s) to create, ${plan.skip.length} to skip`];
  if (plan.create.length > 0) lines.push(...table(rows));
  for (const { product, reason } of plan.skip)
    lines.push(`  =  ${product.handle} (${product.where}): skipped, ${reason}`);
  if (plan.newCategories.length > 0) lines.push(`new categories: ${plan.newCategories.join(', ')}`);
  return lines.join('\n');
}

function summaryText(report: ImportReport): string {
  const m = report.media;
  const lines = [
    '',
    'import summary',
    ...table([
      ['', ''],
      ['products created', String(report.created.length)],
      ['products skipped', String(report.skipped.length)],
      ['products failed', String(report.failed.length)],
      ['categories created', String(report.categoriesCreated)],
      ['media ready', `${m.ready} of ${m.total}`],
      ['media failed', String(m.failed)],
      ...(m.pending > 0
        ? [['media not settled', `${m.pending} (a retry is due later or a worker has them)`]]
        : []),
    ]).slice(1),
  ];
  const rows = [
    ['handle', 'from', 'result', 'media ready'],
    ...report.created.map((c) => [
      c.product.handle,
      c.product.where,
      'created',
      `${c.media.filter((x) => x.status === 'ready').length}/${c.media.length}`,
    ]),
    ...report.skipped.map((s) => [s.product.handle, s.product.where, `skipped: ${s.reason}`, '']),
    ...report.failed.map((f) => [f.product.handle, f.product.where, `failed: ${f.message}`, '']),
  ];
  lines.push('', ...table(rows));
  const failedMedia = report.created.flatMap((c) =>
    c.media.filter((x) => x.status === 'failed').map((x) => ({ handle: c.product.handle, ...x })),
  );
  if (failedMedia.length > 0) {
    lines.push(
      '',
      'failed media',
      ...table([
        ['handle', 'file', 'failure_code', 'message'],
        ...failedMedia.map((x) => [
          x.handle,
          path.basename(x.file),
          x.failureCode ?? '',
          x.failureMessage ?? '',
        ]),
      ]),
    );
  }
  return lines.join('\n');
}
