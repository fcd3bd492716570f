// resource.Quantity as the apiserver's CEL library sees it. The existing
// pkg/kube/quantity.ts is a lenient exact-value parser (it trims, accepts a
// bare "-"); CEL needs the upstream grammar, error texts and — because
// isInteger()/asInteger() depend on it — the internal representation:
// an int64 mantissa with a decimal scale, or an arbitrary-precision decimal
// once a value no longer fits (after which AsInt64 always fails upstream).

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

export const ERR_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

export class QuantityParseError extends Error {
  override readonly name = 'QuantityParseError';
}

/** int64Amount: value × 10^scale (value fits int64), or inf.Dec: unscaled × 10^-scale. */
export type Quantity = { kind: 'int'; value: bigint; scale: number } | { kind: 'dec'; unscaled: bigint; scale: number };

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const fitsInt64 = (v: bigint): boolean => v >= MIN_INT64 && v <= MAX_INT64;
const pow10 = (n: number): bigint => 10n ** BigInt(n);

interface Scanned {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

// Mirrors parseQuantityString: a hand scanner, not a regexp, so that e.g. "1." and "-" are accepted like upstream.
function scan(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end && (str[0] === '-' || str[0] === '+')) {
    positive = str[0] !== '-';
    pos++;
  }
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[i] !== '0') break;
    pos++;
  }
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  let num: string;
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  num = str.slice(pos, i) || '0';
  pos = i;
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    if (i >= end) return { positive, value: str, num, denom: str.slice(pos), suffix: '' };
    denom = str.slice(pos, i);
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  i = pos;
  while (i < end && 'eEinumkKMGTP'.includes(str[i]!)) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  pos = i;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  for (i = pos; i < end; i++) if (!isDigit(str[i])) throw new QuantityParseError(ERR_FORMAT_WRONG);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

function interpret(suffix: string): { base: 10 | 2; exponent: number; format: Format } | undefined {
  if (suffix in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix]!, format: 'DecimalSI' };
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix]!, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1))) {
    const parsed = BigInt(suffix.slice(1));
    if (!fitsInt64(parsed)) return undefined; // strconv.ParseInt range error
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  return undefined;
}

/** Parses a decimal string ("-001.50") into unscaled × 10^-scale, like inf.Dec.SetString. */
function decFromString(value: string): { unscaled: bigint; scale: number } {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(value);
  if (!m || (m[2] ?? '') + (m[3] ?? '') === '') throw new QuantityParseError(ERR_NUMERIC);
  const frac = m[3] ?? '';
  const mag = BigInt((m[2] ?? '') + frac);
  return { unscaled: m[1] === '-' ? -mag : mag, scale: frac.length };
}

/** resource.ParseQuantity. Throws QuantityParseError with the upstream message. */
export function parseK8sQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError(ERR_FORMAT_WRONG);
  if (str === '0') return { kind: 'int', value: 0n, scale: 0 };
  const { positive, value, num, denom, suffix } = scan(str);
  const sfx = interpret(suffix);
  if (!sfx) throw new QuantityParseError(ERR_SUFFIX);
  const { base, exponent, format } = sfx;

  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -9) {
      const shifted = BigInt(num + denom);
      const result = shifted * mantissa;
      if (fitsInt64(shifted) && fitsInt64(result)) return { kind: 'int', value: positive ? result : -result, scale };
    }
  }

  // Arbitrary precision path: exact value, rounded up (away from zero) to nano units.
  let { unscaled, scale: decScale } = decFromString(value);
  if (base === 10) decScale -= exponent;
  else unscaled *= 1n << BigInt(exponent);
  const negative = unscaled < 0n;
  if (negative) unscaled = -unscaled;
  if (unscaled !== 0n) {
    if (decScale > 9) {
      const div = pow10(decScale - 9);
      unscaled = unscaled / div + (unscaled % div === 0n ? 0n : 1n);
    } else {
      unscaled *= pow10(9 - decScale);
    }
    decScale = 9;
  }
  if (format === 'BinarySI' && compareDec(unscaled, decScale, MAX_INT64, 0) > 0) {
    unscaled = MAX_INT64;
    decScale = 0;
  }
  return { kind: 'dec', unscaled: negative ? -unscaled : unscaled, scale: decScale };
}

function compareDec(a: bigint, as: number, b: bigint, bs: number): number {
  const s = Math.max(as, bs);
  const x = a * pow10(s - as);
  const y = b * pow10(s - bs);
  return x < y ? -1 : x > y ? 1 : 0;
}

