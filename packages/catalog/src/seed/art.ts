import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

/**
 * Studio-style product cards for the demo catalog, drawn as SVG and rendered with sharp:
 * a soft gradient backdrop, a stylised shape suggesting the product, a contact shadow.
 * No text, so no fonts are needed; the same art always renders to the same bytes.
 */

export type ArtShape =
  | 'helmet'
  | 'bookends'
  | 'orb-lamp'
  | 'arc-lamp'
  | 'mushroom-lamp'
  | 'desk-set'
  | 'monitor-stand'
  | 'puzzle-cube'
  | 'rocket'
  | 'fox'
  | 'wall-clock'
  | 'desk-lamp';

export interface ArtPalette {
  /** Backdrop gradient, centre then edge. */
  backdrop: readonly [string, string];
  /** The product's main colour. */
  body: string;
  /** A second colour: trim, glass, light, secondary parts. */
  accent: string;
}

/** `hero`: the whole product; `detail`: a closer crop; `side`: mirrored, a little smaller. */
export type ArtView = 'hero' | 'detail' | 'side';

export interface ProductArt {
  shape: ArtShape;
  palette: ArtPalette;
  view?: ArtView;
}

export const CARD_SIZE = 1200;

// ---- colour ----

function parseHex(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m?.[1]) throw new Error(`art colours are #rrggbb, got ${JSON.stringify(hex)}`);
  const n = Number.parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Mixes toward white (amount > 0) or black (amount < 0); amount in [-1, 1]. */
export function shade(hex: string, amount: number): string {
  const target = amount >= 0 ? 255 : 0;
  const t = Math.min(1, Math.abs(amount));
  return `#${parseHex(hex)
    .map((c) => Math.round(c + (target - c) * t))
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`;
}

// ---- drawing helpers (a 1000 x 1000 stage, floor at y = 820) ----

const FLOOR = 820;
let gradientSeq = 0;

interface Defs {
  items: string[];
}

