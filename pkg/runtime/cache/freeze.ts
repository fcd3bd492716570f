// Objects in the cache are shared by every controller, so they are frozen:
// a caller that wants to change one must copy it first (structuredClone).
import type { KubeObject } from '../../meta/object.js';

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/** What the cache keeps of an object: everything but managedFields, frozen. */
export function toCached<T extends KubeObject>(obj: T): T {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return deepFreeze(obj);
}
