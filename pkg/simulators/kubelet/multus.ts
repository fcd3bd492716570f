// The Multus side of pod networking as the simulated kubelet plays it: one
// interface per attachment a pod's networks annotation names, reported in its
// network-status annotation (the annotations themselves: pkg/contracts/multus).
import { createHash } from 'node:crypto';
import { interfaceName, type NetworkSelection, type NetworkStatus } from '../../contracts/multus/index.js';

export const defaultNetworkName = 'stratus-sim-pod-network';

/** A stable, locally administered MAC for an interface. */
export function macFor(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  const bytes = [0x02, h[0]!, h[1]!, h[2]!, h[3]!, h[4]!];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function networkStatus(podUid: string, podIP: string, selections: NetworkSelection[]): NetworkStatus[] {
  return [
    { name: defaultNetworkName, interface: 'eth0', ips: [podIP], mac: macFor(podUid + 'eth0'), default: true, dns: {} },
    ...selections.map((s, i) => {
      const iface = s.interface ?? interfaceName(i);
      return {
        name: `${s.namespace}/${s.name}`,
        interface: iface,
        ips: (s.ips ?? []).map((ip) => ip.split('/')[0]!),
        mac: s.mac ?? macFor(podUid + iface),
        dns: {},
      };
    }),
  ];
}