function pts(points: ReadonlyArray<readonly [number, number]>): string {
  return points.map(([x, y]) => `${round(x)},${round(y)}`).join(' ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A vertical (or angled) linear gradient from light to dark of one colour; returns its url(). */
function sheen(defs: Defs, color: string, light = 0.28, dark = -0.22, angle: 'v' | 'd' = 'd'): string {
  const id = `g${gradientSeq++}`;
  const [x2, y2] = angle === 'v' ? ['0', '1'] : ['1', '1'];
  defs.items.push(
    `<linearGradient id="${id}" x1="0" y1="0" x2="${x2}" y2="${y2}"><stop offset="0" stop-color="${shade(color, light)}"/><stop offset="1" stop-color="${shade(color, dark)}"/></linearGradient>`,
  );
  return `url(#${id})`;
}

/** A sphere-like radial gradient lit from the upper left. */
function orb(defs: Defs, color: string, glow = false): string {
  const id = `g${gradientSeq++}`;
  const stops = glow
    ? `<stop offset="0" stop-color="#ffffff"/><stop offset="0.35" stop-color="${shade(color, 0.55)}"/><stop offset="1" stop-color="${shade(color, -0.1)}"/>`
    : `<stop offset="0" stop-color="${shade(color, 0.55)}"/><stop offset="0.55" stop-color="${color}"/><stop offset="1" stop-color="${shade(color, -0.45)}"/>`;
  defs.items.push(`<radialGradient id="${id}" cx="0.36" cy="0.32" r="0.75">${stops}</radialGradient>`);
  return `url(#${id})`;
}

/** A 2.5D box: front face at (x, y-h)-(x+w, y), receding up-right by depth d. */
function box(defs: Defs, x: number, y: number, w: number, h: number, d: number, color: string): string {
  const front = pts([
    [x, y - h],
    [x + w, y - h],
    [x + w, y],
    [x, y],
  ]);
  const top = pts([
    [x, y - h],
    [x + d, y - h - d * 0.6],
    [x + w + d, y - h - d * 0.6],
    [x + w, y - h],
  ]);
  const side = pts([
    [x + w, y - h],
    [x + w + d, y - h - d * 0.6],
    [x + w + d, y - d * 0.6],
    [x + w, y],
  ]);
  return [
    `<polygon points="${front}" fill="${sheen(defs, color, 0.05, -0.12, 'v')}"/>`,
    `<polygon points="${top}" fill="${shade(color, 0.32)}"/>`,
    `<polygon points="${side}" fill="${shade(color, -0.28)}"/>`,
  ].join('');
}

/** Grid lines on the front face of a box (puzzle cube). */
function grid(x: number, y: number, w: number, h: number, n: number, color: string): string {
  const lines: string[] = [];
  for (let i = 1; i < n; i++) {
    lines.push(
      `<line x1="${round(x + (w * i) / n)}" y1="${round(y - h)}" x2="${round(x + (w * i) / n)}" y2="${y}"/>`,
    );
    lines.push(
      `<line x1="${x}" y1="${round(y - (h * i) / n)}" x2="${x + w}" y2="${round(y - (h * i) / n)}"/>`,
    );
  }
  return `<g stroke="${color}" stroke-width="6" stroke-linecap="round">${lines.join('')}</g>`;
}

// ---- the shapes ----

type Draw = (defs: Defs, p: ArtPalette) => string;

const SHAPES: Record<ArtShape, Draw> = {
  helmet: (defs, { body, accent }) => {
    const dark = shade(body, -0.6);
    return [
      // ear pieces behind the shell
      `<circle cx="292" cy="560" r="62" fill="${shade(body, -0.3)}"/>`,
      `<circle cx="708" cy="560" r="62" fill="${shade(body, -0.3)}"/>`,
      // shell
      `<path d="M300 580 C290 330 410 210 500 210 C590 210 710 330 700 580 L690 680 C680 740 630 775 575 785 L425 785 C370 775 320 740 310 680 Z" fill="${sheen(defs, body, 0.3, -0.3)}"/>`,
      // crest ridge
      `<path d="M470 214 C480 300 520 300 530 214 Z" fill="${shade(body, 0.35)}"/>`,
      // visor with a reflection
      `<path d="M338 470 C358 395 430 365 500 365 C570 365 642 395 662 470 L652 565 C600 600 400 600 348 565 Z" fill="${sheen(defs, accent, 0.35, -0.45)}"/>`,
      `<path d="M380 440 C410 405 460 392 520 392 C470 410 430 430 405 470 Z" fill="#ffffff" fill-opacity="0.45"/>`,
      // chin guard and vents
      `<path d="M420 640 L580 640 L560 760 L440 760 Z" fill="${dark}"/>`,
      `<g fill="${shade(body, -0.15)}"><rect x="450" y="660" width="100" height="14" rx="7"/><rect x="455" y="690" width="90" height="14" rx="7"/><rect x="462" y="720" width="76" height="14" rx="7"/></g>`,
      // battle scratches
      `<g stroke="${shade(body, 0.55)}" stroke-width="5" stroke-linecap="round" opacity="0.7"><line x1="610" y1="300" x2="650" y2="340"/><line x1="350" y1="620" x2="380" y2="660"/><line x1="620" y1="650" x2="660" y2="630"/></g>`,
    ].join('');
  },

  bookends: (defs, { body, accent }) => {
    const books = [
      { x: 380, w: 48, h: 300, c: shade(accent, -0.1) },
      { x: 432, w: 36, h: 270, c: shade(accent, 0.35) },
      { x: 472, w: 56, h: 320, c: shade(accent, -0.35) },
      { x: 532, w: 40, h: 285, c: shade(accent, 0.15) },
      { x: 576, w: 44, h: 305, c: shade(accent, -0.2) },
    ];
    return [
      box(defs, 170, FLOOR, 200, 200, 90, body),
      ...books.map(
        (b) =>
          `<rect x="${b.x}" y="${FLOOR - b.h}" width="${b.w}" height="${b.h}" rx="6" fill="${b.c}"/><rect x="${b.x + 8}" y="${FLOOR - b.h + 40}" width="${b.w - 16}" height="10" rx="5" fill="#ffffff" fill-opacity="0.35"/>`,
      ),
      box(defs, 630, FLOOR, 200, 200, 90, body),
    ].join('');
  },

  'orb-lamp': (defs, { body, accent }) =>
    [
      `<line x1="500" y1="-10" x2="500" y2="260" stroke="${shade(body, -0.5)}" stroke-width="8"/>`,
      `<path d="M462 262 L538 262 L552 300 L448 300 Z" fill="${sheen(defs, body, 0.2, -0.3)}"/>`,
      `<circle cx="500" cy="510" r="300" fill="${accent}" opacity="0.22" filter="url(#glow)"/>`,
      `<circle cx="500" cy="520" r="225" fill="${orb(defs, accent, true)}"/>`,
      `<ellipse cx="430" cy="430" rx="60" ry="36" fill="#ffffff" fill-opacity="0.5" transform="rotate(-35 430 430)"/>`,
    ].join(''),

  'arc-lamp': (defs, { body, accent }) =>
    [
      `<ellipse cx="300" cy="${FLOOR - 18}" rx="120" ry="30" fill="${sheen(defs, body, 0.2, -0.4, 'v')}"/>`,
      `<rect x="180" y="${FLOOR - 40}" width="240" height="24" rx="12" fill="${shade(body, -0.2)}"/>`,
      `<path d="M300 ${FLOOR - 40} C280 300 420 110 690 190" fill="none" stroke="${shade(body, -0.1)}" stroke-width="18" stroke-linecap="round"/>`,
      `<path d="M610 336 L770 336 L880 ${FLOOR - 10} L500 ${FLOOR - 10} Z" fill="${accent}" opacity="0.16"/>`,
      `<line x1="690" y1="190" x2="690" y2="262" stroke="${shade(body, -0.1)}" stroke-width="12" stroke-linecap="round"/>`,
      `<path d="M590 330 C590 225 790 225 790 330 Z" fill="${sheen(defs, body, 0.35, -0.3)}"/>`,
      `<ellipse cx="690" cy="330" rx="100" ry="18" fill="${shade(accent, 0.4)}"/>`,
    ].join(''),

  'mushroom-lamp': (defs, { body, accent }) =>
    [
      `<ellipse cx="500" cy="${FLOOR - 20}" rx="150" ry="34" fill="${sheen(defs, body, 0.15, -0.35, 'v')}"/>`,
      `<rect x="455" y="430" width="90" height="${FLOOR - 450}" rx="30" fill="${sheen(defs, body, 0.2, -0.2)}"/>`,
      `<ellipse cx="500" cy="470" rx="250" ry="46" fill="${shade(accent, 0.55)}"/>`,
      `<path d="M250 470 C250 250 750 250 750 470 Z" fill="${orb(defs, body)}"/>`,
      `<path d="M320 400 C340 320 420 290 480 285" fill="none" stroke="#ffffff" stroke-opacity="0.5" stroke-width="14" stroke-linecap="round"/>`,
    ].join(''),

  'desk-set': (defs, { body, accent }) =>
    [
      // cylinder pen pot
      `<rect x="150" y="520" width="170" height="${FLOOR - 520}" fill="${sheen(defs, body, 0.1, -0.3, 'd')}"/>`,
      `<ellipse cx="235" cy="${FLOOR}" rx="85" ry="26" fill="${shade(body, -0.3)}"/>`,
      `<ellipse cx="235" cy="520" rx="85" ry="26" fill="${shade(body, 0.3)}"/>`,
      `<ellipse cx="235" cy="522" rx="66" ry="18" fill="${shade(body, -0.45)}"/>`,
      `<g stroke-linecap="round" stroke-width="12"><line x1="210" y1="520" x2="180" y2="380" stroke="${accent}"/><line x1="250" y1="520" x2="275" y2="360" stroke="${shade(accent, -0.3)}"/></g>`,
      // cone
      `<path d="M480 380 L580 ${FLOOR} L380 ${FLOOR} Z" fill="${sheen(defs, accent, 0.25, -0.3)}"/>`,
      // sphere
      `<circle cx="690" cy="${FLOOR - 95}" r="95" fill="${orb(defs, body)}"/>`,
      // cube
      box(defs, 770, FLOOR, 110, 110, 50, accent),
      // torus (paperweight ring) lying in front
      `<ellipse cx="500" cy="${FLOOR + 40}" rx="120" ry="40" fill="none" stroke="${shade(body, -0.1)}" stroke-width="30"/>`,
    ].join(''),

  'monitor-stand': (defs, { body, accent }) =>
    [
      box(defs, 170, FLOOR, 40, 150, 120, shade(body, -0.15)),
      box(defs, 750, FLOOR, 40, 150, 120, shade(body, -0.15)),
      box(defs, 140, FLOOR - 150, 680, 45, 120, body),
      // wood grain on the slab front
      `<g stroke="${shade(body, -0.3)}" stroke-width="3" opacity="0.5" fill="none"><path d="M160 ${FLOOR - 180} C300 ${FLOOR - 170} 500 ${FLOOR - 185} 800 ${FLOOR - 175}"/><path d="M160 ${FLOOR - 165} C360 ${FLOOR - 160} 560 ${FLOOR - 170} 800 ${FLOOR - 162}"/></g>`,
      // a small plant on top
      `<path d="M560 ${FLOOR - 270} L640 ${FLOOR - 270} L628 ${FLOOR - 200} L572 ${FLOOR - 200} Z" fill="${shade(accent, 0.4)}"/>`,
      `<g fill="${accent}"><ellipse cx="585" cy="${FLOOR - 310}" rx="22" ry="50" transform="rotate(-25 585 ${FLOOR - 310})"/><ellipse cx="615" cy="${FLOOR - 320}" rx="22" ry="55" transform="rotate(20 615 ${FLOOR - 320})"/><ellipse cx="600" cy="${FLOOR - 335}" rx="18" ry="55"/></g>`,
    ].join(''),

  'puzzle-cube': (defs, { body, accent }) =>
    [
      box(defs, 320, FLOOR - 20, 330, 330, 140, body),
      grid(320, FLOOR - 20, 330, 330, 3, shade(body, -0.4)),
      `<g fill="${accent}" opacity="0.9"><rect x="438" y="${FLOOR - 240}" width="94" height="94" rx="8"/><rect x="548" y="${FLOOR - 130}" width="94" height="94" rx="8"/><rect x="328" y="${FLOOR - 342}" width="94" height="94" rx="8"/></g>`,
    ].join(''),

  rocket: (defs, { body, accent }) =>
    [
      `<g transform="rotate(18 500 500)">`,
      `<path d="M440 690 C420 760 470 820 500 880 C530 820 580 760 560 690 Z" fill="${orb(defs, accent, true)}"/>`,
      `<path d="M420 560 L330 700 L420 680 Z" fill="${shade(accent, -0.2)}"/>`,
      `<path d="M580 560 L670 700 L580 680 Z" fill="${shade(accent, -0.35)}"/>`,
      `<path d="M500 140 C600 240 610 450 580 690 L420 690 C390 450 400 240 500 140 Z" fill="${sheen(defs, body, 0.35, -0.3)}"/>`,
      `<path d="M500 140 C540 180 565 220 578 262 L422 262 C435 220 460 180 500 140 Z" fill="${shade(accent, -0.1)}"/>`,
      `<circle cx="500" cy="400" r="58" fill="${shade(body, -0.45)}"/>`,
      `<circle cx="500" cy="400" r="42" fill="${orb(defs, shade(accent, 0.5))}"/>`,
      `<rect x="470" y="600" width="60" height="90" fill="${shade(body, -0.25)}"/>`,
      `</g>`,
    ].join(''),

  fox: (_defs, { body, accent }) => {
    const l = shade(body, 0.25);
    const d = shade(body, -0.25);
    const w = shade(accent, 0.6);
    const facets: [string, ReadonlyArray<readonly [number, number]>][] = [
      // tail
      [
        d,
        [
          [620, 760],
          [820, 640],
          [760, 780],
        ],
      ],
      [
        l,
        [
          [820, 640],
          [880, 560],
          [800, 700],
        ],
      ],
      [
        w,
        [
          [880, 560],
          [900, 520],
          [840, 600],
        ],
      ],
      // body
      [
        body,
        [
          [380, 560],
          [640, 560],
          [680, 780],
          [420, 780],
        ],
      ],
      [
        d,
        [
          [640, 560],
          [720, 700],
          [680, 780],
        ],
      ],
      [
        l,
        [
          [380, 560],
          [500, 620],
          [420, 780],
        ],
      ],
      // legs
      [
        d,
        [
          [430, 780],
          [470, 780],
          [460, 820],
          [430, 820],
        ],
      ],
      [
        d,
        [
          [610, 780],
          [650, 780],
          [650, 820],
          [620, 820],
        ],
      ],
      // head
      [
        body,
        [
          [260, 420],
          [420, 380],
          [470, 520],
          [340, 600],
        ],
      ],
      [
        l,
        [
          [260, 420],
          [340, 600],
          [200, 520],
        ],
      ],
      [
        w,
        [
          [200, 520],
          [340, 600],
          [250, 610],
        ],
      ],
      [
        w,
        [
          [340, 600],
          [470, 520],
          [420, 640],
        ],
      ],
      // ears
      [
        d,
        [
          [280, 420],
          [300, 290],
          [360, 400],
        ],
      ],
      [
        d,
        [
          [370, 390],
          [430, 270],
          [430, 390],
        ],
      ],
      [
        shade(accent, -0.3),
        [
          [196, 516],
          [214, 528],
          [200, 536],
        ],
      ],
    ];
    return facets
      .map(
        ([fill, points]) =>
          `<polygon points="${pts(points)}" fill="${fill}" stroke="${fill}" stroke-width="2" stroke-linejoin="round"/>`,
      )
      .join('');
  },

  'wall-clock': (defs, { body, accent }) => {
    const ticks: string[] = [];
    for (let h = 0; h < 12; h++) {
      ticks.push(
        `<rect x="494" y="${h % 3 === 0 ? 250 : 262}" width="12" height="${h % 3 === 0 ? 50 : 30}" rx="6" transform="rotate(${h * 30} 500 480)"/>`,
      );
    }
    return [
      `<circle cx="500" cy="480" r="300" fill="${sheen(defs, body, 0.25, -0.35)}"/>`,
      `<circle cx="500" cy="480" r="262" fill="${shade(accent, 0.75)}"/>`,
      `<g fill="${shade(body, -0.4)}">${ticks.join('')}</g>`,
      `<rect x="491" y="330" width="18" height="160" rx="9" fill="${shade(body, -0.5)}" transform="rotate(-50 500 480)"/>`,
      `<rect x="494" y="270" width="12" height="220" rx="6" fill="${shade(body, -0.5)}" transform="rotate(60 500 480)"/>`,
      `<rect x="497" y="280" width="6" height="230" rx="3" fill="${accent}" transform="rotate(160 500 480)"/>`,
      `<circle cx="500" cy="480" r="18" fill="${accent}"/>`,
    ].join('');
  },

  'desk-lamp': (defs, { body, accent }) =>
    [
      `<ellipse cx="360" cy="${FLOOR - 14}" rx="140" ry="30" fill="${sheen(defs, body, 0.2, -0.4, 'v')}"/>`,
      `<g stroke="${shade(body, -0.15)}" stroke-width="22" stroke-linecap="round" fill="none"><path d="M360 ${FLOOR - 30} L470 460"/><path d="M470 460 L640 330"/></g>`,
      `<circle cx="470" cy="460" r="24" fill="${accent}"/>`,
      `<circle cx="360" cy="${FLOOR - 34}" r="22" fill="${accent}"/>`,
      `<path d="M600 290 L720 270 L800 450 L640 500 Z" fill="${sheen(defs, body, 0.3, -0.3)}"/>`,
      `<ellipse cx="720" cy="476" rx="84" ry="22" fill="${shade(accent, 0.5)}" transform="rotate(-17 720 476)"/>`,
      `<path d="M650 500 L520 ${FLOOR} L880 ${FLOOR} L800 460 Z" fill="${accent}" opacity="0.12"/>`,
    ].join(''),
};

const VIEWS: Record<ArtView, string> = {
  hero: 'translate(100 90)',
  // closer: 1.45x around the upper middle
  detail: 'translate(600 560) scale(1.45) translate(-500 -470)',
  side: 'translate(1110 150) scale(-0.9 0.9)',
};

/** The card as SVG text, drawn on a CARD_SIZE square and `size` pixels wide. Deterministic for the same art. */
export function productCardSvg(art: ProductArt, size = CARD_SIZE): string {
  gradientSeq = 0;
  const defs: Defs = { items: [] };
  const [inner, outer] = art.palette.backdrop;
  const drawing = SHAPES[art.shape](defs, art.palette);
  const view = art.view ?? 'hero';
  // where the product's floor lands on the card in each view (see VIEWS)
  const floorY =
    view === 'detail' ? (FLOOR - 470) * 1.45 + 560 : view === 'side' ? 150 + FLOOR * 0.9 : FLOOR + 90;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${CARD_SIZE} ${CARD_SIZE}">
<defs>
<radialGradient id="backdrop" cx="0.5" cy="0.38" r="0.8"><stop offset="0" stop-color="${shade(inner, 0.2)}"/><stop offset="0.6" stop-color="${inner}"/><stop offset="1" stop-color="${outer}"/></radialGradient>
<linearGradient id="floor" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${outer}" stop-opacity="0"/><stop offset="1" stop-color="${shade(outer, -0.12)}" stop-opacity="0.55"/></linearGradient>
<filter id="drop" x="-20%" y="-20%" width="140%" height="150%"><feDropShadow dx="0" dy="22" stdDeviation="24" flood-color="#1b1b2a" flood-opacity="0.28"/></filter>
<filter id="contact" x="-50%" y="-200%" width="200%" height="500%"><feGaussianBlur stdDeviation="26"/></filter>
<filter id="glow" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="40"/></filter>
${defs.items.join('\n')}
</defs>
<rect width="${CARD_SIZE}" height="${CARD_SIZE}" fill="url(#backdrop)"/>
<rect y="${floorY - 60}" width="${CARD_SIZE}" height="${CARD_SIZE - floorY + 60}" fill="url(#floor)"/>
<ellipse cx="600" cy="${floorY}" rx="${view === 'detail' ? 470 : 360}" ry="44" fill="#1b1b2a" opacity="0.22" filter="url(#contact)"/>
<g filter="url(#drop)"><g transform="${VIEWS[view]}">${drawing}</g></g>
</svg>`;
}

export interface RenderedImage {
  bytes: Uint8Array;
  width: number;
  height: number;
  mimeType: 'image/webp';
}

/**
 * Drawing the cards is most of a seed's time, and every test database seeds once; the
 * rendered bytes are kept in the OS temp folder, keyed by the SVG and the encoder.
 */
const RENDER_CACHE_DIR = path.join(tmpdir(), 'e3d-seed-art');

/** Renders the card to a square WebP (quality 80), CARD_SIZE pixels wide unless `size` says otherwise. */
export async function renderProductCard(art: ProductArt, size = CARD_SIZE): Promise<RenderedImage> {
  const svg = productCardSvg(art, size);
  const cacheFile = path.join(
    RENDER_CACHE_DIR,
    `${createHash('sha256').update(`${sharp.versions.vips}:webp:q80:e4:${svg}`).digest('hex')}.webp`,
  );
  const cached = await readFile(cacheFile).catch(() => null);
  if (cached) {
    const { width, height } = await sharp(cached).metadata();
    if (width === size && height === size) {
      return { bytes: new Uint8Array(cached), width, height, mimeType: 'image/webp' };
    }
  }
  const { data, info } = await sharp(Buffer.from(svg))
    .webp({ quality: 80, effort: 4 })
    .toBuffer({ resolveWithObject: true });
  await mkdir(RENDER_CACHE_DIR, { recursive: true });
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, cacheFile);
  return {
    bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
    mimeType: 'image/webp',
  };
}
