import { rows, sql } from '@e3d/db';
import { contentHashedKey, sha256 } from '@e3d/storage';
import { staffToken } from './api.ts';
import { REVALIDATE_SECRET, type Stack } from './stack.ts';

/**
 * No demo model carries KHR_materials_variants, so the browser test gives one product's model
 * material variants itself: the twin cube bookends' processed GLB gets one material per colour
 * option and a variant mapping on every primitive, is stored under a new content-hashed key, and
 * each product variant is linked to its material variant through the admin API (as staff would).
 */
export const VARIANT_PRODUCT = 'twin-cube-bookends';

/** Colour option value -> linear base colour of the material that shows it. */
export const VARIANT_COLOURS: Record<string, [number, number, number]> = {
  Terracotta: [0.53, 0.13, 0.05],
  Sage: [0.27, 0.38, 0.25],
  Charcoal: [0.05, 0.05, 0.06],
};

interface GltfJson {
  extensionsUsed?: string[];
  extensions?: Record<string, unknown>;
  materials?: Record<string, unknown>[];
  meshes?: { primitives: { material?: number; extensions?: Record<string, unknown> }[] }[];
}

const JSON_CHUNK = 0x4e4f534a;

/** A copy of a GLB whose JSON declares KHR_materials_variants: one variant per entry, on every primitive. */
export function withMaterialVariants(
  glb: Uint8Array,
  variants: Record<string, [number, number, number]>,
): Buffer {
  const input = Buffer.from(glb);
  if (input.readUInt32LE(0) !== 0x46546c67) throw new Error('not a GLB');
  const jsonLength = input.readUInt32LE(12);
  if (input.readUInt32LE(16) !== JSON_CHUNK) throw new Error('GLB: first chunk is not JSON');
  const json = JSON.parse(input.toString('utf8', 20, 20 + jsonLength)) as GltfJson;
  const rest = input.subarray(20 + jsonLength);

  const names = Object.keys(variants);
  json.materials ??= [];
  const firstMaterial = json.materials.length;
  for (const name of names) {
    const [r, g, b] = variants[name] ?? [1, 1, 1];
    json.materials.push({
      name,
      pbrMetallicRoughness: { baseColorFactor: [r, g, b, 1], metallicFactor: 0, roughnessFactor: 0.8 },
    });
  }
  const mappings = names.map((_, i) => ({ material: firstMaterial + i, variants: [i] }));
  for (const mesh of json.meshes ?? []) {
    for (const primitive of mesh.primitives) {
      primitive.extensions = { ...primitive.extensions, KHR_materials_variants: { mappings } };
    }
  }
  json.extensions = {
    ...json.extensions,
    KHR_materials_variants: { variants: names.map((name) => ({ name })) },
  };
  json.extensionsUsed = [...new Set([...(json.extensionsUsed ?? []), 'KHR_materials_variants'])];

  let text = Buffer.from(JSON.stringify(json), 'utf8');
  const pad = (4 - (text.length % 4)) % 4;
  if (pad) text = Buffer.concat([text, Buffer.alloc(pad, 0x20)]);
  const header = Buffer.alloc(20);
  header.writeUInt32LE(0x46546c67, 0);
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(12 + 8 + text.length + rest.length, 8);
  header.writeUInt32LE(text.length, 12);
  header.writeUInt32LE(JSON_CHUNK, 16);
  return Buffer.concat([header, text, rest]);
}

async function readAll(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Gives VARIANT_PRODUCT's model material variants linked to its colour variants; returns them by option value. */
export async function installMaterialVariants(stack: Stack): Promise<Record<string, string>> {
  const { api } = stack;
  const [media] = await rows<{ id: string; storage_key: string; model_stats: Record<string, unknown> }>(
    api.db,
    sql`SELECT m.id, m.storage_key, m.model_stats FROM product_media m JOIN products p ON p.id = m.product_id
        WHERE p.handle = ${VARIANT_PRODUCT} AND m.kind = 'model' AND m.status = 'ready'`,
  );
  if (!media) throw new Error(`${VARIANT_PRODUCT} has no ready model`);
  const stored = await api.runtime.store.get(media.storage_key);
  if (!stored) throw new Error(`model ${media.storage_key} is not in the store`);
  const bytes = withMaterialVariants(await readAll(stored.body), VARIANT_COLOURS);
  const hash = sha256(bytes);
  const key = contentHashedKey('models', hash, 'glb');
  await api.runtime.store.put(key, bytes, { contentType: 'model/gltf-binary' });
  const modelStats = JSON.stringify({ ...media.model_stats, materialVariants: Object.keys(VARIANT_COLOURS) });
  await rows(
    api.db,
    sql`UPDATE product_media SET storage_key = ${key}, content_hash = ${hash}, byte_size = ${bytes.length},
        model_stats = ${modelStats} WHERE id = ${media.id}`,
  );

  const product = await api.app.inject({ method: 'GET', url: `/api/products/${VARIANT_PRODUCT}` });
  const byColour: Record<string, string> = {};
  for (const v of (product.json() as { variants: { id: string; options: Record<string, string> }[] })
    .variants) {
    const colour = v.options.Color;
    if (colour) byColour[colour] = v.id;
  }
  const { token } = await staffToken(api, 'owner');
  const response = await api.app.inject({
    method: 'PUT',
    url: `/api/admin/media/${media.id}/material-variants`,
    headers: { authorization: `Bearer ${token}` },
    payload: {
      links: Object.entries(byColour).map(([colour, variantId]) => ({ variantId, materialVariant: colour })),
    },
  });
  if (response.statusCode !== 200)
    throw new Error(`material-variant links: ${response.statusCode} ${response.body}`);
  await api.runtime.cache.invalidate();
  // The storefront caches the product page under its tag; tell it, as the worker would.
  await fetch(`${stack.webUrl}/revalidate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${REVALIDATE_SECRET}` },
    body: JSON.stringify({ tags: [`product:${VARIANT_PRODUCT}`, 'products'] }),
  }).catch(() => undefined);
  return byColour;
}
