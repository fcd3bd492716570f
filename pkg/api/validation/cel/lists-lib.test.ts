import { cel, celError } from '../../../../test/support/cel.js';

describe('lists library', () => {
  test.each([
    '[1, 2, 3].isSorted() && [1, 1, 2].isSorted() && !([2, 1].isSorted()) && [].isSorted()',
    '["a", "b"].isSorted() && [1.0, 2.5].isSorted()',
    '[1, 2, 3].sum() == 6 && [1.5, 2.5].sum() == 4.0 && [].sum() == 0',
    '[duration("1s"), duration("2s")].sum() == duration("3s")',
    '[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && ["b", "a"].min() == "a"',
    '[1, 2, 3, 2].indexOf(2) == 1 && [1, 2, 3, 2].lastIndexOf(2) == 3 && [1].indexOf(5) == -1 && [1].lastIndexOf(5) == -1',
    '[[1], [2]].indexOf([2]) == 1',
  ])('%s', (expr) => {
    expect(cel(expr)).toEqual({ value: true });
  });

  test('errors', () => {
    expect(celError('[].min()')).toBe('min called on empty list');
    expect(celError('[].max()')).toBe('max called on empty list');
    expect(celError('[9223372036854775807, 1].sum()')).toBe('integer overflow');
  });
});
