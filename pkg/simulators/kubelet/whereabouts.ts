// Whereabouts, the cluster-wide IPAM plugin of many Multus setups, as the
// simulated kubelet plays it: an attachment whose CNI config has
// ipam.type "whereabouts" gets the lowest free address of its range(s)
// (`range` with optional `range_start`/`range_end`, or `ipRanges`), never an
// `exclude`d one, nor the network or broadcast address. Leases live in a
// pool per range and `network_name`, shared by every attachment definition
// naming the same pair, as whereabouts keeps one IPPool per range.
import type { WhereaboutsIpamConfig, WhereaboutsRangeConfig } from '../../contracts/multus/index.js';
import { cidrContains, hostRange, intToIp, ipToInt, parseCidr } from '../../net/ipv4.js';

export interface WhereaboutsRange {
  /** The pool the leases are kept in: network_name and range CIDR. */
  pool: string;
  cidr: string;
  first: number;
  last: number;
  excluded: { first: number; last: number }[];
}

function parseRange(r: WhereaboutsRangeConfig, networkName: string): WhereaboutsRange {
  if (!r.range) throw new Error('ipam: a range is required');
  const cidr = parseCidr(r.range);
  const hosts = hostRange(cidr);
  const first = r.range_start ? Math.max(ipToInt(r.range_start), hosts.first) : hosts.first;
  const last = r.range_end ? Math.min(ipToInt(r.range_end), hosts.last) : hosts.last;
  const excluded = (r.exclude ?? []).map((e) => {
    const c = parseCidr(e.includes('/') ? e : `${e}/32`);
    return { first: c.network, last: c.network + c.size - 1 };
  });
  return { pool: `${networkName}|${r.range}`, cidr: r.range, first, last, excluded };
}

/** The ranges of a CNI config's whereabouts IPAM; undefined when it has another IPAM or none. */
export function whereaboutsRanges(cniConfig: string): WhereaboutsRange[] | undefined {
  const ipam = (JSON.parse(cniConfig) as { ipam?: Omit<WhereaboutsIpamConfig, 'type'> & { type?: string } }).ipam;
  if (ipam?.type !== 'whereabouts') return undefined;
  const networkName = ipam.network_name ?? '';
  if (ipam.ipRanges?.length) return ipam.ipRanges.map((r) => parseRange(r, networkName));
  return [parseRange(ipam, networkName)];
}

/** The pool an address belongs to among `ranges`, if any. */
export function poolOf(ranges: WhereaboutsRange[], ip: string): string | undefined {
  return ranges.find((r) => cidrContains(parseCidr(r.cidr), ip))?.pool;
}

/** The lowest address of the ranges that is neither excluded nor leased (leases by pool). */
export function pickAddress(ranges: WhereaboutsRange[], leased: (pool: string) => Set<number>): string | undefined {
  for (const r of ranges) {
    const taken = leased(r.pool);
    for (let n = r.first; n <= r.last; n++) {
      if (taken.has(n) || r.excluded.some((e) => n >= e.first && n <= e.last)) continue;
      return intToIp(n);
    }
  }
  return undefined;
}

/** The error the plugin reports when a range is full, as whereabouts words it. */
export function exhaustedMessage(ranges: WhereaboutsRange[]): string {
  const spans = ranges.map((r) => `${intToIp(r.first)} - ${intToIp(r.last)} in ${r.cidr}`).join(', ');
  return `plugin type="whereabouts" failed (add): error at storage engine: Could not allocate IP in range: ${spans}`;
}
