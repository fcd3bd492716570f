// IPv4/IPv6 addresses and prefixes with Go net/netip's parsing strictness and
// canonical formatting — the CEL ip/cidr libraries are thin layers over netip.
// (pkg/net/ipv4.ts is IPv4-only and rejects CIDRs with host bits set, which
// cidr() accepts, so it does not fit here.)

export interface IpAddr {
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: Uint8Array;
  zone: string;
}

export class IpParseError extends Error {
  override readonly name = 'IpParseError';
}

function fail(input: string, msg: string, at?: string): never {
  throw new IpParseError(`ParseAddr(${JSON.stringify(input)}): ${msg}${at !== undefined ? ` (at ${JSON.stringify(at)})` : ''}`);
}

function parseIPv4Into(s: string, input: string, out: Uint8Array, offset: number): void {
  let fields = 0;
  let val = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') {
      if (digits === 1 && val === 0) fail(input, 'IPv4 field has octet with leading zero');
      val = val * 10 + (c.charCodeAt(0) - 48);
      digits++;
      if (val > 255) fail(input, 'IPv4 field has value >255');
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') fail(input, 'IPv4 field must have at least one digit', s.slice(i));
      if (fields === 3) fail(input, 'IPv4 address too long');
      out[offset + fields++] = val;
      val = 0;
      digits = 0;
    } else {
      fail(input, 'unexpected character', s.slice(i));
    }
  }
  if (fields < 3) fail(input, 'IPv4 address too short');
  out[offset + 3] = val;
}

function parseIPv6(input: string): IpAddr {
  let s = input;
  let zone = '';
  const pct = s.indexOf('%');
  if (pct >= 0) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') fail(input, 'zone must be a non-empty string');
  }
  const ip = new Uint8Array(16);
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return { bytes: ip, zone };
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    while (off < s.length) {
      const c = s[off]!;
      const d = parseInt(c, 16);
      if (!/[0-9a-fA-F]/.test(c)) break;
      if (off > 3) fail(input, 'each group must have 4 or less digits', s);
      acc = acc * 16 + d;
      off++;
    }
    if (off === 0) fail(input, 'each colon-separated field must have at least one digit', s);
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) fail(input, 'embedded IPv4 address must replace the final 2 fields of the address', s);
      if (i + 4 > 16) fail(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s);
      parseIPv4Into(s, input, ip, i);
      s = '';
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s === '') break;
    if (s[0] !== ':') fail(input, 'unexpected character, want colon', s);
    if (s.length === 1) fail(input, 'colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) fail(input, 'multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') fail(input, 'trailing garbage after address', s);
  if (i < 16) {
    if (ellipsis < 0) fail(input, 'address string too short');
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    ip.fill(0, ellipsis, ellipsis + n);
  } else if (ellipsis >= 0) {
    fail(input, 'the :: must expand to at least one field of zeros');
  }
  return { bytes: ip, zone };
}

/** netip.ParseAddr. */
export function parseAddr(s: string): IpAddr {
  for (const c of s) {
    if (c === '.') {
      const bytes = new Uint8Array(4);
      parseIPv4Into(s, s, bytes, 0);
      return { bytes, zone: '' };
    }
    if (c === ':') return parseIPv6(s);
    if (c === '%') fail(s, 'missing IPv6 address');
  }
  fail(s, 'unable to parse IP');
}

export const is4 = (a: IpAddr): boolean => a.bytes.length === 4;

export function is4In6(a: IpAddr): boolean {
  const b = a.bytes;
  return b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

/** netip.Addr.String (zones are rejected by the CEL library, so not printed). */
export function formatAddr(a: IpAddr): string {
  const b = a.bytes;
  if (b.length === 4) return Array.from(b).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => (b[2 * i]! << 8) | b[2 * i + 1]!);
  if (is4In6(a)) return `::ffff:${Array.from(b.slice(12)).join('.')}`;
  // Longest run (>= 2) of zero groups, first one on ties, becomes "::".
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i >= 2 && j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += groups[i]!.toString(16);
  }
  return out + (a.zone ? `%${a.zone}` : '');
}

export interface IpPrefix {
  addr: IpAddr;
  bits: number;
}

/** netip.ParsePrefix. */
export function parsePrefix(s: string): IpPrefix {
  const slash = s.lastIndexOf('/');
  if (slash < 0) throw new IpParseError(`netip.ParsePrefix(${JSON.stringify(s)}): no '/'`);
  let addr: IpAddr;
  try {
    addr = parseAddr(s.slice(0, slash));
  } catch (e) {
    throw new IpParseError(`netip.ParsePrefix(${JSON.stringify(s)}): ${(e as Error).message}`);
  }
  if (addr.zone !== '') throw new IpParseError(`netip.ParsePrefix(${JSON.stringify(s)}): IPv6 zones cannot be present in a prefix`);
  const bitsStr = s.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(bitsStr)) throw new IpParseError(`netip.ParsePrefix(${JSON.stringify(s)}): bad bits after slash: ${JSON.stringify(bitsStr)}`);
  const bits = Number(bitsStr);
  if (bits > addr.bytes.length * 8) throw new IpParseError(`netip.ParsePrefix(${JSON.stringify(s)}): prefix length out of range`);
  return { addr, bits };
}

export function formatPrefix(p: IpPrefix): string {
  return `${formatAddr(p.addr)}/${p.bits}`;
}

/** Prefix.Masked: host bits cleared. */
export function maskPrefix(p: IpPrefix): IpPrefix {
  const bytes = new Uint8Array(p.addr.bytes);
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, p.bits - i * 8));
    bytes[i]! &= (0xff << (8 - keep)) & 0xff;
  }
  return { addr: { bytes, zone: '' }, bits: p.bits };
}

/** Prefix.Contains. */
export function prefixContains(p: IpPrefix, a: IpAddr): boolean {
  if (a.bytes.length !== p.addr.bytes.length || a.zone !== '') return false;
  return formatAddr(maskPrefix({ addr: a, bits: p.bits }).addr) === formatAddr(maskPrefix(p).addr);
}

const first = (a: IpAddr): number => a.bytes[0]!;
const g0 = (a: IpAddr): number => (a.bytes[0]! << 8) | a.bytes[1]!;

export function isUnspecified(a: IpAddr): boolean {
  return a.bytes.every((x) => x === 0);
}

export function isLoopback(a: IpAddr): boolean {
  if (is4(a)) return first(a) === 127;
  return a.bytes.slice(0, 15).every((x) => x === 0) && a.bytes[15] === 1;
}

export function isMulticast(a: IpAddr): boolean {
  return is4(a) ? (first(a) & 0xf0) === 0xe0 : first(a) === 0xff;
}

export function isLinkLocalMulticast(a: IpAddr): boolean {
  if (is4(a)) return first(a) === 224 && a.bytes[1] === 0 && a.bytes[2] === 0;
  return (g0(a) & 0xff0f) === 0xff02;
}

export function isLinkLocalUnicast(a: IpAddr): boolean {
  if (is4(a)) return first(a) === 169 && a.bytes[1] === 254;
  return (g0(a) & 0xffc0) === 0xfe80;
}

export function isGlobalUnicast(a: IpAddr): boolean {
  if (is4(a) && (isUnspecified(a) || a.bytes.every((x) => x === 255))) return false;
  return !isUnspecified(a) && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a);
}
