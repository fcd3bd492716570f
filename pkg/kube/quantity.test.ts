import { formatBytes, formatMilli, isQuantity, milliValue, parseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['1Gi', 2 ** 30],
    ['512Mi', 512 * 2 ** 20],
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['1k', 1000],
    ['1e3', 1000],
    ['100M', 1e8],
  ])('%s', (q, v) => expect(parseQuantity(q)).toBeCloseTo(v));

  it('rejects nonsense', () => {
    expect(() => parseQuantity('ten gigs')).toThrow('invalid quantity');
    expect(isQuantity('1GB')).toBe(false);
    expect(isQuantity('10Gi')).toBe(true);
  });
});

describe('formatting', () => {
  it('round-trips', () => {
    expect(formatBytes(2 ** 30)).toBe('1Gi');
    expect(formatBytes(1536 * 2 ** 20)).toBe('1536Mi');
    expect(formatMilli(250)).toBe('250m');
    expect(formatMilli(2000)).toBe('2');
    expect(milliValue('250m')).toBe(250);
    expect(milliValue('1')).toBe(1000);
  });
});
