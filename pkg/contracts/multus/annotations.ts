// The pod annotations of the Network Plumbing Working Group's multi-network
// spec, as Multus reads and writes them (types from
// network-attachment-definition-client pkg/apis/k8s.cni.cncf.io/v1:
// NetworkSelectionElement, NetworkStatus): k8s.v1.cni.cncf.io/networks names
// the attachments a pod wants; Multus attaches one interface per entry and
// reports them in k8s.v1.cni.cncf.io/network-status.

export const networksAnnotation = 'k8s.v1.cni.cncf.io/networks';
export const networkStatusAnnotation = 'k8s.v1.cni.cncf.io/network-status';

/** One entry of the networks annotation. */
export interface NetworkSelection {
  name: string;
  /** Defaults to the pod's namespace. */
  namespace?: string;
  ips?: string[];
  mac?: string;
  /** The interface's name in the pod; Multus picks net<N> when unset. */
  interface?: string;
}

/** One entry of the network-status annotation. */
export interface NetworkStatus {
  /** namespace/name of the attachment, or the default network's name. */
  name: string;
  interface: string;
  ips: string[];
  mac: string;
  default?: boolean;
  dns: Record<string, never>;
}

/** Parses the networks annotation: a JSON array, or the short form "nad1,ns2/nad2@eth5". */
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

/** What Multus reported for a pod; nothing when absent or unreadable. */
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