function toDec(q: Quantity): { unscaled: bigint; scale: number } {
  return q.kind === 'dec' ? { unscaled: q.unscaled, scale: q.scale } : { unscaled: q.value, scale: -q.scale };
}

/** Exact comparison (Quantity.Cmp). */
export function compareQuantity(a: Quantity, b: Quantity): number {
  const x = toDec(a);
  const y = toDec(b);
  return compareDec(x.unscaled, x.scale, y.unscaled, y.scale);
}

export function quantitySign(q: Quantity): number {
  const v = q.kind === 'int' ? q.value : q.unscaled;
  return v > 0n ? 1 : v < 0n ? -1 : 0;
}

/** int64Amount.AsInt64 / Quantity.AsInt64: undefined when not representable (always for the decimal form). */
export function quantityAsInt64(q: Quantity): bigint | undefined {
  if (q.kind === 'dec' || q.scale < 0) return undefined;
  const v = q.value * pow10(q.scale);
  return fitsInt64(v) ? v : undefined;
}

// Go's math.Pow10: products of exactly representable powers, so results match float64 bit for bit.
function goPow10(n: number): number {
  if (n >= 0) return n > 308 ? Infinity : Number(`1e${n % 32}`) * Number(`1e${32 * Math.floor(n / 32)}`);
  const m = -n;
  return m > 323 ? 0 : 1 / (Number(`1e${m % 32}`) * Number(`1e${32 * Math.floor(m / 32)}`));
}

/** Quantity.AsApproximateFloat64. */
export function quantityAsFloat(q: Quantity): number {
  const [base, exponent] = q.kind === 'int' ? [Number(q.value), q.scale] : [Number(q.unscaled), -q.scale];
  return exponent === 0 ? base : base * goPow10(exponent);
}

function addInt(a: { value: bigint; scale: number }, b: { value: bigint; scale: number }): Quantity | undefined {
  if (b.value === 0n) return { kind: 'int', ...a };
  if (a.value === 0n) return { kind: 'int', ...b };
  const scale = Math.min(a.scale, b.scale);
  const x = a.value * pow10(a.scale - scale);
  const y = b.value * pow10(b.scale - scale);
  if (!fitsInt64(x) || !fitsInt64(y) || !fitsInt64(x + y)) return undefined;
  return { kind: 'int', value: x + y, scale };
}

function addDec(a: Quantity, b: Quantity): Quantity {
  const x = toDec(a);
  const y = toDec(b);
  const scale = Math.max(x.scale, y.scale);
  return { kind: 'dec', unscaled: x.unscaled * pow10(scale - x.scale) + y.unscaled * pow10(scale - y.scale), scale };
}

/** Quantity.Add. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  if (a.kind === 'int' && b.kind === 'int') {
    const r = addInt(a, b);
    if (r) return r;
  }
  return addDec(a, b);
}

/** Quantity.Sub. */
export function subQuantity(a: Quantity, b: Quantity): Quantity {
  if (a.kind === 'int' && b.kind === 'int') {
    const r = addInt(a, { value: BigInt.asIntN(64, -b.value), scale: b.scale });
    if (r) return r;
  }
  const x = toDec(a);
  const y = toDec(b);
  const scale = Math.max(x.scale, y.scale);
  return { kind: 'dec', unscaled: x.unscaled * pow10(scale - x.scale) - y.unscaled * pow10(scale - y.scale), scale };
}

/** Quantity.Mul(int64). */
export function mulQuantity(a: Quantity, y: bigint): Quantity {
  if (a.kind === 'int' && fitsInt64(a.value * y)) return { kind: 'int', value: a.value * y, scale: a.scale };
  const x = toDec(a);
  return { kind: 'dec', unscaled: x.unscaled * y, scale: x.scale };
}

/** resource.NewQuantity(v, DecimalExponent). */
export function quantityFromInt(v: bigint): Quantity {
  return { kind: 'int', value: v, scale: 0 };
}

// Lossless text form, carried inside the CEL object value.
export function encodeQuantity(q: Quantity): string {
  return q.kind === 'int' ? `i:${q.value}:${q.scale}` : `d:${q.unscaled}:${q.scale}`;
}

export function decodeQuantity(text: string): Quantity {
  const [kind, a, s] = text.split(':');
  return kind === 'i' ? { kind: 'int', value: BigInt(a!), scale: Number(s) } : { kind: 'dec', unscaled: BigInt(a!), scale: Number(s) };
}

