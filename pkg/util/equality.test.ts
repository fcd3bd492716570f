import { containsSubset, deepEqual } from './equality.js';

describe('deepEqual', () => {
  it('ignores key order and undefined properties', () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
  });
});

describe('containsSubset', () => {
  it('allows extra keys in the actual object but not different values', () => {
    expect(containsSubset({ a: 1, extra: true, n: { x: 1, y: 2 } }, { n: { x: 1 }, a: 1 })).toBe(true);
    expect(containsSubset({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(containsSubset({ l: [1, 2, 3] }, { l: [1, 2] })).toBe(false);
    expect(containsSubset({ l: [{ a: 1, z: 0 }] }, { l: [{ a: 1 }] })).toBe(true);
  });
});
