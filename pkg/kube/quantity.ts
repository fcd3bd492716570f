// Kubernetes resource quantities ("500m", "1Gi", "1e3"), with exact arithmetic.
//
// The HPA works on int64 milli-values (Quantity.MilliValue(), which rounds
// up) and integer division; floats would drift on memory-sized numbers
// (bytes × 1000 × 100 overflows 2^53), so quantities are parsed into exact
// rationals and milli-values are BigInts.

/** A Kubernetes quantity string ("250m", "1Gi", "1e3") or a plain number in base units (cores, bytes, …). */
export type Quantity = string | number;

/** Quantity formats the HPA uses when reporting values in its status. */
export type QuantityFormat = 'DecimalSI' | 'BinarySI';

export const DECIMAL_EXPONENTS: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
export const BINARY_SHIFTS: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

// sign, integer digits, fraction digits, then either a decimal exponent or a suffix.
export const QUANTITY_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

export class QuantityError extends Error {
  override readonly name = 'QuantityError';
}

interface Rational {
  readonly num: bigint;
  readonly den: bigint; // always > 0
}

function parseRational(q: Quantity): Rational {
  let text: string;
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) throw new QuantityError(`invalid quantity ${q}`);
    text = String(q); // shortest round-trip decimal, e.g. 0.1 → "0.1", 1e21 → "1e+21"
  } else {
    text = q.trim();
  }
  const m = QUANTITY_PATTERN.exec(text);
  const intDigits = m?.[2] ?? '';
  const fracDigits = m?.[3] ?? '';
  if (!m || intDigits.length + fracDigits.length === 0) throw new QuantityError(`invalid quantity "${String(q)}"`);
  let num = BigInt(intDigits + fracDigits);
  let den = 10n ** BigInt(fracDigits.length);
  if (m[1] === '-') num = -num;
  const exponent = m[4] !== undefined ? Number(m[4]) : m[5] !== undefined ? DECIMAL_EXPONENTS[m[5]] : undefined;
  if (exponent !== undefined) {
    if (exponent >= 0) num *= 10n ** BigInt(exponent);
    else den *= 10n ** BigInt(-exponent);
  } else if (m[5] !== undefined) {
    num <<= BigInt(BINARY_SHIFTS[m[5]]!);
  }
  return { num, den };
}

/** Division rounding towards +∞ (den > 0). */
function ceilDiv(num: bigint, den: bigint): bigint {
  const q = num / den; // BigInt division truncates towards zero
  return num % den !== 0n && num > 0n ? q + 1n : q;
}

/** ceil(q × 1000), exactly like resource.Quantity.MilliValue(). Throws QuantityError on malformed input. */
export function milliValue(q: Quantity): bigint {
  const { num, den } = parseRational(q);
  return ceilDiv(num * 1000n, den);
}

/** The value in base units (cores, bytes, …) as a float, like resource.Quantity.AsApproximateFloat64(). Throws QuantityError on malformed input. */
export function parseQuantity(q: Quantity): number {
  if (typeof q === 'number') return q;
  const { num, den } = parseRational(q);
  return Number(num) / Number(den);
}

/** True if the quantity parses. */
export function isValidQuantity(q: Quantity): boolean {
  try {
    parseRational(q);
    return true;
  } catch {
    return false;
  }
}

const DECIMAL_SUFFIXES: ReadonlyArray<readonly [number, string]> = [
  [18, 'E'],
  [15, 'P'],
  [12, 'T'],
  [9, 'G'],
  [6, 'M'],
  [3, 'k'],
  [0, ''],
];
export const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

function formatDecimal(milli: bigint): string {
  if (milli === 0n) return '0';
  // Canonical form: the largest exponent (multiple of 3) that keeps the mantissa integral.
  for (const [exp, suffix] of DECIMAL_SUFFIXES) {
    const unit = 10n ** BigInt(exp + 3);
    if (milli % unit === 0n) return `${milli / unit}${suffix}`;
  }
  return `${milli}m`;
}

/**
 * The canonical string of resource.NewMilliQuantity(milli, format).String():
 * 1500 → "1500m", 2000 → "2", 2_000_000 → "2k"; BinarySI 1048576000 → "1Mi".
 */
export function formatMilliQuantity(milli: bigint | number, format: QuantityFormat = 'DecimalSI'): string {
  const m = BigInt(milli);
  const abs = m < 0n ? -m : m;
  // BinarySI falls back to DecimalSI below 1024 and for fractional values, to stay exact.
  if (format === 'DecimalSI' || abs < 1024n * 1000n || m % 1000n !== 0n) return formatDecimal(m);
  let units = m / 1000n;
  let i = 0;
  while (i < BINARY_SUFFIXES.length - 1 && units % 1024n === 0n) {
    units /= 1024n;
    i++;
  }
  return `${units}${BINARY_SUFFIXES[i]}`;
}

/** Formats bytes with the largest binary suffix that keeps an integer ("1Gi", "1536Mi"). */
export function formatBytes(bytes: number): string {
  for (let i = BINARY_SUFFIXES.length - 1; i > 0; i--) {
    const unit = 2 ** (10 * i);
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${BINARY_SUFFIXES[i]}`;
  }
  return String(bytes);
}
