// Old/new value correlation for updates (apiserver common.CorrelatedObject):
// finds the old value of a node for transition rules and decides when errors
// are ratcheted (CRDValidationRatcheting, GA since 1.33): an unchanged value
// keeps passing even if it violates a rule that is not a transition rule.

import type { CelSchema } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON deep equality (reflect.DeepEqual on unstructured data). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Old items of an x-kubernetes-list-type=map list, looked up by the map keys of a new item. */
export class MapList {
  private readonly byKey = new Map<string, unknown>();

  constructor(
    private readonly keys: readonly string[],
    items: readonly unknown[],
  ) {
    for (const item of items) {
      const k = this.keyOf(item);
      if (k !== undefined && !this.byKey.has(k)) this.byKey.set(k, item);
    }
  }

  private keyOf(item: unknown): string | undefined {
    if (!isObject(item)) return undefined;
    return JSON.stringify(this.keys.map((k) => item[k] ?? null));
  }

  get(item: unknown): unknown {
    const k = this.keyOf(item);
    return k === undefined ? undefined : this.byKey.get(k);
  }
}

/** makeMapList: correlation of list items for CEL oldSelf — only map-type lists correlate. */
export function correlatableOldItems(schema: CelSchema, old: unknown): MapList | undefined {
  if (schema['x-kubernetes-list-type'] !== 'map' || !Array.isArray(old)) return undefined;
  return new MapList(schema['x-kubernetes-list-map-keys'] ?? [], old);
}

export class CorrelatedObject {
  private equal: boolean | undefined;
  private mapList: MapList | undefined;
  private readonly children = new Map<string | number, CorrelatedObject | undefined>();

  constructor(
    readonly value: unknown,
    readonly oldValue: unknown,
    readonly schema: CelSchema | undefined,
  ) {}

  private oldForIndex(i: number): unknown {
    if (!Array.isArray(this.oldValue) || !Array.isArray(this.value) || i >= this.value.length) return undefined;
    switch (this.schema?.['x-kubernetes-list-type']) {
      case 'map':
        this.mapList ??= new MapList(this.schema['x-kubernetes-list-map-keys'] ?? [], this.oldValue);
        return this.mapList.get(this.value[i]);
      case 'set':
      case 'atomic':
        return undefined;
      default:
        return this.oldValue[i];
    }
  }

  key(field: string): CorrelatedObject | undefined {
    if (!this.schema) return undefined;
    if (this.children.has(field)) return this.children.get(field);
    if (!isObject(this.oldValue) || !isObject(this.value) || !Object.hasOwn(this.oldValue, field) || !Object.hasOwn(this.value, field)) return undefined;
    const ap = this.schema.additionalProperties;
    const propSchema = this.schema.properties?.[field] ?? (typeof ap === 'object' ? ap : undefined);
    if (!propSchema) return undefined;
    const child = new CorrelatedObject(this.value[field], this.oldValue[field], propSchema);
    this.children.set(field, child);
    return child;
  }

  index(i: number): CorrelatedObject | undefined {
    if (!this.schema) return undefined;
    if (this.children.has(i)) return this.children.get(i);
    const old = this.oldForIndex(i);
    if (old === undefined || old === null || !this.schema.items) return undefined;
    const child = new CorrelatedObject((this.value as unknown[])[i], old, this.schema.items);
    this.children.set(i, child);
    return child;
  }

  /** CachedDeepEqual: equality through correlation (map lists ignore order). */
  deepEqual(): boolean {
    this.equal ??= this.computeEqual();
    return this.equal;
  }

  private computeEqual(): boolean {
    const { value, oldValue } = this;
    if (value === undefined || value === null || oldValue === undefined || oldValue === null) return (value ?? null) === (oldValue ?? null);
    if (Array.isArray(value) || Array.isArray(oldValue)) {
      if (!Array.isArray(value) || !Array.isArray(oldValue) || value.length !== oldValue.length) return false;
      for (let i = 0; i < value.length; i++) {
        const child = this.index(i);
        if (!child) return this.mapList ? false : deepEqual(oldValue, value);
        if (!child.deepEqual()) return false;
      }
      return true;
    }
    if (isObject(value) && isObject(oldValue)) {
      if (Object.keys(value).length !== Object.keys(oldValue).length) return false;
      for (const k of Object.keys(value)) {
        const child = this.key(k);
        if (!child || !child.deepEqual()) return false;
      }
      return true;
    }
    return deepEqual(oldValue, value);
  }
}

/** ratchetingOptions: the node's correlation, or its nearest correlatable ancestor. */
export interface Ratchet {
  current?: CorrelatedObject | undefined;
  nearestParent?: CorrelatedObject | undefined;
}

export function ratchetKey(r: Ratchet, field: string): Ratchet {
  if (!r.current) return r;
  if (!r.nearestParent && (field === 'apiVersion' || field === 'kind')) return {};
  return { current: r.current.key(field), nearestParent: r.current };
}

export function ratchetIndex(r: Ratchet, i: number): Ratchet {
  if (!r.current) return r;
  return { current: r.current.index(i), nearestParent: r.current };
}

export function shouldRatchet(r: Ratchet): boolean {
  if (r.current) return r.current.deepEqual();
  return r.nearestParent?.deepEqual() ?? false;
}
