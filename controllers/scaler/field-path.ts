// Reads a number from an object field named like `.status.queueLength`,
// `.data.depth` or `.status.queues[0].length`: the value of Object and
// External metrics.
import { isValidQuantity, type Quantity } from '../../pkg/kube/quantity.js';

export function readField(obj: unknown, path: string): { value: Quantity } | { error: string } {
  const segments = path.replace(/^\./, '').split('.').flatMap((part) => {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [part];
    return [...(m[1] ? [m[1]] : []), ...[...m[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]))];
  });
  let current: unknown = obj;
  for (const s of segments) {
    if (current === null || typeof current !== 'object') return { error: `field ${path} not found` };
    current = (current as Record<string | number, unknown>)[s];
  }
  if (typeof current === 'number' && Number.isFinite(current)) return { value: current };
  if (typeof current === 'string' && isValidQuantity(current.trim())) return { value: current.trim() };
  if (current === undefined) return { error: `field ${path} not found` };
  return { error: `field ${path} holds ${describeShape(current)}, not a number` };
}

/** What a value is, never what it says: the field may hold something secret. */
function describeShape(value: unknown): string {
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (Array.isArray(value)) return `a list of ${value.length} items`;
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object with ${Object.keys(value).length} fields`;
  return `a ${typeof value}`;
}
