// String → CEL timestamp/duration conversions the apiserver applies to
// schema values with format date-time, date and duration (kube-openapi strfmt
// on top of Go's time package). Results are nanosecond-exact.

const NS_PER_S = 1_000_000_000n;
const MAX_INT64 = 2n ** 63n - 1n;

export interface Instant {
  /** Seconds since the Unix epoch. */
  seconds: bigint;
  nanos: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function daysFromCivil(y: number, m: number, d: number): number {
  // Howard Hinnant's algorithm: days since 1970-01-01 in the proleptic Gregorian calendar.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function instant(y: number, mo: number, d: number, h: number, mi: number, s: number, frac: string, offsetMinutes: number): Instant {
  if (mo < 1 || mo > 12) throw new Error('month out of range');
  const dim = mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1]!;
  if (d < 1 || d > dim) throw new Error('day out of range');
  if (h > 23) throw new Error('hour out of range');
  if (mi > 59) throw new Error('minute out of range');
  if (s > 59) throw new Error('second out of range');
  const days = BigInt(daysFromCivil(y, mo, d));
  const seconds = days * 86400n + BigInt(h * 3600 + mi * 60 + s - offsetMinutes * 60);
  const nanos = frac === '' ? 0 : Number(frac.slice(0, 9).padEnd(9, '0'));
  return { seconds, nanos };
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(T| )(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}:\d{2}|[+-]\d{4})?$/;

/** strfmt.ParseDateTime: the RFC 3339 variants it tries, in Go time.Parse's strictness. */
export function parseDateTime(str: string): Instant {
  if (str === '') return { seconds: -62135596800n, nanos: 0 }; // time.Time{} (0001-01-01T00:00:00Z)
  const m = DATE_TIME.exec(str);
  if (!m) throw new Error(`parsing time ${JSON.stringify(str)} as a date-time failed`);
  const [, y, mo, d, sep, h, mi, s, frac = '', zone] = m;
  const hasSeconds = s !== undefined;
  // Which strfmt layout could have matched.
  const ok =
    sep === 'T'
      ? hasSeconds
        ? zone === undefined || zone === 'Z' || zone.includes(':') || frac.length === 3 || frac.length === 6
        : zone === undefined || zone === 'Z'
      : hasSeconds && zone === undefined;
  if (!ok || (zone !== undefined && zone !== 'Z' && !zone.includes(':') && !(frac.length === 3 || frac.length === 6)))
    throw new Error(`parsing time ${JSON.stringify(str)} as a date-time failed`);
  let offset = 0;
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits[0] === '-' ? -1 : 1;
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 23 || om > 59) throw new Error('time zone offset out of range');
    offset = sign * (oh * 60 + om);
  }
  return instant(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0), frac, offset);
}

/** time.Parse("2006-01-02", str) in UTC. */
export function parseDate(str: string): Instant {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(str);
  if (!m) throw new Error(`parsing time ${JSON.stringify(str)} as "2006-01-02" failed`);
  return instant(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0, '', 0);
}

const GO_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n,
  'μs': 1000n,
  ms: 1_000_000n,
  s: NS_PER_S,
  m: 60n * NS_PER_S,
  h: 3600n * NS_PER_S,
};

/** Go time.ParseDuration, in nanoseconds. */
export function parseGoDuration(s: string): bigint {
  const orig = s;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?([^\d.]+)/.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
    const unit = GO_UNITS[m[3]!.match(/^(ns|us|µs|μs|ms|s|m|h)/)?.[0] ?? ''];
    const unitText = m[3]!.match(/^(ns|us|µs|μs|ms|s|m|h)/)?.[0];
    if (unit === undefined || unitText === undefined) throw new Error(`time: unknown unit ${JSON.stringify(m[3])} in duration ${JSON.stringify(orig)}`);
    const whole = BigInt(m[1] || '0') * unit;
    const fracDigits = m[2] ?? '';
    const frac = fracDigits === '' ? 0n : (BigInt(fracDigits) * unit) / 10n ** BigInt(fracDigits.length);
    total += whole + frac;
    if (total > MAX_INT64) throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
    s = s.slice(m[1]!.length + (m[2] !== undefined ? m[2].length + 1 : 0) + unitText.length);
  }
  return neg ? -total : total;
}

const STRFMT_UNITS: ReadonlyArray<readonly [readonly string[], bigint]> = [
  [['ns', 'nano'], 1n],
  [['us', 'µs', 'micro'], 1000n],
  [['ms', 'milli'], 1_000_000n],
  [['s', 'sec'], NS_PER_S],
  [['m', 'min'], 60n * NS_PER_S],
  [['h', 'hr', 'hour'], 3600n * NS_PER_S],
  [['d', 'day'], 86400n * NS_PER_S],
  [['w', 'wk', 'week'], 7n * 86400n * NS_PER_S],
];

/** strfmt.ParseDuration: Go syntax first, then free forms such as "3 days" or "1w". */
export function parseStrfmtDuration(cand: string): bigint {
  try {
    return parseGoDuration(cand);
  } catch {
    // fall back to strfmt's own grammar
  }
  let total = 0n;
  let ok = false;
  for (const m of cand.matchAll(/((\d+)\s*([A-Za-zµ]+))/g)) {
    const factor = BigInt(m[2]!);
    const unit = m[3]!.trim().toLowerCase();
    for (const [variants, mult] of STRFMT_UNITS) {
      variants.forEach((v, i) => {
        if ((i === variants.length - 1 && unit.startsWith(v)) || v === unit) {
          ok = true;
          total += factor * mult;
        }
      });
    }
  }
  if (!ok) throw new Error(`unable to parse ${cand} as duration`);
  return total;
}

/** Splits nanoseconds into google.protobuf.Duration fields (same sign). */
export function durationParts(ns: bigint): { seconds: bigint; nanos: number } {
  return { seconds: ns / NS_PER_S, nanos: Number(ns % NS_PER_S) };
}
