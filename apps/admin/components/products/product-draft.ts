import type { AdminProduct } from '@e3d/contracts';

/** The product's own fields as edited on the page (SEO blank = use the title/description). */
export interface DetailsDraft {
  title: string;
  handle: string;
  description: string;
  seoTitle: string;
  seoDescription: string;
  categoryIds: string[];
}

export function detailsFromProduct(product: AdminProduct): DetailsDraft {
  return {
    title: product.title,
    handle: product.handle,
    description: product.description,
    seoTitle: product.seo.title ?? '',
    seoDescription: product.seo.description ?? '',
    categoryIds: product.categories.map((c) => c.id),
  };
}

export const collectionIdsOf = (product: AdminProduct) => product.collections.map((c) => c.id);

export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((id) => b.includes(id));

/** The PATCH body for what changed (without the version), or null when nothing did. */
export function detailsPatch(base: DetailsDraft, draft: DetailsDraft): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  if (draft.title !== base.title) patch.title = draft.title.trim();
  if (draft.handle !== base.handle) patch.handle = draft.handle.trim();
  if (draft.description !== base.description) patch.description = draft.description;
  if (draft.seoTitle !== base.seoTitle || draft.seoDescription !== base.seoDescription) {
    patch.seo = { title: draft.seoTitle.trim() || null, description: draft.seoDescription.trim() || null };
  }
  if (!sameJson(draft.categoryIds, base.categoryIds)) patch.categoryIds = draft.categoryIds;
  return Object.keys(patch).length > 0 ? patch : null;
}

/**
 * My edits replayed on someone else's newer version: each field I changed takes my value, each
 * field I left alone takes theirs. Nothing is saved; the result is shown for review.
 */
export function rebaseDetails(mine: DetailsDraft, myBase: DetailsDraft, theirs: DetailsDraft): DetailsDraft {
  const pick = <K extends keyof DetailsDraft>(key: K): DetailsDraft[K] =>
    sameJson(mine[key], myBase[key]) ? theirs[key] : mine[key];
  return {
    title: pick('title'),
    handle: pick('handle'),
    description: pick('description'),
    seoTitle: pick('seoTitle'),
    seoDescription: pick('seoDescription'),
    categoryIds: pick('categoryIds'),
  };
}

/** Collection membership: my additions and removals applied to theirs. */
export function rebaseCollections(mine: string[], myBase: string[], theirs: string[]): string[] {
  const added = mine.filter((id) => !myBase.includes(id));
  const removed = new Set(myBase.filter((id) => !mine.includes(id)));
  return [...theirs.filter((id) => !removed.has(id)), ...added.filter((id) => !theirs.includes(id))];
}
