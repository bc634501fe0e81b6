import { realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AssetError,
  inspectModel,
  type ModelInspection,
  type ModelTexture,
  type OptimizePresetName,
  optimizeModel,
  readModelUpload,
  type ValidationMessage,
  type ValidationReport,
  validateModel,
} from '@e3d/assets';
import { readModelFile } from '@e3d/catalog';
import { assetLimitsFromConfig } from '@e3d/media';
import { type Command, Option } from 'commander';
import { config } from '../context.ts';

/** A refusal of the command itself, printed like an AssetError: `error <code>: message`. */
class CommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function registerModelCommands(program: Command) {
  const models = program
    .command('models')
    .description('inspect and optimize 3D models (GLB, .gltf, or a .zip holding a .gltf with its files)');

  models
    .command('inspect')
    .description('size, complexity, textures and the glTF validator report of a model')
    .argument('<file>', 'model file: .glb, .gltf or .zip')
    .option('--json', 'print one JSON object')
    .action((file: string, options: { json?: boolean }) =>
      reportErrors(options.json, async () => {
        const limits = assetLimitsFromConfig(config());
        const model = await readModelFromDisk(file);
        const upload = await readModelUpload(model.bytes, { filename: model.filename, limits });
        const inspection = await inspectModel(upload, { limits });
        const validation = await validateModel(upload, { limits, throwOnError: false });
        if (options.json) {
          print({
            file,
            bytes: upload.byteLength,
            container: upload.container,
            ...inspection,
            validation: validationJson(validation),
          });
        } else {
          console.log(inspectText(file, upload.byteLength, upload.container, inspection, validation));
        }
        if (!validation.valid) {
          console.error(
            `error validation_failed: the model does not pass glTF validation (${plural(validation.errors, 'error')})`,
          );
          process.exitCode = 1;
        }
      }),
    );

  models
    .command('optimize')
    .description('optimize a model with a preset and write the result as one GLB')
    .argument('<file>', 'model file: .glb, .gltf or .zip')
    .requiredOption('-o, --out <file>', 'where to write the optimized .glb (never the input itself)')
    .addOption(
      new Option(
        '--preset <name>',
        'web (Draco + WebP), ar (Draco, JPEG/PNG), high (Meshopt, near source); default: MODEL_PRESET, else web',
      ).choices(['web', 'ar', 'high']),
    )
    .option('--json', 'print one JSON object')
    .action((file: string, options: { out: string; preset?: OptimizePresetName; json?: boolean }) =>
      reportErrors(options.json, async () => {
        const cfg = config();
        const limits = assetLimitsFromConfig(cfg);
        const preset = options.preset ?? cfg.MODEL_PRESET;
        await refuseSameFile(file, options.out);
        const model = await readModelFromDisk(file);
        const upload = await readModelUpload(model.bytes, { filename: model.filename, limits });
        await validateModel(upload, { limits }); // refuse bad input with the uploader's error codes
        const result = await optimizeModel(upload, { preset, limits });
        await writeFile(options.out, result.glb);
        const summary = {
          file,
          out: options.out,
          preset: result.preset,
          bytesBefore: result.bytesBefore,
          bytesAfter: result.bytesAfter,
          ratio: Math.round(result.ratio * 10_000) / 10_000,
          ms: result.ms,
          hash: result.hash,
          before: result.before,
          after: result.after,
          validation: validationJson(result.validation),
        };
        if (options.json) print(summary);
        else console.log(optimizeText(summary));
      }),
    );
}

/** Runs a command body; bad input ends it with exit code 1 and `error <code>: message` on stderr. */
async function reportErrors(json: boolean | undefined, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const known =
      error instanceof AssetError || error instanceof CommandError
        ? {
            code: error.code,
            message: error.message,
            details: error instanceof AssetError ? error.details : {},
          }
        : null;
    if (!known) throw error;
    console.error(`error ${known.code}: ${known.message}`);
    const messages = (known.details as { messages?: ValidationMessage[] }).messages;
    if (messages) console.error(messageLines(messages, 5).join('\n'));
    if (json) print({ error: known });
    process.exitCode = 1;
  }
}

async function readModelFromDisk(file: string) {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new CommandError('file_not_found', `no such file: ${file}`);
  return readModelFile(file);
}

async function refuseSameFile(input: string, out: string): Promise<void> {
  const real = (p: string) => realpath(p).catch(() => path.resolve(p));
  if ((await real(input)) === (await real(out))) {
    throw new CommandError('same_file', `refusing to overwrite the input ${input}; choose another --out`);
  }
}

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

const validationJson = (v: ValidationReport) => ({
  valid: v.valid,
  errors: v.errors,
  warnings: v.warnings,
  infos: v.infos,
  hints: v.hints,
  messages: v.messages,
  truncated: v.truncated,
  validatorVersion: v.validatorVersion,
});

const int = (n: number) => n.toLocaleString('en-US');

/** `3.60 MiB (3,773,916 bytes)`. */
function bytes(n: number, exact = false): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const short = unit === 0 ? `${n} bytes` : `${value.toFixed(2)} ${units[unit]}`;
  return exact && unit > 0 ? `${short} (${int(n)} bytes)` : short;
}

