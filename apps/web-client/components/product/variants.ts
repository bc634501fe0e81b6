import type { ProductDetail } from '@e3d/contracts';

export type Variant = ProductDetail['variants'][number];
export type ProductImage = ProductDetail['images'][number];
export type ProductModelData = ProductDetail['models'][number];

/** The variant a page opens with: the first one in stock, else the first. */
export function defaultVariant(variants: Variant[]): Variant | undefined {
  return variants.find((v) => v.available) ?? variants[0];
}

/**
 * The variant after choosing `value` for option `name`: the exact combination with the other
 * current choices when it exists, else the closest one that has the value (in stock first).
 */
export function pickVariant(variants: Variant[], current: Variant, name: string, value: string): Variant {
  const wanted = { ...current.options, [name]: value };
  const exact = variants.find((v) => Object.entries(wanted).every(([k, val]) => v.options[k] === val));
  if (exact) return exact;
  const withValue = variants.filter((v) => v.options[name] === value);
  const score = (v: Variant) =>
    Object.entries(current.options).filter(([k, val]) => k !== name && v.options[k] === val).length * 2 +
    (v.available ? 1 : 0);
  return withValue.sort((a, b) => score(b) - score(a))[0] ?? current;
}

/** What choosing `value` for `name` would lead to, given the other current choices. */
export function valueState(variants: Variant[], current: Variant, name: string, value: string) {
  const wanted = { ...current.options, [name]: value };
  const exact = variants.find((v) => Object.entries(wanted).every(([k, val]) => v.options[k] === val));
  if (!exact) return 'unavailable' as const;
  return exact.available ? ('available' as const) : ('soldout' as const);
}

/**
 * Images of the variant first, then those of variants sharing most of its options (the smoked
 * glass photo for "Smoked / 45 cm" too), then the shared ones, then the rest; stable otherwise.
 */
export function imagesFor(
  images: ProductImage[],
  variants: Variant[],
  variantId: string | undefined,
): ProductImage[] {
  const selected = variants.find((v) => v.id === variantId);
  const rank = (img: ProductImage): number => {
    if (img.variantId === variantId) return 0;
    if (img.variantId === null) return 50;
    const other = variants.find((v) => v.id === img.variantId);
    if (!selected || !other) return 100;
    const shared = Object.entries(selected.options).filter(([k, val]) => other.options[k] === val).length;
    return shared > 0 ? 10 - shared : 100;
  };
  return images
    .map((img, index) => ({ img, index, rank: rank(img) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ img }) => img);
}

/** The model showing a variant: one made for it, else a shared one. */
export function modelFor(
  models: ProductModelData[],
  variantId: string | undefined,
): ProductModelData | undefined {
  return (
    models.find((m) => m.variantId === variantId) ?? models.find((m) => m.variantId === null) ?? models[0]
  );
}

/** The image shown until the model loads: the one staff chose as its poster, else the first. */
export function posterFor(model: ProductModelData | undefined, images: ProductImage[]): ProductImage | null {
  const chosen = model?.posterImageId ? images.find((img) => img.id === model.posterImageId) : undefined;
  return chosen ?? images[0] ?? null;
}
