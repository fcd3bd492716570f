// Which layer-2 segment a Network is on (pure). A provider network chose
// its own (a VLAN, a bridge, or macvlan on a host interface: admission
// checked the privilege); a tenant Network gets a VLAN of its own from the
// tenant pool on the tenant bridge, so no two tenant Networks share a
// broadcast domain. A provider VLAN may not come from the tenant pool: the
// pool's VLANs belong to the tenant Networks that hold them.
import type { Network, NetworkSegmentStatus } from '../../pkg/api/types.generated.js';
import type { Settings, VlanRange } from '../../pkg/api/settings.js';

export type SegmentChoice =
  | { provider: NetworkSegmentStatus }
  | { tenant: { bridge: string } }
  | { conflict: string };

export function describeRanges(ranges: VlanRange[]): string {
  return ranges.map((r) => (r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`)).join(',');
}

function inRanges(vlan: number, ranges: VlanRange[]): boolean {
  return ranges.some((r) => vlan >= r.first && vlan <= r.last);
}

export function chooseSegment(network: Network, settings: Settings): SegmentChoice {
  const s = network.spec;
  if (s.type === 'macvlan') return { provider: { provider: true, master: s.master ?? 'eth0' } };
  if (s.vlan === undefined && s.bridge === undefined) return { tenant: { bridge: settings.tenantBridge } };
  const bridge = s.bridge ?? settings.tenantBridge;
  if (s.vlan !== undefined && bridge === settings.tenantBridge && inRanges(s.vlan, settings.tenantVlans)) {
    return {
      conflict: `spec.vlan: VLAN ${s.vlan} on bridge ${bridge} belongs to the tenant pool (${describeRanges(settings.tenantVlans)}), which Stratus hands out to tenant Networks; choose a VLAN outside it or another bridge`,
    };
  }
  return { provider: { provider: true, bridge, ...(s.vlan !== undefined ? { vlan: s.vlan } : {}) } };
}

/** The lowest VLAN of the ranges that is not taken. */
export function firstFreeVlan(ranges: VlanRange[], taken: Set<number>): number | undefined {
  for (const r of [...ranges].sort((a, b) => a.first - b.first)) {
    for (let v = r.first; v <= r.last; v++) if (!taken.has(v)) return v;
  }
  return undefined;
}

/** The NetworkSegment holding a VLAN on a bridge. */
export function segmentName(bridge: string, vlan: number): string {
  return `${bridge}.${vlan}`;
}
