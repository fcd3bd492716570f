import { formatBytes, formatMilliQuantity, isValidQuantity, milliValue, parseQuantity } from './quantity.js';

describe('milliValue', () => {
  it.each([
    ['250m', 250n],
    ['1', 1000n],
    [1.5, 1500n],
    [0.1, 100n], // no float drift: 0.1 × 1000 would be 100.00000000000001
    ['1Ki', 1024000n],
    ['1Gi', 1073741824000n],
    ['1.5k', 1500000n],
    ['1e3', 1000000n],
    ['1E', 10n ** 21n], // exa suffix, not an exponent
    ['12345u', 13n], // 12.345 milli rounds up like Quantity.MilliValue
    ['1n', 1n],
    ['-1500u', -1n], // ceil of -1.5 is -1
    ['.5', 500n],
    [' 2 ', 2000n],
    ['8Ei', 8n * 2n ** 60n * 1000n], // beyond 2^53, still exact
  ])('%p → %p', (q, expected) => {
    expect(milliValue(q)).toBe(expected);
  });

  it.each(['', 'abc', '1.2.3', '5x', '1e', '--1', 'Ki'])('rejects %p', (q) => {
    expect(() => milliValue(q)).toThrow(/invalid quantity/);
    expect(isValidQuantity(q)).toBe(false);
  });

  it('rejects non-finite numbers', () => {
    expect(() => milliValue(Number.NaN)).toThrow(/invalid quantity/);
  });
});

describe('parseQuantity', () => {
  it.each([
    ['0.05', 0.05],
    ['50m', 0.05],
    [0.2, 0.2],
    ['1k', 1000],
  ])('%p → %p', (q, expected) => {
    expect(parseQuantity(q)).toBeCloseTo(expected, 12);
  });
});

describe('formatMilliQuantity', () => {
  it.each([
    [0n, 'DecimalSI', '0'],
    [1500n, 'DecimalSI', '1500m'],
    [2000n, 'DecimalSI', '2'],
    [1500000n, 'DecimalSI', '1500'], // 1.5k is not integral
    [2000000n, 'DecimalSI', '2k'],
    [-3000n, 'DecimalSI', '-3'],
    [10n ** 24n, 'DecimalSI', '1000E'],
    [1073741824000n, 'BinarySI', '1Gi'],
    [805306368000n, 'BinarySI', '768Mi'],
    [1536000n, 'BinarySI', '1536'], // not a whole Ki multiple above 1Ki
    [512000n, 'BinarySI', '512'], // below 1024 falls back to decimal
    [1048576500n, 'BinarySI', '1048576500m'], // fractional bytes stay exact
  ] as const)('%p as %s → %p', (milli, format, expected) => {
    expect(formatMilliQuantity(milli, format)).toBe(expected);
  });
});

describe('formatBytes', () => {
  it('uses the largest binary suffix that keeps an integer', () => {
    expect(formatBytes(2 ** 30)).toBe('1Gi');
    expect(formatBytes(1536 * 2 ** 20)).toBe('1536Mi');
    expect(formatBytes(1000)).toBe('1000');
  });
});
