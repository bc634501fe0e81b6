import type { ArtPalette, ArtShape, ArtView } from './art.ts';

/**
 * The demo catalog a fresh install starts with: a small shop of home, desk and collectible
 * goods, four of them with a real 3D model (packages/db/seed-assets/models, see LICENSES.md).
 * Prices are integer minor units of USD; weights in grams, dimensions in millimetres.
 */

export type DemoStatus = 'draft' | 'published' | 'archived';

export interface DemoCategory {
  handle: string;
  name: string;
  description: string;
  /** Handle of the parent category; absent at the top level. */
  parent?: string;
}

export interface DemoOption {
  name: string;
  values: readonly string[];
}

export interface DemoVariant {
  sku: string;
  /** Option name -> value, one entry per option of the product (none for a single-variant product). */
  options: Readonly<Record<string, string>>;
  price: number;
  compareAt?: number;
  stock: number;
  allowBackorder?: boolean;
  weightGrams: number;
  /** Length x width x height in mm, as packed. */
  dimensionsMm: readonly [number, number, number];
}

export interface DemoImage {
  art: { shape: ArtShape; palette: ArtPalette; view?: ArtView };
  alt: string;
  /** Shows one variant (e.g. a colour): the image is linked to the variant with this SKU. */
  variantSku?: string;
}

export interface DemoModel {
  /** File name in packages/db/seed-assets/models. */
  file: string;
  alt: string;
  attribution: string;
}

export interface DemoProduct {
  handle: string;
  title: string;
  description: string;
  status: DemoStatus;
  seoTitle: string;
  seoDescription: string;
  /** Category handles; the first is the primary one (breadcrumb). */
  categories: readonly string[];
  options: readonly DemoOption[];
  variants: readonly DemoVariant[];
  images: readonly DemoImage[];
  model?: DemoModel;
  /** How long ago the product was created (and, when published, published). */
  ageDays: number;
}

export interface DemoCollection {
  handle: string;
  title: string;
  description: string;
  featured: boolean;
  /** Product handles in display order. */
  products: readonly string[];
}

export const DEMO_CURRENCY = 'USD';

export const DEMO_CATEGORIES: readonly DemoCategory[] = [
  {
    handle: 'home-decor',
    name: 'Home & Decor',
    description: 'Pieces that make a room feel finished, from lighting to the small things on the shelf.',
  },
  {
    handle: 'lighting',
    name: 'Lighting',
    description: 'Pendant, floor and table lamps with warm, glare-free light.',
    parent: 'home-decor',
  },
  {
    handle: 'desk',
    name: 'Desk & Office',
    description: 'Organisers, stands and bookends for a calmer workspace.',
    parent: 'home-decor',
  },
  {
    handle: 'collectibles',
    name: 'Collectibles',
    description: 'Display pieces and limited runs for the shelf that tells your story.',
  },
  {
    handle: 'replicas',
    name: 'Replicas & Props',
    description: 'Screen-inspired replicas, finished by hand and built to be displayed.',
    parent: 'collectibles',
  },
  {
    handle: 'toys-games',
    name: 'Toys & Games',
    description: 'Puzzles, kits and playful objects for curious minds of every age.',
  },
];

// Backdrops: soft studio sweeps.
const COOL = ['#e9eef5', '#b7c3d5'] as const;
const WARM = ['#f7ede4', '#dbc3b1'] as const;
const CREAM = ['#f4f0e7', '#d8cdb8'] as const;
const SAGE = ['#eef2ea', '#c2cdb9'] as const;
const DUSK = ['#ecebf4', '#bdb9d3'] as const;

