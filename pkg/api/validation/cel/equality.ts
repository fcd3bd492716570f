// CEL equality as the apiserver evaluates it on CRD values. On top of
// standard CEL equality, lists declared x-kubernetes-list-type=set compare
// ignoring order, map-type lists compare by their map keys ignoring order,
// `+` on them is a union/merge (common/values.go), quantities compare by value
// and optionals by content. The std `_==_`, `_!=_`, `@in` and list `_+_`
// overloads are replaced by these.

import { celEnv, celFunc, celList, celListConcat, CelScalar, isCelError, isCelList, isCelMap, listType, type CelFunc, type CelList, type CelValue } from '@bufbuild/cel';
import { isObjectOf } from './object-types.js';
import { compareQuantity, decodeQuantity } from './k8s-quantity.js';
import { isOptional, optionalValue } from './optional-type.js';
import { objectText } from './object-types.js';

export type ListSemantics = { kind: 'set' } | { kind: 'map'; keys: readonly string[] };

const semantics = new WeakMap<object, ListSemantics>();

/** Wraps items as a CEL list that remembers its x-kubernetes-list-type. */
export function typedList(items: readonly CelValue[], s: ListSemantics | undefined): CelList {
  const list = celList(items);
  if (s) semantics.set(list, s);
  return list;
}

const stdEquals = celEnv().funcs.find('_==_')!;

function mapListKey(item: CelValue, keys: readonly string[]): string {
  const parts = keys.map((k) => (isCelMap(item) ? item.get(k) : undefined));
  return JSON.stringify(parts, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

function includes(list: Iterable<CelValue>, v: CelValue): boolean {
  for (const item of list) if (celEquals(item, v)) return true;
  return false;
}

/** Equality with the apiserver's list-type semantics (left operand decides, as in cel-go). */
export function celEquals(a: CelValue, b: CelValue): boolean {
  if (isOptional(a) || isOptional(b)) {
    if (!isOptional(a) || !isOptional(b)) return false;
    const x = optionalValue(a);
    const y = optionalValue(b);
    return x === undefined || y === undefined ? x === y : celEquals(x, y);
  }
  if (isObjectOf(a, 'kubernetes.Quantity') && isObjectOf(b, 'kubernetes.Quantity')) {
    return compareQuantity(decodeQuantity(objectText(a)), decodeQuantity(objectText(b))) === 0;
  }
  if (isCelList(a) && isCelList(b)) {
    if (a.size !== b.size) return false;
    const s = semantics.get(a);
    if (s?.kind === 'set') {
      for (const item of b) if (!includes(a, item)) return false;
      return true;
    }
    if (s?.kind === 'map') {
      const byKey = new Map<string, CelValue>();
      for (const item of a) byKey.set(mapListKey(item, s.keys), item);
      for (const item of b) {
        const mine = byKey.get(mapListKey(item, s.keys));
        if (mine === undefined || !celEquals(mine, item)) return false;
      }
      return true;
    }
    for (let i = 0; i < a.size; i++) if (!celEquals(a.get(i)!, b.get(i)!)) return false;
    return true;
  }
  if (isCelMap(a) && isCelMap(b)) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      const other = b.get(k);
      if (other === undefined || !celEquals(v, other)) return false;
    }
    return true;
  }
  const r = stdEquals.call(0, undefined, [a, b]);
  return r === true && !isCelError(r);
}

function concat(a: CelList, b: CelList): CelList {
  const s = semantics.get(a);
  if (s?.kind === 'set') {
    const items = [...a];
    for (const item of b) if (!includes(items, item)) items.push(item);
    return typedList(items, s);
  }
  if (s?.kind === 'map') {
    const items = [...a];
    const index = new Map(items.map((item, i) => [mapListKey(item, s.keys), i]));
    for (const item of b) {
      const at = index.get(mapListKey(item, s.keys));
      if (at === undefined) items.push(item);
      else items[at] = item;
    }
    return typedList(items, s);
  }
  return celListConcat(a, b);
}

const LIST = listType(CelScalar.DYN);
const { DYN, BOOL } = CelScalar;

export const equalityFuncs: CelFunc[] = [
  celFunc('_==_', [DYN, DYN], BOOL, celEquals),
  celFunc('_!=_', [DYN, DYN], BOOL, (a, b) => !celEquals(a, b)),
  celFunc('@in', [DYN, LIST], BOOL, (v, list) => includes(list, v)),
  celFunc('_+_', [LIST, LIST], LIST, concat),
];
