// Copies the 3D decoders model-viewer loads at runtime (Draco, Basis/KTX2, Meshopt) from the
// installed three.js into public/, so the product page never asks a third-party host for them.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// The admin app runs this too, naming its own public/ folder.
const publicDir = process.argv[2] ? path.resolve(process.argv[2]) : path.join(here, '..', 'public');
const require = createRequire(import.meta.url);
// three's exports map hides package.json; its main entry sits in build/.
const three = path.dirname(path.dirname(require.resolve('three')));
const libs = path.join(three, 'examples', 'jsm', 'libs');

const copies = [
  [path.join(libs, 'draco', 'gltf'), path.join(publicDir, 'draco')],
  [path.join(libs, 'basis'), path.join(publicDir, 'basis')],
  [
    path.join(libs, 'meshopt_decoder.module.js'),
    path.join(publicDir, 'meshopt', 'meshopt_decoder.module.js'),
  ],
];
for (const [from, to] of copies) {
  if (!existsSync(from)) throw new Error(`three.js does not ship ${from}`);
  mkdirSync(path.dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
}
console.log(`3d decoders copied to ${path.relative(process.cwd(), publicDir) || '.'}/`);
