import { type Document, Logger, NodeIO, type Primitive } from '@gltf-transform/core';
import { ALL_EXTENSIONS, KHRMaterialsVariants } from '@gltf-transform/extensions';
import { getBounds } from '@gltf-transform/functions';
import draco3d from 'draco3dgltf';
import { MeshoptDecoder } from 'meshoptimizer';

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
  textures: number;
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

/** The bytes are not a glTF model this library can read (not GLB / glTF JSON, or corrupt). */
export class ModelFormatError extends Error {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`not a readable glTF model: ${detail}`, options);
    this.name = 'ModelFormatError';
  }
}

const GLB_MAGIC = 0x46546c67; // 'glTF' little-endian

// glTF primitive modes (spec 3.7.2.1).
const MODE_TRIANGLES = 4;
const MODE_TRIANGLE_STRIP = 5;
const MODE_TRIANGLE_FAN = 6;

let ioPromise: Promise<NodeIO> | undefined;

/** One reader per process: the Draco and Meshopt decoders are WebAssembly and slow to start. */
function reader(): Promise<NodeIO> {
  ioPromise ??= (async () => {
    const [dracoDecoder] = await Promise.all([draco3d.createDecoderModule(), MeshoptDecoder.ready]);
    return new NodeIO()
      .setLogger(new Logger(Logger.Verbosity.SILENT)) // a library: errors are thrown, not printed
      .registerExtensions(ALL_EXTENSIONS)
      .registerDependencies({
        'draco3d.decoder': dracoDecoder,
        'meshopt.decoder': MeshoptDecoder,
      });
  })().catch((error: unknown) => {
    ioPromise = undefined;
    throw error;
  });
  return ioPromise;
}

async function readDocument(bytes: Uint8Array): Promise<Document> {
  const io = await reader();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (bytes.byteLength >= 12 && view.getUint32(0, true) === GLB_MAGIC) {
      return await io.readBinary(bytes);
    }
    const first = bytes.find(
      (b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0xef && b !== 0xbb && b !== 0xbf,
    );
    if (first === 0x7b /* '{' */) {
      // A self-contained .gltf (buffers as data: URIs); external files are not reachable here.
      const json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
      return await io.readJSON({ json: json as never, resources: {} });
    }
  } catch (error) {
    throw new ModelFormatError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  throw new ModelFormatError('expected a GLB (glTF binary) or glTF JSON file');
}

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

/** Reads a GLB (or self-contained glTF JSON) and reports its size and complexity. */
export async function inspectModel(bytes: Uint8Array): Promise<ModelInspection> {
  const document = await readDocument(bytes);
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
