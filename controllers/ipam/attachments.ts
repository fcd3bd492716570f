// The Multus NetworkAttachmentDefinitions of a Network: one bridge or macvlan
// CNI configuration in three IPAM flavours.
//  - The Network's own (named after it), for workloads outside Stratus that
//    attach to the Network directly: whereabouts leases addresses of the
//    Network's range, except the gateway and every address Stratus has
//    allocated.
//  - The single-VM attachment (`<network>.vm`): no IPAM. Stratus addresses a
//    single VM's interface itself (an IPAllocation, passed to the guest as
//    cloud-init network data); a lease for its virt-launcher pod would hold
//    a second address the guest never uses.
//  - A pool (written by the App and VM controllers for Apps and VM groups):
//    whereabouts restricted to the addresses allocated to that pool.
// All whereabouts configurations of a Network share one network_name, so
// they lease from one pool, as whereabouts keeps one IPPool per range and
// name.
import type { Network, NetworkSegmentStatus } from '../../pkg/api/types.generated.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { ipToInt, intToIp, rangeToCidrs } from '../../pkg/net/ipv4.js';
import { childLabels } from '../shared/labels.js';

export function nadName(network: Network): string {
  return network.metadata.name!;
}

/** The attachment VMs use; a dot keeps it apart from the name of any Network that can be referenced. */
export function vmNadName(network: string): string {
  return `${network}.vm`;
}

function networkName(network: Network): string {
  return `${network.metadata.namespace}/${network.metadata.name}`;
}

/**
 * whereabouts over the Network's range, minus the gateway and the allocated
 * addresses. Stratus allocates from the bottom of the range, so these form a
 * few runs: excluded as the fewest CIDRs, the list stays short however many
 * addresses are taken.
 */
export function rangeIpam(network: Network, allocated: string[]): Record<string, unknown> {
  const s = network.spec;
  const exclude = addressRuns([...(s.gateway ? [s.gateway] : []), ...allocated]).flatMap(([first, last]) => rangeToCidrs(ipToInt(first), ipToInt(last)));
  const ipam: Record<string, unknown> = { type: 'whereabouts', network_name: networkName(network), range: s.cidr };
  if (s.allocationRange) {
    ipam.range_start = s.allocationRange.start;
    ipam.range_end = s.allocationRange.end;
  }
  if (s.gateway) ipam.gateway = s.gateway;
  if (exclude.length) ipam.exclude = exclude;
  return ipam;
}

/** Consecutive addresses as [start, end] runs, in address order. */
export function addressRuns(addresses: string[]): [string, string][] {
  const sorted = [...new Set(addresses.map(ipToInt))].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const n of sorted) {
    const last = runs[runs.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else runs.push([n, n]);
  }
  return runs.map(([a, b]) => [intToIp(a), intToIp(b)]);
}

/** whereabouts handing out exactly `addresses` (at least one). */
export function poolIpam(network: Network, addresses: string[]): Record<string, unknown> {
  const s = network.spec;
  const ipRanges = addressRuns(addresses).map(([start, end]) => ({ range: s.cidr, range_start: start, range_end: end }));
  return { type: 'whereabouts', network_name: networkName(network), ipRanges, ...(s.gateway ? { gateway: s.gateway } : {}) };
}

/** The CNI configuration of an attachment to the Network's segment (see segment.ts). */
export function cniConfig(network: Network, segment: NetworkSegmentStatus, ipam: Record<string, unknown>): Record<string, unknown> {
  const s = network.spec;
  const plugin = segment.master
    ? { type: 'macvlan', master: segment.master, mode: 'bridge' }
    : { type: 'bridge', bridge: segment.bridge, ...(segment.vlan ? { vlan: segment.vlan } : {}) };
  return {
    cniVersion: '0.3.1',
    name: `${network.metadata.namespace}-${network.metadata.name}`,
    ...plugin,
    ...(s.mtu ? { mtu: s.mtu } : {}),
    ipam,
  };
}

export function attachmentDefinition(name: string, namespace: string | undefined, labels: Record<string, string>, config: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name, namespace, labels },
    spec: { config: JSON.stringify(config) },
  };
}

export function desiredNad(network: Network, segment: NetworkSegmentStatus, allocated: string[]): KubeObject {
  const labels = childLabels('network', network.metadata.name!);
  return attachmentDefinition(nadName(network), network.metadata.namespace, labels, cniConfig(network, segment, rangeIpam(network, allocated)));
}

export function desiredVmNad(network: Network, segment: NetworkSegmentStatus): KubeObject {
  const labels = childLabels('network', network.metadata.name!);
  return attachmentDefinition(vmNadName(network.metadata.name!), network.metadata.namespace, labels, cniConfig(network, segment, {}));
}
