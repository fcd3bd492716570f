import { valueOf } from './prometheus.js';

const vector = (...values: string[]) => ({ status: 'success' as const, data: { resultType: 'vector' as const, result: values.map((v) => ({ metric: {}, value: [0, v] })) } });

describe('valueOf', () => {
  it('reads the single series or a scalar', () => {
    expect(valueOf(vector('42.5'), false)).toBe(42.5);
    expect(valueOf({ status: 'success', data: { resultType: 'scalar', result: [0, '3'] } }, false)).toBe(3);
  });

  it('refuses several series', () => {
    expect(() => valueOf(vector('1', '2'), true)).toThrow('returned 2 series; it must return one');
  });

  it('treats empty and NaN answers per ignoreNullValues', () => {
    expect(valueOf(vector(), true)).toBe(0);
    expect(valueOf(vector('NaN'), true)).toBe(0);
    expect(() => valueOf(vector(), false)).toThrow('returned no series');
    expect(() => valueOf(vector('NaN'), false)).toThrow('returned NaN');
  });

  it('reports query errors', () => {
    expect(() => valueOf({ status: 'error', error: 'parse error' }, true)).toThrow('prometheus query failed: parse error');
  });
});
