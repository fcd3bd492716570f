import { cel, celError } from '../../../../test/support/cel.js';

describe('quantity library', () => {
  test.each([
    'quantity("200M") == quantity("0.2G")',
    'quantity("2M") == quantity("0.002G") && quantity("2000k") == quantity("2M")',
    'quantity("200M") != quantity("0.3G")',
    'quantity("50M").isLessThan(quantity("50Mi"))',
    '!quantity("100M").isLessThan(quantity("50M"))',
    'quantity("50Mi").isGreaterThan(quantity("50M"))',
    'quantity("50M").compareTo(quantity("50Mi")) == -1',
    'quantity("50Mi").compareTo(quantity("50M")) == 1',
    'quantity("50k").add(quantity("20")) == quantity("50.02k")',
    '!quantity("50k").add(20).isLessThan(quantity("50020"))',
    'quantity("50k").sub(quantity("20")) == quantity("49.98k")',
    'quantity("50k").sub(20) == quantity("49980")',
    'quantity("50k").add(20).sub(quantity("100k")).asInteger() == -49980',
    'quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger() == 20',
    'quantity("50k").mul(2) == quantity("100000")',
    'quantity("50k").asInteger() == 50000',
    '!quantity("9999999999999999999999999999999999999G").isInteger()',
    'quantity("50").isInteger()',
    'quantity("50.703k").asApproximateFloat() == 50703.0',
    'isQuantity("20") && isQuantity("20M") && isQuantity("20Mi") && isQuantity("1.3G") && isQuantity("10000k")',
    '!isQuantity("20Mo") && !isQuantity("10Mm") && !isQuantity("1,3G") && !isQuantity("200K") && !isQuantity("Three")',
    'sign(quantity("-5")) == -1 && sign(quantity("0")) == 0 && quantity("3").sign() == 1',
    'type(quantity("1")) == type(quantity("2"))',
    '[quantity("1")] == [quantity("1000m")]',
    'quantity("1") in [quantity("1000m")]',
  ])('%s', (expr) => {
    expect(cel(expr)).toEqual({ value: true });
  });

  test('runtime errors', () => {
    expect(celError('quantity("9999999999999999999999999999999999999G").asInteger()')).toBe('cannot convert value to integer');
    expect(celError('quantity("10Mo")')).toMatch(/^quantities must match the regular expression/);
    expect(celError('quantity("10Mm")')).toBe("unable to parse quantity's suffix");
  });
});
