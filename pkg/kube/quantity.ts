// Kubernetes resource quantities ("500m", "1Gi", "2.5", "1e3") as numbers.

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const pattern = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

export function isQuantity(text: string): boolean {
  return pattern.test(text.trim());
}

/** The value of a quantity in base units (cores, bytes, …). Throws on malformed input. */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = pattern.exec(q.trim());
  if (!m) throw new Error(`invalid quantity "${q}"`);
  const value = Number(m[1]);
  if (m[2]) return value * (binary[m[2]] ?? decimal[m[2]]!);
  if (m[3]) return value * 10 ** Number(m[3]);
  return value;
}

/** Milli-units, as the HPA computes CPU ("250m" → 250). Rounds up, like Quantity.MilliValue. */
export function milliValue(q: string | number): number {
  return Math.ceil(parseQuantity(q) * 1000 - 1e-9);
}

/** Formats bytes with the largest binary suffix that keeps an integer ("1Gi", "1536Mi"). */
export function formatBytes(bytes: number): string {
  for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const unit = binary[suffix]!;
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return String(bytes);
}

/** Formats a number of milli-units ("250m", or "2" for 2000). */
export function formatMilli(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${Math.round(milli)}m`;
}
