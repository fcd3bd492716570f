// The Kubernetes CEL lists library (library.Lists): isSorted, sum, min, max,
// indexOf, lastIndexOf (and includes, from its version 1). Comparisons and
// sums reuse CEL's own operators so mixed or unsupported element types fail
// the same way as the operators do.

import { celEnv, celMethod, CelScalar, isCelError, listType, type CelFunc, type CelList, type CelValue } from '@bufbuild/cel';
import { celEquals } from './equality.js';

const std = celEnv().funcs;
const less = std.find('_<_')!;
const plus = std.find('_+_')!;
const { BOOL, INT, DYN } = CelScalar;
const LIST = listType(DYN);

function call(group: typeof less, op: string, a: CelValue, b: CelValue): CelValue {
  const r = group.call(0, undefined, [a, b]);
  if (r === undefined) throw new Error(`no such overload: ${op}`);
  if (isCelError(r)) throw r;
  return r;
}

const lt = (a: CelValue, b: CelValue): boolean => call(less, '_<_', a, b) === true;

function pick(list: CelList, name: string, better: (candidate: CelValue, best: CelValue) => boolean): CelValue {
  let best: CelValue | undefined;
  for (const v of list) {
    if (best === undefined) {
      lt(v, v); // type check: elements must be comparable
      best = v;
    } else if (better(v, best)) {
      best = v;
    }
  }
  if (best === undefined) throw new Error(`${name} called on empty list`);
  return best;
}

export const listsFuncs: CelFunc[] = [
  celMethod('isSorted', LIST, [], BOOL, function () {
    let prev: CelValue | undefined;
    for (const v of this) {
      if (prev !== undefined && lt(v, prev)) return false;
      prev = v;
    }
    return true;
  }),
  celMethod('sum', LIST, [], DYN, function () {
    let acc: CelValue | undefined;
    for (const v of this) acc = acc === undefined ? v : call(plus, '_+_', acc, v);
    return acc ?? 0n;
  }),
  celMethod('min', LIST, [], DYN, function () {
    return pick(this, 'min', (c, best) => lt(c, best));
  }),
  celMethod('max', LIST, [], DYN, function () {
    return pick(this, 'max', (c, best) => lt(best, c));
  }),
  celMethod('indexOf', LIST, [DYN], INT, function (x) {
    for (let i = 0; i < this.size; i++) if (celEquals(this.get(i)!, x)) return BigInt(i);
    return -1n;
  }),
  celMethod('lastIndexOf', LIST, [DYN], INT, function (x) {
    for (let i = this.size - 1; i >= 0; i--) if (celEquals(this.get(i)!, x)) return BigInt(i);
    return -1n;
  }),
  celMethod('includes', LIST, [DYN], BOOL, function (x) {
    for (const v of this) if (celEquals(v, x)) return true;
    return false;
  }),
];
