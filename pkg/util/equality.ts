// Structural comparison of JSON values, independent of key order (the
// apiserver answers in its own field order, not ours).

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep equality; a property set to undefined counts as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/**
 * Whether `actual` holds everything `wanted` states: objects may carry extra
 * keys (defaults the server filled in), arrays must match element by element,
 * and a null in `wanted` matches a missing value.
 */
export function containsSubset(actual: unknown, wanted: unknown): boolean {
  if (wanted === undefined) return true;
  // null asks for absence (as in a merge patch).
  if (wanted === null) return actual === null || actual === undefined;
  if (Array.isArray(wanted)) {
    return Array.isArray(actual) && actual.length === wanted.length && wanted.every((w, i) => containsSubset(actual[i], w));
  }
  if (isObject(wanted)) {
    if (!isObject(actual)) return false;
    return Object.entries(wanted).every(([k, w]) => containsSubset(actual[k], w));
  }
  return actual === wanted;
}
