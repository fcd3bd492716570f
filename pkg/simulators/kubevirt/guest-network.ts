// What the guest agent would report about the guest's interfaces: the
// addresses the guest configured from its cloud-init network data, inline in
// the VMI or in the Secret virt-launcher mounts for networkDataSecretRef.
import { parse } from 'yaml';
import type { VirtualMachineInstance } from '../../contracts/kubevirt/index.js';

interface GuestAddress {
  mac?: string;
  name?: string;
  addresses: string[];
}

function stripPrefix(cidr: string): string {
  return cidr.split('/')[0]!;
}

/** Parses cloud-init network config v1 or v2 (netplan) into per-interface addresses. */
export function guestAddresses(text: string | undefined): GuestAddress[] {
  if (!text?.trim()) return [];
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return [];
  }
  const root = (doc && typeof doc === 'object' && 'network' in doc ? (doc as { network: unknown }).network : doc) as Record<string, unknown> | null;
  if (!root || typeof root !== 'object') return [];
  if (root.version === 2 && root.ethernets && typeof root.ethernets === 'object') {
    return Object.entries(root.ethernets as Record<string, { match?: { macaddress?: string }; addresses?: string[]; 'set-name'?: string }>).map(
      ([name, e]) => ({ name: e['set-name'] ?? name, mac: e.match?.macaddress?.toLowerCase(), addresses: (e.addresses ?? []).map(stripPrefix) }),
    );
  }
  if (root.version === 1 && Array.isArray(root.config)) {
    return (root.config as { type?: string; name?: string; mac_address?: string; subnets?: { type?: string; address?: string }[] }[])
      .filter((c) => c.type === 'physical')
      .map((c) => ({
        name: c.name,
        mac: c.mac_address?.toLowerCase(),
        addresses: (c.subnets ?? []).filter((s) => s.address).map((s) => stripPrefix(s.address!)),
      }));
  }
  return [];
}

/** The network data the guest boots with; `secretData` reads a Secret of the VMI's namespace (decoded), if it exists. */
export function cloudInitNetworkData(vmi: VirtualMachineInstance, secretData: (name: string) => Record<string, string> | undefined): string | undefined {
  const volume = (vmi.spec.volumes ?? []).find((v) => v.cloudInitNoCloud || v.cloudInitConfigDrive);
  const source = volume?.cloudInitNoCloud ?? volume?.cloudInitConfigDrive;
  if (!source) return undefined;
  if (source.networkDataSecretRef?.name) {
    // virt-launcher takes the key networkdata, or networkData.
    const data = secretData(source.networkDataSecretRef.name);
    return data?.networkdata ?? data?.networkData;
  }
  return source.networkData ?? (source.networkDataBase64 ? Buffer.from(source.networkDataBase64, 'base64').toString() : undefined);
}
