/**
 * Browser side of the model bench (runs in headless Chromium, loaded by render-server.ts).
 * Everything is served from this machine: three.js from node_modules, the Draco / Basis
 * decoders from three's examples, the models from the bench's memory.
 *
 * window.renderModel({ url, camera }) loads one GLB, renders it once and returns the canvas as
 * a PNG data URL. Without `camera` it frames the model from its bounding sphere and returns that
 * camera, so the caller can render the optimized model from exactly the same place.
 */
import * as THREE from 'three';
import { RoomEnvironment } from 'three/addons/environments/RoomEnvironment.js';
import { MeshoptDecoder } from 'three/addons/libs/meshopt_decoder.module.js';
import { DRACOLoader } from 'three/addons/loaders/DRACOLoader.js';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import { KTX2Loader } from 'three/addons/loaders/KTX2Loader.js';

const params = new URLSearchParams(location.search);
const SIZE = Number(params.get('size') ?? 512);
/** Solid background, sRGB; the Node side finds the model's pixels by their difference from it. */
const BACKGROUND = 0x5a6e82;
/** Vertical field of view in degrees; the camera looks at the model's front (+Z) from above right. */
const FOV = 30;
const VIEW_DIRECTION = new THREE.Vector3(0.55, 0.35, 1).normalize();
/** Below 1 so that white and light materials keep their shading instead of clipping to white. */
const EXPOSURE = 0.6;

const canvas = document.createElement('canvas');
canvas.width = SIZE;
canvas.height = SIZE;
document.body.append(canvas);

const renderer = new THREE.WebGLRenderer({
  canvas,
  antialias: true,
  preserveDrawingBuffer: true,
  alpha: false,
});
renderer.setPixelRatio(1);
renderer.setSize(SIZE, SIZE, false);
renderer.outputColorSpace = THREE.SRGBColorSpace;
renderer.toneMapping = THREE.NeutralToneMapping;
renderer.toneMappingExposure = EXPOSURE;

const pmrem = new THREE.PMREMGenerator(renderer);
const environment = pmrem.fromScene(new RoomEnvironment(), 0.04).texture;
/** Image-based light, dimmed so white materials keep their shading, plus one key light from above left. */
const ENVIRONMENT_INTENSITY = 0.6;
const KEY_LIGHT = { intensity: 1.5, direction: new THREE.Vector3(-0.5, 1, 0.6).normalize() };

const draco = new DRACOLoader()
  .setDecoderPath('/three/examples/jsm/libs/draco/')
  .setDecoderConfig({ type: 'wasm' });
const ktx2 = new KTX2Loader().setTranscoderPath('/three/examples/jsm/libs/basis/').detectSupport(renderer);
const loader = new GLTFLoader().setDRACOLoader(draco).setKTX2Loader(ktx2).setMeshoptDecoder(MeshoptDecoder);

/** Every vertex position of the model, in world space. */
function* worldVertices(object) {
  const vertex = new THREE.Vector3();
  const stack = [object];
  for (let node = stack.pop(); node; node = stack.pop()) {
    stack.push(...node.children);
    const position = node.geometry?.attributes?.position;
    if (!position || !node.visible) continue;
    for (let i = 0; i < position.count; i++)
      yield vertex.fromBufferAttribute(position, i).applyMatrix4(node.matrixWorld);
  }
}

/**
 * Camera on VIEW_DIRECTION from the bounding box's centre, as close as it can be with every
 * vertex inside the middle 90% of the view: a vertex p (relative to the centre), seen along -d,
 * needs |p·right| and |p·up| within tan(fov/2) · (distance - p·d).
 */
function frame(object) {
  const box = new THREE.Box3().setFromObject(object);
  if (box.isEmpty()) throw new Error('the model has no visible geometry (empty bounding box)');
  const center = box.getCenter(new THREE.Vector3());
  const right = new THREE.Vector3().crossVectors(new THREE.Vector3(0, 1, 0), VIEW_DIRECTION).normalize();
  const up = new THREE.Vector3().crossVectors(VIEW_DIRECTION, right);
  const slope = Math.tan(THREE.MathUtils.degToRad(FOV / 2)) * 0.9;
  let distance = 0;
  let nearest = Number.POSITIVE_INFINITY;
  let farthest = Number.NEGATIVE_INFINITY;
  for (const vertex of worldVertices(object)) {
    const p = vertex.sub(center);
    const along = p.dot(VIEW_DIRECTION);
    distance = Math.max(distance, Math.max(Math.abs(p.dot(right)), Math.abs(p.dot(up))) / slope + along);
    nearest = Math.min(nearest, -along);
    farthest = Math.max(farthest, -along);
  }
  const size = box.getSize(new THREE.Vector3()).length() || 1;
  distance = Math.max(distance, size * 1e-3);
  return {
    fov: FOV,
    position: center.clone().addScaledVector(VIEW_DIRECTION, distance).toArray(),
    target: center.toArray(),
    near: Math.max(distance + nearest - size * 0.05, distance * 1e-3),
    far: distance + farthest + size * 0.05,
    box: { min: box.min.toArray(), max: box.max.toArray() },
  };
}

function dispose(object) {
  object.traverse((node) => {
    node.geometry?.dispose();
    const materials = Array.isArray(node.material) ? node.material : node.material ? [node.material] : [];
    for (const material of materials) {
      for (const value of Object.values(material)) if (value?.isTexture) value.dispose();
      material.dispose();
    }
  });
}

window.renderModel = async ({ url, camera }) => {
  const started = performance.now();
  const gltf = await loader.loadAsync(url);
  const scene = new THREE.Scene();
  scene.background = new THREE.Color().setHex(BACKGROUND, THREE.SRGBColorSpace);
  scene.environment = environment;
  scene.environmentIntensity = ENVIRONMENT_INTENSITY;
  scene.add(gltf.scene);
  scene.updateMatrixWorld(true);
  const view = camera ?? frame(gltf.scene);
  const perspective = new THREE.PerspectiveCamera(view.fov, SIZE / SIZE, view.near, view.far);
  perspective.position.fromArray(view.position);
  perspective.lookAt(new THREE.Vector3().fromArray(view.target));
  perspective.updateMatrixWorld(true);
  // The key light is fixed to the camera (same for both renders): it lights what the camera sees.
  const key = new THREE.DirectionalLight(0xffffff, KEY_LIGHT.intensity);
  key.position.copy(KEY_LIGHT.direction).applyQuaternion(perspective.quaternion).add(perspective.position);
  key.target.position.fromArray(view.target);
  scene.add(key, key.target);
  renderer.render(scene, perspective);
  const png = canvas.toDataURL('image/png');
  dispose(gltf.scene);
  renderer.renderLists.dispose();
  return { png, camera: view, ms: Math.round(performance.now() - started) };
};

window.webglInfo = () => {
  const gl = renderer.getContext();
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  return {
    version: gl.getParameter(gl.VERSION),
    renderer: debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
    three: THREE.REVISION,
  };
};

window.rendererReady = true;
