/** Turning an audit entry's before/after documents into rows of what changed. */

export interface DiffRow {
  path: string;
  before: unknown;
  after: unknown;
  changed: boolean;
  /** The side that does not have this field (a field added or removed by the write). */
  missing: 'before' | 'after' | null;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Nested objects become dotted paths (`price.amount`); arrays and scalars are leaf values. */
function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (isPlainObject(value) && (prefix === '' || Object.keys(value).length > 0)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

/** JSON with object keys sorted, so two equal documents compare equal whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isPlainObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/**
 * Every field of either side, in the order they first appear, marked changed or not. When a
 * side is not an object (null for a creation or deletion), the other side's fields are all
 * "changed" against nothing.
 */
export function diffEntries(before: unknown, after: unknown): DiffRow[] {
  const bothScalar = !isPlainObject(before) && !isPlainObject(after);
  if (bothScalar) {
    return [
      { path: '(value)', before, after, changed: stableJson(before) !== stableJson(after), missing: null },
    ];
  }
  const left = isPlainObject(before) ? flatten(before) : new Map<string, unknown>();
  const right = isPlainObject(after) ? flatten(after) : new Map<string, unknown>();
  const paths = [...new Set([...left.keys(), ...right.keys()])];
  return paths.map((path) => {
    const inLeft = left.has(path);
    const inRight = right.has(path);
    const b = left.get(path);
    const a = right.get(path);
    return {
      path,
      before: b,
      after: a,
      changed: inLeft !== inRight || stableJson(b) !== stableJson(a),
      missing: !inLeft ? 'before' : !inRight ? 'after' : null,
    };
  });
}

/** A value as text for the diff table: strings as they are, everything else as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}
