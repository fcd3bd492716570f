// The Multus NetworkAttachmentDefinition for a Network: a bridge or macvlan
// CNI configuration whose IPAM (whereabouts) hands pods addresses from the
// Network's range, excluding the gateway and every address Stratus has
// allocated to a VirtualMachine.
import type { Network } from '../../pkg/api/types.generated.js';
import type { KubeObject } from '../../pkg/runtime/object.js';
import { childLabels } from '../shared/labels.js';

export function nadName(network: Network): string {
  return network.metadata.name!;
}

export function cniConfig(network: Network, allocated: string[]): Record<string, unknown> {
  const s = network.spec;
  const exclude = [...(s.gateway ? [s.gateway] : []), ...allocated].sort().map((ip) => `${ip}/32`);
  const ipam: Record<string, unknown> = { type: 'whereabouts', range: s.cidr };
  if (s.allocationRange) {
    ipam.range_start = s.allocationRange.start;
    ipam.range_end = s.allocationRange.end;
  }
  if (s.gateway) ipam.gateway = s.gateway;
  if (exclude.length) ipam.exclude = exclude;
  const plugin =
    s.type === 'macvlan'
      ? { type: 'macvlan', master: s.master ?? 'eth0', mode: 'bridge' }
      : { type: 'bridge', bridge: s.bridge ?? 'br-stratus', ...(s.vlan ? { vlan: s.vlan } : {}) };
  return {
    cniVersion: '0.3.1',
    name: `${network.metadata.namespace}-${network.metadata.name}`,
    ...plugin,
    ...(s.mtu ? { mtu: s.mtu } : {}),
    ipam,
  };
}

export function desiredNad(network: Network, allocated: string[]): KubeObject {
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name: nadName(network), namespace: network.metadata.namespace, labels: childLabels('network', network.metadata.name!) },
    spec: { config: JSON.stringify(cniConfig(network, allocated)) },
  };
}
