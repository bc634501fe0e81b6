/** "Oak Desk — Large" → "oak-desk-large": the same rule the API uses for default handles. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 190)
    .replace(/-+$/, '');
}

export const HANDLE_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Client-side check of a handle, worded like the API's. */
export function handleProblem(handle: string): string | null {
  if (!handle) return 'is required';
  if (handle.length > 200) return 'must be at most 200 characters';
  if (!HANDLE_PATTERN.test(handle)) return 'must be lowercase letters, digits and single hyphens';
  return null;
}