const DAMAGED_HELMET_ATTRIBUTION = '"Battle Damaged Sci-fi Helmet - PBR" by theblueflame, CC BY 4.0';
const GLTF_TRANSFORM_FIXTURE = (name: string) =>
  `"${name}" from the glTF-Transform test fixtures, MIT License`;

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  {
    handle: 'sci-fi-helmet-replica',
    title: 'Sci-Fi Battle Helmet Replica',
    description:
      'A full-size display replica of a battle-worn pilot helmet, cast in lightweight resin and finished by hand. The amber visor is tinted acrylic, and every scratch and scorch mark is painted individually. It ships with a matte black display stand and a numbered certificate.',
    status: 'published',
    seoTitle: 'Sci-Fi Battle Helmet Replica | Hand-Finished Display Piece',
    seoDescription:
      'Full-size resin sci-fi helmet replica with a tinted visor and hand-painted battle damage. Includes display stand. Turn it around in 3D or view it in your room.',
    categories: ['replicas', 'collectibles'],
    options: [{ name: 'Finish', values: ['Weathered', 'Pristine'] }],
    variants: [
      {
        sku: 'HELM-WTH',
        options: { Finish: 'Weathered' },
        price: 18900,
        compareAt: 21900,
        stock: 14,
        weightGrams: 1850,
        dimensionsMm: [380, 330, 360],
      },
      {
        sku: 'HELM-PRS',
        options: { Finish: 'Pristine' },
        price: 19900,
        stock: 6,
        weightGrams: 1850,
        dimensionsMm: [380, 330, 360],
      },
    ],
    images: [
      {
        art: { shape: 'helmet', palette: { backdrop: COOL, body: '#8b929c', accent: '#d98a2b' } },
        alt: 'Weathered sci-fi helmet replica with an amber visor, front view',
        variantSku: 'HELM-WTH',
      },
      {
        art: {
          shape: 'helmet',
          palette: { backdrop: DUSK, body: '#c9ced6', accent: '#3f7fbf' },
          view: 'side',
        },
        alt: 'Pristine sci-fi helmet replica with a blue visor',
        variantSku: 'HELM-PRS',
      },
      {
        art: {
          shape: 'helmet',
          palette: { backdrop: COOL, body: '#8b929c', accent: '#d98a2b' },
          view: 'detail',
        },
        alt: 'Close-up of the hand-painted battle damage on the helmet shell',
      },
    ],
    model: {
      file: 'DamagedHelmet.glb',
      alt: '3D model of the sci-fi battle helmet replica',
      attribution: DAMAGED_HELMET_ATTRIBUTION,
    },
    ageDays: 40,
  },
  {
    handle: 'geometric-desk-set',
    title: 'Geometric Desk Set',
    description:
      'Six sculptural desk pieces in one set: a pen pot, a cone, a sphere, a cube, a ring tray and a torus paperweight. Each shape is cast solid, so it stays put and feels satisfyingly heavy in the hand. Mix them across your desk or group them on a shelf.',
    status: 'published',
    seoTitle: 'Geometric Desk Set | Six Solid Desk Organisers',
    seoDescription:
      'A six-piece set of solid geometric desk organisers: pen pot, sphere, cone, cube and more. Available in concrete or walnut. See every piece in 3D.',
    categories: ['desk'],
    options: [{ name: 'Material', values: ['Concrete', 'Walnut'] }],
    variants: [
      {
        sku: 'GEOD-CON',
        options: { Material: 'Concrete' },
        price: 6400,
        stock: 32,
        weightGrams: 2400,
        dimensionsMm: [420, 160, 140],
      },
      {
        sku: 'GEOD-WAL',
        options: { Material: 'Walnut' },
        price: 8900,
        stock: 9,
        weightGrams: 1300,
        dimensionsMm: [420, 160, 140],
      },
    ],
    images: [
      {
        art: { shape: 'desk-set', palette: { backdrop: CREAM, body: '#9c9a96', accent: '#d9b58c' } },
        alt: 'Concrete geometric desk set: pen pot, cone, sphere, cube and torus',
        variantSku: 'GEOD-CON',
      },
      {
        art: { shape: 'desk-set', palette: { backdrop: WARM, body: '#6b4a34', accent: '#b98a5e' } },
        alt: 'Walnut geometric desk set on a warm backdrop',
        variantSku: 'GEOD-WAL',
      },
    ],
    model: {
      file: 'ShapeCollection.glb',
      alt: '3D model of the six shapes in the geometric desk set',
      attribution: GLTF_TRANSFORM_FIXTURE('ShapeCollection'),
    },
    ageDays: 25,
  },
  {
    handle: 'twin-cube-bookends',
    title: 'Twin Cube Bookends',
    description:
      'A pair of solid cube bookends with a soft-touch glaze and felt-lined bases that will not scratch your shelves. Each cube weighs just over a kilo, enough to hold a row of hardbacks upright. Sold as a pair.',
    status: 'published',
    seoTitle: 'Twin Cube Bookends | Heavy Ceramic Pair',
    seoDescription:
      'Pair of heavy ceramic cube bookends with felt-lined bases, in terracotta, sage or charcoal. Under $50. Preview them in 3D and in AR on your shelf.',
    categories: ['desk', 'home-decor'],
    options: [{ name: 'Color', values: ['Terracotta', 'Sage', 'Charcoal'] }],
    variants: [
      {
        sku: 'CUBE-TER',
        options: { Color: 'Terracotta' },
        price: 4200,
        stock: 21,
        weightGrams: 2300,
        dimensionsMm: [250, 130, 130],
      },
      {
        sku: 'CUBE-SAG',
        options: { Color: 'Sage' },
        price: 4200,
        stock: 0,
        weightGrams: 2300,
        dimensionsMm: [250, 130, 130],
      },
      {
        sku: 'CUBE-CHA',
        options: { Color: 'Charcoal' },
        price: 4200,
        stock: 12,
        weightGrams: 2300,
        dimensionsMm: [250, 130, 130],
      },
    ],
    images: [
      {
        art: { shape: 'bookends', palette: { backdrop: WARM, body: '#c0643f', accent: '#5b7f95' } },
        alt: 'Terracotta cube bookends holding a row of books',
        variantSku: 'CUBE-TER',
      },
      {
        art: { shape: 'bookends', palette: { backdrop: SAGE, body: '#8fa58a', accent: '#b5654a' } },
        alt: 'Sage green cube bookends holding a row of books',
        variantSku: 'CUBE-SAG',
      },
      {
        art: { shape: 'bookends', palette: { backdrop: COOL, body: '#3d3f45', accent: '#c9a25e' } },
        alt: 'Charcoal cube bookends holding a row of books',
        variantSku: 'CUBE-CHA',
      },
    ],
    model: {
      file: 'TwoCubes.glb',
      alt: '3D model of the twin cube bookends',
      attribution: GLTF_TRANSFORM_FIXTURE('TwoCubes'),
    },
    ageDays: 18,
  },
  {
    handle: 'orb-pendant-lamp',
    title: 'Orb Pendant Lamp',
    description:
      'A hand-blown glass globe that diffuses light evenly in every direction, hung from a braided fabric cord. The brushed steel canopy fits any standard ceiling box, and the globe takes an E26 bulb up to 60 W. Choose opal glass for a soft glow or smoked glass for a moodier warmth.',
    status: 'published',
    seoTitle: 'Orb Pendant Lamp | Hand-Blown Glass Globe Light',
    seoDescription:
      'Hand-blown glass orb pendant lamp in opal or smoked glass, 30 or 45 cm. Soft, even light with a braided cord. See its size in your room with AR.',
    categories: ['lighting'],
    options: [
      { name: 'Finish', values: ['Opal', 'Smoked'] },
      { name: 'Size', values: ['30 cm', '45 cm'] },
    ],
    variants: [
      {
        sku: 'ORB-OPL-30',
        options: { Finish: 'Opal', Size: '30 cm' },
        price: 14900,
        stock: 11,
        weightGrams: 2100,
        dimensionsMm: [360, 360, 380],
      },
      {
        sku: 'ORB-OPL-45',
        options: { Finish: 'Opal', Size: '45 cm' },
        price: 19900,
        stock: 4,
        weightGrams: 3600,
        dimensionsMm: [510, 510, 530],
      },
      {
        sku: 'ORB-SMK-30',
        options: { Finish: 'Smoked', Size: '30 cm' },
        price: 15900,
        compareAt: 17900,
        stock: 7,
        weightGrams: 2100,
        dimensionsMm: [360, 360, 380],
      },
      {
        sku: 'ORB-SMK-45',
        options: { Finish: 'Smoked', Size: '45 cm' },
        price: 20900,
        compareAt: 23900,
        stock: 0,
        weightGrams: 3600,
        dimensionsMm: [510, 510, 530],
      },
    ],
    images: [
      {
        art: { shape: 'orb-lamp', palette: { backdrop: CREAM, body: '#3a3a40', accent: '#ffd8a0' } },
        alt: 'Opal glass orb pendant lamp glowing warmly',
        variantSku: 'ORB-OPL-30',
      },
      {
        art: { shape: 'orb-lamp', palette: { backdrop: DUSK, body: '#2c2c33', accent: '#a9826a' } },
        alt: 'Smoked glass orb pendant lamp',
        variantSku: 'ORB-SMK-30',
      },
    ],
    model: {
      file: 'DenseSphere.glb',
      alt: '3D model of the orb pendant lamp globe',
      attribution: GLTF_TRANSFORM_FIXTURE('DenseSphere'),
    },
    ageDays: 3,
  },
  {
    handle: 'arc-floor-lamp',
    title: 'Arc Floor Lamp',
    description:
      'A sweeping steel arc that reaches over a sofa or reading chair, so the light lands exactly where you need it. The weighted marble-look base keeps it steady, and a foot dimmer sets the mood. The spun metal shade is lined in white to bounce more light downward.',
    status: 'published',
    seoTitle: 'Arc Floor Lamp with Dimmer | Matte Black or Brass',
    seoDescription:
      'Sweeping arc floor lamp with a weighted base, foot dimmer and spun metal shade, in matte black or brushed brass. Free shipping.',
    categories: ['lighting', 'home-decor'],
    options: [{ name: 'Color', values: ['Matte Black', 'Brushed Brass'] }],
    variants: [
      {
        sku: 'ARC-BLK',
        options: { Color: 'Matte Black' },
        price: 32900,
        compareAt: 37900,
        stock: 8,
        weightGrams: 14500,
        dimensionsMm: [1400, 360, 260],
      },
      {
        sku: 'ARC-BRS',
        options: { Color: 'Brushed Brass' },
        price: 34900,
        stock: 3,
        weightGrams: 14500,
        dimensionsMm: [1400, 360, 260],
      },
    ],
    images: [
      {
        art: { shape: 'arc-lamp', palette: { backdrop: COOL, body: '#34363b', accent: '#ffe2b0' } },
        alt: 'Matte black arc floor lamp casting a pool of warm light',
        variantSku: 'ARC-BLK',
      },
      {
        art: { shape: 'arc-lamp', palette: { backdrop: WARM, body: '#b08d4f', accent: '#ffe2b0' } },
        alt: 'Brushed brass arc floor lamp',
        variantSku: 'ARC-BRS',
      },
    ],
    ageDays: 60,
  },
  {
    handle: 'mushroom-table-lamp',
    title: 'Mushroom Table Lamp',
    description:
      'A rounded glazed-ceramic table lamp with a domed shade that throws a soft, downward pool of light. It is compact enough for a bedside table and ships with a warm 2700 K LED bulb. The in-line switch sits on a cloth-covered cord.',
    status: 'published',
    seoTitle: 'Mushroom Table Lamp | Glazed Ceramic Bedside Lamp',
    seoDescription:
      'Compact glazed ceramic mushroom table lamp with a domed shade and warm LED bulb included. Cream or forest green.',
    categories: ['lighting', 'desk'],
    options: [{ name: 'Color', values: ['Cream', 'Forest Green'] }],
    variants: [
      {
        sku: 'MUSH-CRM',
        options: { Color: 'Cream' },
        price: 8900,
        stock: 26,
        weightGrams: 1600,
        dimensionsMm: [300, 300, 340],
      },
      {
        sku: 'MUSH-GRN',
        options: { Color: 'Forest Green' },
        price: 8900,
        stock: 15,
        weightGrams: 1600,
        dimensionsMm: [300, 300, 340],
      },
    ],
    images: [
      {
        art: { shape: 'mushroom-lamp', palette: { backdrop: CREAM, body: '#e8dcc4', accent: '#ffd9a0' } },
        alt: 'Cream ceramic mushroom table lamp',
        variantSku: 'MUSH-CRM',
      },
      {
        art: { shape: 'mushroom-lamp', palette: { backdrop: SAGE, body: '#3f6b4f', accent: '#ffd9a0' } },
        alt: 'Forest green ceramic mushroom table lamp',
        variantSku: 'MUSH-GRN',
      },
    ],
    ageDays: 6,
  },
  {
    handle: 'walnut-monitor-stand',
    title: 'Walnut Monitor Stand',
    description:
      'A solid walnut shelf that lifts your screen to eye level and clears space for a keyboard underneath. The steel legs are powder-coated and fitted with non-slip pads. Each board is oiled by hand, so the grain varies from piece to piece.',
    status: 'published',
    seoTitle: 'Walnut Monitor Stand | Solid Wood Desk Shelf',
    seoDescription:
      'Solid walnut monitor stand with powder-coated steel legs, in 60 or 80 cm widths. Raises your screen to eye level and tidies your desk.',
    categories: ['desk'],
    options: [{ name: 'Width', values: ['60 cm', '80 cm'] }],
    variants: [
      {
        sku: 'STND-WAL-60',
        options: { Width: '60 cm' },
        price: 11900,
        stock: 18,
        weightGrams: 3200,
        dimensionsMm: [640, 260, 110],
      },
      {
        sku: 'STND-WAL-80',
        options: { Width: '80 cm' },
        price: 13900,
        compareAt: 15900,
        stock: 5,
        weightGrams: 4100,
        dimensionsMm: [840, 260, 110],
      },
    ],
    images: [
      {
        art: { shape: 'monitor-stand', palette: { backdrop: WARM, body: '#7a5236', accent: '#5f8f5a' } },
        alt: 'Walnut monitor stand with a small plant on top',
      },
    ],
    ageDays: 5,
  },
  {
    handle: 'wooden-puzzle-cube',
    title: 'Wooden Puzzle Cube',
    description:
      'Twenty-seven beech blocks joined by a hidden elastic cord fold into a perfect cube, if you can find the way. It is a calm, screen-free challenge for ages eight and up. Comes in a cotton drawstring bag with a solution card.',
    status: 'published',
    seoTitle: 'Wooden Puzzle Cube | Beech Snake Cube Brainteaser',
    seoDescription:
      'Classic beech wood snake-cube puzzle: 27 blocks fold into one cube. A screen-free brainteaser for ages 8+, with a solution card.',
    categories: ['toys-games'],
    options: [],
    variants: [
      {
        sku: 'PUZ-CUBE',
        options: {},
        price: 2400,
        stock: 64,
        weightGrams: 210,
        dimensionsMm: [80, 80, 80],
      },
    ],
    images: [
      {
        art: { shape: 'puzzle-cube', palette: { backdrop: SAGE, body: '#d2a672', accent: '#7c5a3a' } },
        alt: 'Beech wood puzzle cube with darker inlaid blocks',
      },
    ],
    ageDays: 90,
  },
  {
    handle: 'retro-rocket-model-kit',
    title: 'Retro Rocket Model Kit',
    description:
      'A 1950s-style rocket to build and paint, with 48 laser-cut birch parts that press together without glue. The finished model stands 32 cm tall on its fins. Paints and a brush set are included in the box.',
    status: 'published',
    seoTitle: 'Retro Rocket Model Kit | 48-Piece Birch Build',
    seoDescription:
      'Build a 32 cm retro rocket from 48 laser-cut birch parts, no glue needed. Paints and brushes included. A great gift under $50.',
    categories: ['toys-games', 'collectibles'],
    options: [],
    variants: [
      {
        sku: 'RKT-KIT',
        options: {},
        price: 3900,
        stock: 0,
        weightGrams: 650,
        dimensionsMm: [340, 220, 60],
      },
    ],
    images: [
      {
        art: { shape: 'rocket', palette: { backdrop: DUSK, body: '#d9d4c7', accent: '#d2553c' } },
        alt: 'Retro rocket model with red fins and a round window',
      },
    ],
    ageDays: 120,
  },
  {
    handle: 'low-poly-fox-figurine',
    title: 'Low-Poly Fox Figurine',
    description:
      'A faceted fox in matte glazed porcelain, its sharp planes catching the light differently through the day. It is small enough for a windowsill and makes an easy gift. Each figurine is slip-cast and glazed in a small studio.',
    status: 'published',
    seoTitle: 'Low-Poly Fox Figurine | Faceted Porcelain Ornament',
    seoDescription:
      'Faceted low-poly fox figurine in matte glazed porcelain, in copper or arctic white. A small, giftable shelf ornament.',
    categories: ['collectibles', 'home-decor'],
    options: [{ name: 'Color', values: ['Copper', 'Arctic White'] }],
    variants: [
      {
        sku: 'FOX-COP',
        options: { Color: 'Copper' },
        price: 2900,
        compareAt: 3400,
        stock: 40,
        weightGrams: 380,
        dimensionsMm: [180, 70, 140],
      },
      {
        sku: 'FOX-WHT',
        options: { Color: 'Arctic White' },
        price: 2900,
        stock: 2,
        weightGrams: 380,
        dimensionsMm: [180, 70, 140],
      },
    ],
    images: [
      {
        art: { shape: 'fox', palette: { backdrop: WARM, body: '#c8652e', accent: '#f3e8da' } },
        alt: 'Copper low-poly porcelain fox figurine',
        variantSku: 'FOX-COP',
      },
      {
        art: { shape: 'fox', palette: { backdrop: COOL, body: '#dfe3e8', accent: '#ffffff' } },
        alt: 'Arctic white low-poly porcelain fox figurine',
        variantSku: 'FOX-WHT',
      },
    ],
    ageDays: 2,
  },
  {
    handle: 'prototype-desk-lamp',
    title: 'Articulated Desk Lamp (Prototype)',
    description:
      'An articulated task lamp with a two-joint arm and a tilting aluminium head, still in testing. Final colours and pricing are not confirmed. Not yet visible to shoppers.',
    status: 'draft',
    seoTitle: 'Articulated Desk Lamp',
    seoDescription: 'Articulated aluminium desk lamp with a two-joint arm and tilting head.',
    categories: ['lighting', 'desk'],
    options: [{ name: 'Color', values: ['Graphite'] }],
    variants: [
      {
        sku: 'DLMP-GRA',
        options: { Color: 'Graphite' },
        price: 12900,
        stock: 0,
        weightGrams: 2200,
        dimensionsMm: [480, 180, 160],
      },
    ],
    images: [
      {
        art: {
          shape: 'desk-lamp',
          palette: { backdrop: CREAM, body: '#3c3e44', accent: '#ffd9a0' },
          view: 'side',
        },
        alt: 'Graphite articulated desk lamp prototype',
      },
    ],
    ageDays: 1,
  },
  {
    handle: 'retired-wall-clock',
    title: 'Copper Rim Wall Clock',
    description:
      'A silent-sweep wall clock with a spun copper rim and a pale dial. This design has been retired and is no longer sold.',
    status: 'archived',
    seoTitle: 'Copper Rim Wall Clock',
    seoDescription: 'Silent-sweep wall clock with a spun copper rim. This design has been retired.',
    categories: ['home-decor'],
    options: [],
    variants: [
      {
        sku: 'CLK-COP',
        options: {},
        price: 5900,
        stock: 0,
        weightGrams: 900,
        dimensionsMm: [320, 320, 60],
      },
    ],
    images: [
      {
        art: { shape: 'wall-clock', palette: { backdrop: WARM, body: '#b06a45', accent: '#4e7d9a' } },
        alt: 'Copper rim wall clock with a pale dial',
      },
    ],
    ageDays: 400,
  },
];

export const DEMO_COLLECTIONS: readonly DemoCollection[] = [
  {
    handle: 'featured',
    title: 'Featured',
    description: 'Our favourite pieces right now. Turn each one around in 3D before you buy.',
    featured: true,
    products: ['sci-fi-helmet-replica', 'orb-pendant-lamp', 'twin-cube-bookends', 'geometric-desk-set'],
  },
  {
    handle: 'new-arrivals',
    title: 'New Arrivals',
    description: 'Just landed in the shop.',
    featured: false,
    products: ['low-poly-fox-figurine', 'orb-pendant-lamp', 'walnut-monitor-stand', 'mushroom-table-lamp'],
  },
  {
    handle: 'gifts-under-50',
    title: 'Gifts Under $50',
    description: 'Thoughtful, well-made gifts that stay under fifty dollars.',
    featured: false,
    products: ['twin-cube-bookends', 'low-poly-fox-figurine', 'wooden-puzzle-cube', 'retro-rocket-model-kit'],
  },
];
