// Generates public/env/studio.hdr: a soft, neutral photo-studio environment for <model-viewer>
// (Radiance RGBE, 512×256 equirectangular, run-length encoded). One large overhead softbox, a key
// and a fill softbox either side of the camera and a grey cyclorama: white light only, so product
// colours stay true. Run: node scripts/make-studio-hdr.mjs (the output is committed).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const W = 512;
const H = 256;
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'env', 'studio.hdr');

const smooth = (e0, e1, x) => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
};
/** A rectangular softbox with feathered edges, centred on (azimuth, elevation), sizes in radians. */
const softbox = (az, el, cAz, cEl, w, h) => {
  const dAz = Math.abs(Math.atan2(Math.sin(az - cAz), Math.cos(az - cAz))) * Math.cos(el);
  const dEl = Math.abs(el - cEl);
  return (1 - smooth(w * 0.35, w * 0.5, dAz)) * (1 - smooth(h * 0.35, h * 0.5, dEl));
};
const deg = Math.PI / 180;

function radiance(x, y) {
  // model-viewer's camera looks from +Z towards the origin; azimuth 0 is the camera side.
  const az = ((x + 0.5) / W) * 2 * Math.PI - Math.PI;
  const el = Math.PI / 2 - ((y + 0.5) / H) * Math.PI;
  // Cyclorama: light grey above the horizon, a darker floor, a soft horizon line between them.
  const sky = 0.55 + 0.25 * Math.max(0, Math.sin(el));
  const floor = 0.22 + 0.08 * (1 + Math.sin(el));
  let v = floor + (sky - floor) * smooth(-0.12, 0.08, el);
  // Overhead softbox: a big diffuse panel around the zenith.
  v += 5 * (1 - smooth(18 * deg, 34 * deg, Math.PI / 2 - el));
  // Key (left-front) and fill (right-front) strip boxes slightly above the horizon.
  v += 4.5 * softbox(az, el, -55 * deg, 18 * deg, 40 * deg, 60 * deg);
  v += 2.5 * softbox(az, el, 60 * deg, 14 * deg, 36 * deg, 52 * deg);
  // A faint rim light behind the product.
  v += 1.2 * softbox(az, el, 180 * deg, 25 * deg, 70 * deg, 24 * deg);
  return [v, v, v * 0.995];
}

/** Float RGB → shared-exponent RGBE bytes. */
function rgbe([r, g, b]) {
  const m = Math.max(r, g, b);
  if (m < 1e-32) return [0, 0, 0, 0];
  const e = Math.ceil(Math.log2(m) + 1e-9);
  const f = 256 / 2 ** e;
  return [
    Math.min(255, Math.floor(r * f)),
    Math.min(255, Math.floor(g * f)),
    Math.min(255, Math.floor(b * f)),
    e + 128,
  ];
}

/** One channel of a scanline in Radiance's adaptive run-length encoding. */
function rle(bytes) {
  const outBytes = [];
  let i = 0;
  while (i < bytes.length) {
    let run = 1;
    while (i + run < bytes.length && run < 127 && bytes[i + run] === bytes[i]) run++;
    if (run >= 4) {
      outBytes.push(128 + run, bytes[i]);
      i += run;
      continue;
    }
    // A literal stretch up to the next run of 4 or more.
    let end = i;
    while (end < bytes.length && end - i < 128) {
      let r = 1;
      while (end + r < bytes.length && r < 4 && bytes[end + r] === bytes[end]) r++;
      if (r >= 4) break;
      end++;
    }
    outBytes.push(end - i, ...bytes.slice(i, end));
    i = end;
  }
  return outBytes;
}

const chunks = [
  Buffer.from(`#?RADIANCE\n# ecommerce-3d studio\nFORMAT=32-bit_rle_rgbe\n\n-Y ${H} +X ${W}\n`, 'ascii'),
];
for (let y = 0; y < H; y++) {
  const channels = [[], [], [], []];
  for (let x = 0; x < W; x++) {
    const bytes = rgbe(radiance(x, y));
    for (let c = 0; c < 4; c++) channels[c].push(bytes[c]);
  }
  chunks.push(Buffer.from([2, 2, W >> 8, W & 255]), ...channels.map((c) => Buffer.from(rle(c))));
}
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, Buffer.concat(chunks));
console.log(`wrote ${path.relative(process.cwd(), out)}`);
