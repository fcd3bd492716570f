import { ERR_FORMAT_WRONG, ERR_SUFFIX, parseK8sQuantity, quantityAsFloat, quantityAsInt64, addQuantity, compareQuantity } from './k8s-quantity.js';

describe('parseK8sQuantity (resource.ParseQuantity)', () => {
  test.each([
    ['0', { kind: 'int', value: 0n, scale: 0 }],
    ['1', { kind: 'int', value: 1n, scale: 0 }],
    ['500m', { kind: 'int', value: 500n, scale: -3 }],
    ['1.5k', { kind: 'int', value: 15n, scale: 2 }],
    ['1Gi', { kind: 'int', value: 1073741824n, scale: 0 }],
    ['-2e3', { kind: 'int', value: -2n, scale: 3 }],
    ['1.0', { kind: 'int', value: 10n, scale: -1 }],
    ['1.', { kind: 'int', value: 1n, scale: 0 }],
    ['.5', { kind: 'int', value: 5n, scale: -1 }],
    ['-', { kind: 'int', value: 0n, scale: 0 }],
  ])('%s keeps the upstream representation', (text, expected) => {
    expect(parseK8sQuantity(text)).toEqual(expected);
  });

  test.each(['', ' 1', '1 ', '10Mo', 'Three', '1,3G', '1e', '1e1.5', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '1KiB', '1e3k'])('%j is rejected (format)', (text) => {
    expect(() => parseK8sQuantity(text)).toThrow(/./);
  });

  test('error texts match upstream', () => {
    expect(() => parseK8sQuantity('10Mo')).toThrow(ERR_FORMAT_WRONG);
    expect(() => parseK8sQuantity('10Mm')).toThrow(ERR_SUFFIX);
    expect(() => parseK8sQuantity('200K')).toThrow(ERR_SUFFIX);
    expect(() => parseK8sQuantity('-3.01e-')).toThrow(ERR_SUFFIX);
    expect(() => parseK8sQuantity('1.1.M')).toThrow(ERR_FORMAT_WRONG);
  });

  test('a bare suffix is zero: the scanner defaults an empty numerator to 0 (upstream docs claim an error)', () => {
    expect(parseK8sQuantity('Mi')).toEqual({ kind: 'int', value: 0n, scale: 0 });
  });

  test('large and sub-nano values take the decimal path and round up', () => {
    const big = parseK8sQuantity('9999999999999999999999999999999999999G');
    expect(big.kind).toBe('dec');
    expect(quantityAsInt64(big)).toBeUndefined();
    expect(parseK8sQuantity('0.1n')).toEqual({ kind: 'dec', unscaled: 1n, scale: 9 });
    expect(parseK8sQuantity('-0.1n')).toEqual({ kind: 'dec', unscaled: -1n, scale: 9 });
  });

  test('BinarySI values above int64 are capped, decimal ones are not', () => {
    expect(parseK8sQuantity('16Ei')).toEqual({ kind: 'dec', unscaled: 2n ** 63n - 1n, scale: 0 });
    expect(compareQuantity(parseK8sQuantity('16E'), parseK8sQuantity('16Ei'))).toBe(1);
  });

  test('asInteger follows int64Amount.AsInt64 (negative scale never converts)', () => {
    expect(quantityAsInt64(parseK8sQuantity('50k'))).toBe(50000n);
    expect(quantityAsInt64(parseK8sQuantity('1000m'))).toBeUndefined();
    expect(quantityAsInt64(parseK8sQuantity('100Ti'))).toBeUndefined(); // decimal path upstream
    expect(quantityAsInt64(addQuantity(parseK8sQuantity('50k'), parseK8sQuantity('20')))).toBe(50020n);
  });

  test('approximate float', () => {
    expect(quantityAsFloat(parseK8sQuantity('50.703k'))).toBe(50703);
    expect(quantityAsFloat(parseK8sQuantity('100m'))).toBe(0.1);
  });
});