const format = (mimeType: string) => mimeType.replace(/^image\//, '');
const pixels = (t: ModelTexture) => (t.width && t.height ? `${t.width}×${t.height}` : 'size unknown');

/** `5 × 2048×2048 jpeg` per distinct size and format. */
function textureSummary(list: ModelTexture[]): string {
  if (list.length === 0) return '0';
  const groups = new Map<string, number>();
  for (const t of list) {
    const key = `${pixels(t)} ${format(t.mimeType)}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].map(([key, n]) => `${n} × ${key}`).join(', ');
}

function messageLines(messages: readonly ValidationMessage[], max: number): string[] {
  const lines = messages
    .slice(0, max)
    .map((m) => `  ${m.severity.padEnd(7)} ${m.message}${m.pointer ? ` (at ${m.pointer})` : ''} [${m.code}]`);
  if (messages.length > max) lines.push(`  … and ${messages.length - max} more (--json lists them)`);
  return lines;
}

const plural = (n: number, word: string) => `${int(n)} ${word}${n === 1 ? '' : 's'}`;

function inspectText(
  file: string,
  size: number,
  container: string,
  m: ModelInspection,
  v: ValidationReport,
): string {
  const row = (label: string, value: string) => `  ${label.padEnd(18)} ${value}`;
  const [x, y, z] = m.sizeMetres;
  const lines = [
    `${path.basename(file)}: ${container.toUpperCase()}, ${bytes(size, true)}`,
    row('triangles', int(m.triangles)),
    row('vertices', int(m.vertices)),
    row('meshes', `${int(m.meshes)} (${plural(m.primitives, 'primitive')}, ${plural(m.nodes, 'node')})`),
    row('materials', int(m.materials)),
    row('textures', int(m.textures)),
    ...m.textureList.map(
      (t, i) =>
        `    ${(t.name || `#${i}`).padEnd(24)} ${format(t.mimeType).padEnd(5)} ${pixels(t).padStart(11)}  ${bytes(t.bytes).padStart(11)}  ${t.slots.join(', ')}`,
    ),
    row('animations', int(m.animations)),
    row('material variants', m.materialVariants.length ? m.materialVariants.join(', ') : 'none'),
    row('bounding box', `${[x, y, z].map((n) => n.toFixed(3)).join(' × ')} m (x × y × z)`),
    row('extensions', m.extensionsUsed.length ? m.extensionsUsed.join(', ') : 'none'),
  ];
  if (m.extensionsRequired.length) lines.push(row('required', m.extensionsRequired.join(', ')));
  lines.push(
    '',
    `validator: ${v.valid ? 'valid' : 'INVALID'}: ${plural(v.errors, 'error')}, ${plural(v.warnings, 'warning')}, ${plural(v.infos, 'info')}, ${plural(v.hints, 'hint')}`,
    ...messageLines(v.messages, 5),
  );
  return lines.join('\n');
}

/** Two bars on one scale, drawn with eighth blocks: `████████▍`. */
function bars(before: number, after: number, width = 40): string[] {
  const max = Math.max(before, after, 1);
  const bar = (n: number) => {
    const eighths = Math.round((n / max) * width * 8);
    const partial = eighths % 8 ? (['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8] as string) : '';
    return ('█'.repeat(Math.floor(eighths / 8)) + partial).padEnd(width);
  };
  return [`  before ${bar(before)} ${bytes(before)}`, `  after  ${bar(after)} ${bytes(after)}`];
}

function optimizeText(r: {
  file: string;
  out: string;
  preset: string;
  bytesBefore: number;
  bytesAfter: number;
  ratio: number;
  ms: number;
  before: ModelInspection;
  after: ModelInspection;
  validation: { errors: number; warnings: number };
}): string {
  const col = (a: string, b: string, c: string, d = '') =>
    `  ${a.padEnd(10)} ${b.padStart(28)} ${c.padStart(28)}  ${d}`.trimEnd();
  const change = (a: number, b: number) => (a === b ? 'same' : `${b > a ? '+' : ''}${int(b - a)}`);
  const percent = (r.ratio * 100).toFixed(1);
  return [
    `${r.file} → ${r.out}  (preset ${r.preset}, ${int(r.ms)} ms)`,
    col('', 'before', 'after'),
    col('bytes', int(r.bytesBefore), int(r.bytesAfter), `${percent}% of the original`),
    col(
      'triangles',
      int(r.before.triangles),
      int(r.after.triangles),
      change(r.before.triangles, r.after.triangles),
    ),
    col(
      'vertices',
      int(r.before.vertices),
      int(r.after.vertices),
      change(r.before.vertices, r.after.vertices),
    ),
    col('textures', textureSummary(r.before.textureList), textureSummary(r.after.textureList)),
    col(
      'texture KB',
      int(Math.round(r.before.textureList.reduce((s, t) => s + t.bytes, 0) / 1024)),
      int(Math.round(r.after.textureList.reduce((s, t) => s + t.bytes, 0) / 1024)),
    ),
    col(
      'extensions',
      String(r.before.extensionsUsed.length),
      String(r.after.extensionsUsed.length),
      r.after.extensionsUsed.join(', '),
    ),
    '',
    ...bars(r.bytesBefore, r.bytesAfter),
    '',
    `ratio ${r.ratio.toFixed(3)} (${percent}%), ${int(r.ms)} ms; output valid: ${plural(r.validation.errors, 'error')}, ${plural(r.validation.warnings, 'warning')}`,
  ].join('\n');
}
