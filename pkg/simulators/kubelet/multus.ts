// The Multus side of pod networking: a pod's k8s.v1.cni.cncf.io/networks
// annotation names NetworkAttachmentDefinitions; Multus attaches one interface
// per entry and reports them in k8s.v1.cni.cncf.io/network-status.
import { createHash } from 'node:crypto';

export const networksAnnotation = 'k8s.v1.cni.cncf.io/networks';
export const networkStatusAnnotation = 'k8s.v1.cni.cncf.io/network-status';
export const defaultNetworkName = 'stratus-sim-pod-network';

export interface NetworkSelection {
  name: string;
  namespace?: string;
  ips?: string[];
  mac?: string;
  interface?: string;
}

export interface NetworkStatus {
  name: string;
  interface: string;
  ips: string[];
  mac: string;
  default?: boolean;
  dns: Record<string, never>;
}

/** Parses the annotation: a JSON array, or the short form "nad1,ns2/nad2@eth5". */
export function parseNetworks(value: string | undefined, podNamespace: string): NetworkSelection[] {
  if (!value?.trim()) return [];
  const text = value.trim();
  if (text.startsWith('[')) {
    const parsed = JSON.parse(text) as NetworkSelection[];
    if (!Array.isArray(parsed)) throw new Error(`${networksAnnotation}: want a JSON array`);
    return parsed.map((n) => ({ ...n, namespace: n.namespace ?? podNamespace }));
  }
  return text.split(',').map((entry) => {
    const [ref, iface] = entry.trim().split('@');
    const [ns, name] = ref!.includes('/') ? ref!.split('/') : [podNamespace, ref!];
    return { name: name!, namespace: ns, interface: iface };
  });
}

/** A stable, locally administered MAC for an interface. */
export function macFor(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  const bytes = [0x02, h[0]!, h[1]!, h[2]!, h[3]!, h[4]!];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** What Multus reported for a pod (k8s.v1.cni.cncf.io/network-status); nothing when absent or unreadable. */
export function reportedNetworks(pod: { metadata: { annotations?: Record<string, string> } }): NetworkStatus[] {
  try {
    const parsed = JSON.parse(pod.metadata.annotations?.[networkStatusAnnotation] ?? '[]') as NetworkStatus[];
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** Multus's name for the interface of the i-th attachment (0-based) when the selection names none. */
export function interfaceName(i: number): string {
  return `net${i + 1}`;
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
