import { type Document, ImageUtils, type Primitive, type Texture } from '@gltf-transform/core';
import { KHRMaterialsVariants } from '@gltf-transform/extensions';
import { getBounds, listTextureSlots } from '@gltf-transform/functions';
import { readDocument } from './io.ts';
import { type ModelUpload, type ReadModelUploadOptions, toUpload } from './upload/read-upload.ts';

/** One texture of a model. */
export interface ModelTexture {
  name: string;
  /** `image/png`, `image/jpeg`, `image/webp`, `image/ktx2`, … */
  mimeType: string;
  /** Pixel size read from the image header; null when the format's header is not understood. */
  width: number | null;
  height: number | null;
  /** Encoded size of the image in bytes. */
  bytes: number;
  /** Material slots that use it, e.g. `baseColorTexture`, `normalTexture`. */
  slots: string[];
}

/**
 * What the asset pipeline learns about a 3D model. Its fields are a superset of the
 * catalog's `ModelStats` (packages/db), so an inspection can be stored as one.
 */
export interface ModelInspection {
  /** Triangles across every primitive of every mesh (each mesh counted once, not per instance). */
  triangles: number;
  /** Vertices (POSITION entries) across every primitive of every mesh. */
  vertices: number;
  meshes: number;
  /** Primitives (draw calls per mesh instance) across all meshes. */
  primitives: number;
  nodes: number;
  materials: number;
  /** Number of textures (the catalog's `ModelStats.textures`); `textureList` describes each. */
  textures: number;
  /** Each texture's image: pixel size (from its header, not decoded), format and bytes. */
  textureList: ModelTexture[];
  animations: number;
  /** Axis-aligned bounding box size of the scene in metres, [x, y, z], rounded to the millimetre. */
  sizeMetres: [number, number, number];
  /** Names of the KHR_materials_variants variants, in file order; [] when the model has none. */
  materialVariants: string[];
  /** glTF extensions the file declares (e.g. KHR_draco_mesh_compression), sorted. */
  extensionsUsed: string[];
  /** Extensions a viewer must support to show the file at all, sorted. */
  extensionsRequired: string[];
}

// glTF primitive modes (spec 3.7.2.1).
const MODE_TRIANGLES = 4;
const MODE_TRIANGLE_STRIP = 5;
const MODE_TRIANGLE_FAN = 6;

function primitiveTriangles(prim: Primitive): number {
  const mode = prim.getMode();
  const indices = prim.getIndices();
  const position = prim.getAttribute('POSITION');
  const count = indices ? indices.getCount() : (position?.getCount() ?? 0);
  if (mode === MODE_TRIANGLES) return Math.floor(count / 3);
  if (mode === MODE_TRIANGLE_STRIP || mode === MODE_TRIANGLE_FAN) return Math.max(0, count - 2);
  return 0; // points and lines draw no triangles
}

const mm = (metres: number) => Math.round(metres * 1000) / 1000;

function textureInfo(texture: Texture): ModelTexture {
  const image = texture.getImage();
  const mimeType = texture.getMimeType();
  const size = image ? ImageUtils.getSize(image, mimeType) : null;
  return {
    name: texture.getName() || texture.getURI(),
    mimeType,
    width: size?.[0] ?? null,
    height: size?.[1] ?? null,
    bytes: image?.byteLength ?? 0,
    slots: listTextureSlots(texture),
  };
}

/**
 * Reads a model — raw bytes (GLB, glTF JSON with `data:` URIs, or a ZIP; see readModelUpload)
 * or an upload already read — and reports its size and complexity. Throws AssetError
 * (`not_gltf`, `corrupt_binary`, `external_reference`, …) when it cannot be read.
 */
export async function inspectModel(
  input: Uint8Array | ModelUpload,
  options: ReadModelUploadOptions = {},
): Promise<ModelInspection> {
  return inspectDocument(await readDocument(await toUpload(input, options)));
}

/** The inspection of a document already in memory (the optimizer's "before"). */
export function inspectDocument(document: Document): ModelInspection {
  const root = document.getRoot();

  let triangles = 0;
  let vertices = 0;
  let primitives = 0;
  for (const mesh of root.listMeshes()) {
    for (const prim of mesh.listPrimitives()) {
      primitives++;
      triangles += primitiveTriangles(prim);
      vertices += prim.getAttribute('POSITION')?.getCount() ?? 0;
    }
  }

  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  let sizeMetres: [number, number, number] = [0, 0, 0];
  if (scene) {
    const { min, max } = getBounds(scene);
    if (min.every(Number.isFinite) && max.every(Number.isFinite)) {
      sizeMetres = [mm(max[0] - min[0]), mm(max[1] - min[1]), mm(max[2] - min[2])];
    }
  }

  const extensions = root.listExtensionsUsed();
  const variants = extensions.find((ext): ext is KHRMaterialsVariants => ext instanceof KHRMaterialsVariants);

  return {
    triangles,
    vertices,
    meshes: root.listMeshes().length,
    primitives,
    nodes: root.listNodes().length,
    materials: root.listMaterials().length,
    textures: root.listTextures().length,
    textureList: root.listTextures().map(textureInfo),
    animations: root.listAnimations().length,
    sizeMetres,
    materialVariants: variants ? variants.listVariants().map((v) => v.getName()) : [],
    extensionsUsed: extensions.map((ext) => ext.extensionName).sort(),
    extensionsRequired: root
      .listExtensionsRequired()
      .map((ext) => ext.extensionName)
      .sort(),
  };
}
