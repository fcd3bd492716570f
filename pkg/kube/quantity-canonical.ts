// The canonical text of a Kubernetes quantity, as the apiserver stores it
// (resource.Quantity.String()): "1000m" is stored as "1", "1024Mi" as "1Gi",
// "0.5" as "500m". Children that carry quantities (a Deployment's resources)
// state them in stored form, so an unchanged child compares equal and a
// reconcile that changes nothing writes nothing.
import { BINARY_SHIFTS as binaryShifts, BINARY_SUFFIXES as binarySuffixes, DECIMAL_EXPONENTS, QUANTITY_PATTERN as pattern, type Quantity } from './quantity.js';

const decimalExponents: Readonly<Record<string, number>> = { '': 0, ...DECIMAL_EXPONENTS };
const decimalSuffixes = new Map(Object.entries(decimalExponents).map(([s, e]) => [e, s]));

/** mantissa × 10^exponent with the exponent a multiple of 3, as AsCanonicalBytes does. */
function decimalText(mantissa: bigint, exponent: number, format: 'DecimalSI' | 'DecimalExponent'): string {
  if (mantissa === 0n) return '0';
  // Values below a nano-unit round up to 1n, as ParseQuantity does.
  if (exponent < -9) {
    const unit = 10n ** BigInt(-9 - exponent);
    mantissa = mantissa > 0n ? (mantissa + unit - 1n) / unit : mantissa / unit;
    exponent = -9;
  }
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const rest = ((exponent % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(rest);
  exponent -= rest;
  if (format === 'DecimalSI' && decimalSuffixes.has(exponent)) return `${mantissa}${decimalSuffixes.get(exponent)}`;
  return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
}

/** The stored text of `q`; text that does not parse is returned as is (the apiserver will say why). */
export function canonicalQuantity(q: Quantity): string {
  const text = String(q);
  const m = pattern.exec(text);
  const intDigits = m?.[2] ?? '';
  const fracDigits = m?.[3] ?? '';
  if (!m || intDigits.length + fracDigits.length === 0) return text;
  const sign = m[1] === '-' ? -1n : 1n;
  const digits = sign * BigInt(intDigits + fracDigits);
  const suffix = m[5];
  if (suffix === undefined || !(suffix in binaryShifts)) {
    const exponent = (m[4] !== undefined ? Number(m[4]) : decimalExponents[suffix ?? '']!) - fracDigits.length;
    return decimalText(digits, exponent, m[4] !== undefined ? 'DecimalExponent' : 'DecimalSI');
  }
  // BinarySI: digits × 2^shift / 10^fraction.
  const num = digits << BigInt(binaryShifts[suffix]!);
  const den = 10n ** BigInt(fracDigits.length);
  const abs = num < 0n ? -num : num;
  if (abs < 1024n * den || num % den !== 0n) {
    // Small or fractional binary values are shown in decimal, to stay exact.
    return decimalText(num, -fracDigits.length, 'DecimalSI');
  }
  let units = num / den;
  let i = 0;
  while (i < binarySuffixes.length - 1 && units % 1024n === 0n) {
    units /= 1024n;
    i++;
  }
  return `${units}${binarySuffixes[i]}`;
}
