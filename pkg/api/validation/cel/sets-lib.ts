// cel-go's sets extension (enabled for CRD rules since 1.29).

import { celFunc, CelScalar, listType, type CelFunc, type CelList } from '@bufbuild/cel';
import { celEquals } from './equality.js';

const LIST = listType(CelScalar.DYN);
const { BOOL } = CelScalar;

const has = (list: CelList, v: Parameters<typeof celEquals>[0]): boolean => {
  for (const x of list) if (celEquals(x, v)) return true;
  return false;
};

const containsAll = (a: CelList, b: CelList): boolean => [...b].every((v) => has(a, v));

export const setsFuncs: CelFunc[] = [
  celFunc('sets.contains', [LIST, LIST], BOOL, containsAll),
  celFunc('sets.equivalent', [LIST, LIST], BOOL, (a, b) => containsAll(a, b) && containsAll(b, a)),
  celFunc('sets.intersects', [LIST, LIST], BOOL, (a, b) => [...b].some((v) => has(a, v))),
];
