// Interface addressing of a VM: stable MAC addresses (so the guest can match
// its network configuration to interfaces), and the cloud-init network data
// for addresses Stratus allocated.
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { VirtualMachine } from '../../pkg/api/types.generated.js';

export interface ResolvedInterface {
  name: string;
  /** The Network, or undefined for the pod network. */
  network?: string;
  /** The NetworkAttachmentDefinition, namespace/name. */
  nad?: string;
  mac: string;
  /** Address and prefix length, when Stratus allocated one (single VMs). */
  address?: { ip: string; prefix: number; gateway?: string };
}

type Interface = NonNullable<VirtualMachine['spec']['networks']>[number];

/** The interfaces a spec's networks list names, in order; the pod network when it names none. */
export function interfacesIn(networks: Interface[] | undefined): Interface[] {
  return networks?.length ? networks : [{ name: 'default' }];
}

/** The interfaces of a VM in order; the pod network when the spec lists none. */
export function interfacesOf(vm: VirtualMachine): Interface[] {
  return interfacesIn(vm.spec.networks);
}

/** A stable, locally administered unicast MAC from the VM's uid and the interface name. */
export function stableMac(vmUid: string, iface: string): string {
  const h = createHash('sha256').update(`${vmUid}/${iface}`).digest();
  return [0x02, h[0]!, h[1]!, h[2]!, h[3]!, h[4]!].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * Netplan (cloud-init network config v2): DHCP on the pod network and on
 * interfaces without an allocated address, static addresses elsewhere.
 * Without any static address there is nothing to say, unless `always`.
 */
export function networkData(interfaces: ResolvedInterface[], always = false): string | undefined {
  if (!always && !interfaces.some((i) => i.address)) return undefined;
  const ethernets: Record<string, unknown> = {};
  interfaces.forEach((iface, i) => {
    const base = { match: { macaddress: iface.mac }, 'set-name': `eth${i}` };
    ethernets[`eth${i}`] = iface.address
      ? { ...base, addresses: [`${iface.address.ip}/${iface.address.prefix}`], ...(iface.network ? {} : { dhcp4: true }) }
      : { ...base, dhcp4: true };
  });
  return stringify({ version: 2, ethernets });
}
