// Address management arithmetic (pure): which addresses a Network hands out,
// how an allocation object is named, and whether a requested address may be
// taken.
import type { Network } from '../../pkg/api/types.generated.js';
import { cidrContains, hostRange, intToIp, ipToInt, parseCidr } from '../../pkg/net/ipv4.js';

export interface AddressRange {
  first: number;
  last: number;
  /** Never handed out: the gateway. */
  reserved: Set<number>;
}

/** The range a Network allocates from; an error message when the spec is inconsistent. */
export function allocationRange(network: Network): AddressRange | { error: string } {
  const cidr = parseCidr(network.spec.cidr);
  const hosts = hostRange(cidr);
  const reserved = new Set<number>();
  if (network.spec.gateway) reserved.add(ipToInt(network.spec.gateway));
  const r = network.spec.allocationRange;
  if (!r) return { ...hosts, reserved };
  const first = ipToInt(r.start);
  const last = ipToInt(r.end);
  if (first > last) return { error: `spec.allocationRange: start ${r.start} is after end ${r.end}` };
  return { first: Math.max(first, hosts.first), last: Math.min(last, hosts.last), reserved };
}

export function rangeSize(range: AddressRange): number {
  let n = range.last - range.first + 1;
  for (const r of range.reserved) if (r >= range.first && r <= range.last) n--;
  return Math.max(0, n);
}

/** IPAllocation names: the Network and the address, so the apiserver's name uniqueness forbids double allocation. */
export function allocationName(network: string, ip: string): string {
  return `${network}.${ip}`;
}

/** Why `ip` may not be allocated on `network` (inside the CIDR, not the gateway, not network or broadcast); undefined if it may. */
export function fixedAddressProblem(network: Network, ip: string): string | undefined {
  const cidr = parseCidr(network.spec.cidr);
  if (!cidrContains(cidr, ip)) return `${ip} is not inside Network ${network.metadata.name}'s CIDR ${network.spec.cidr}`;
  if (ip === network.spec.gateway) return `${ip} is the gateway of Network ${network.metadata.name}`;
  const { first, last } = hostRange(cidr);
  const n = ipToInt(ip);
  if (n < first || n > last) return `${ip} is the network or broadcast address of ${network.spec.cidr}`;
  return undefined;
}

/** The lowest address of the range not in `taken`; undefined when the range is full. */
export function firstFree(range: AddressRange, taken: Set<number>): string | undefined {
  for (let n = range.first; n <= range.last; n++) {
    if (!taken.has(n) && !range.reserved.has(n)) return intToIp(n);
  }
  return undefined;
}
