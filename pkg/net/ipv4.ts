// IPv4 arithmetic for CIDRs and address ranges.

export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address "${ip}"`);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new Error(`invalid IPv4 address "${ip}"`);
    n = n * 256 + Number(p);
  }
  return n;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface Cidr {
  /** The network address as an integer. */
  network: number;
  prefix: number;
  /** The number of addresses, network and broadcast included. */
  size: number;
}

export function parseCidr(cidr: string): Cidr {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  if (!m) throw new Error(`invalid CIDR "${cidr}": want a.b.c.d/n`);
  const prefix = Number(m[2]);
  if (prefix > 32) throw new Error(`invalid CIDR "${cidr}": prefix longer than 32`);
  const size = 2 ** (32 - prefix);
  const addr = ipToInt(m[1]!);
  const network = addr - (addr % size);
  if (network !== addr) throw new Error(`invalid CIDR "${cidr}": host bits set (did you mean ${intToIp(network)}/${prefix}?)`);
  return { network, prefix, size };
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  const n = ipToInt(ip);
  return n >= cidr.network && n < cidr.network + cidr.size;
}

/** The first and last usable host addresses (network and broadcast excluded below /31). */
export function hostRange(cidr: Cidr): { first: number; last: number } {
  if (cidr.prefix >= 31) return { first: cidr.network, last: cidr.network + cidr.size - 1 };
  return { first: cidr.network + 1, last: cidr.network + cidr.size - 2 };
}

export function isIPv4(text: string): boolean {
  try {
    ipToInt(text);
    return true;
  } catch {
    return false;
  }
}

/** The fewest CIDRs covering exactly the addresses first..last (integers, inclusive), in order. */
export function rangeToCidrs(first: number, last: number): string[] {
  const out: string[] = [];
  let n = first;
  while (n <= last) {
    // The largest block aligned at n that does not pass last.
    let size = 1;
    while (size < 2 ** 32 && n % (size * 2) === 0 && n + size * 2 - 1 <= last) size *= 2;
    out.push(`${intToIp(n)}/${32 - Math.log2(size)}`);
    n += size;
  }
  return out;
}
