// What a VM's spec names, resolved the same way for one VM and for a group:
// its Volumes to the claims holding their data, its interfaces to Networks
// that are Ready. Whatever is missing becomes a problem the VM waits on.
import { Networks, Volumes } from '../../pkg/api/resources.js';
import type { Network, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import { isTrue } from '../../pkg/runtime/conditions/conditions.js';
import { waiting, Waiting, type Problem } from '../shared/problems.js';
import { volumesOfVm } from '../shared/references.js';
import { interfacesOf, stableMac } from './addressing.js';

export interface InterfaceRequest {
  name: string;
  mac: string;
  /** The Network (Ready), or undefined for the pod network. */
  network?: Network;
  /** A fixed address the spec asks for. */
  ipAddress?: string;
}

export interface Resolved {
  /** Volume name → the claim holding its data. */
  claims: Map<string, string>;
  interfaces: InterfaceRequest[];
}

export function resolve(cache: Cache, vm: VirtualMachine): Resolved | { problem: Problem } {
  const ns = vm.metadata.namespace;
  const claims = new Map<string, string>();
  const volumes: string[] = [];
  for (const name of volumesOfVm(vm)) {
    const volume = cache.get<Volume>(Volumes, ns, name);
    if (!volume) volumes.push(`Volume ${name} does not exist`);
    // A Volume not reported on yet is Pending, as its first report will say: one message, not two in a row.
    else if (!isTrue(volume.status?.conditions, 'Ready')) volumes.push(`Volume ${name} is ${volume.status?.phase ?? 'Pending'}${volume.status?.progress ? ` (${volume.status.progress})` : ''}`);
    else claims.set(name, volume.status?.claimName ?? name);
  }
  if (volumes.length) return { problem: waiting(Waiting.Volume, `waiting: ${volumes.join('; ')}`) };
  const interfaces: InterfaceRequest[] = [];
  const networks: string[] = [];
  for (const iface of interfacesOf(vm)) {
    const mac = iface.macAddress?.toLowerCase() ?? stableMac(vm.metadata.uid!, iface.name);
    if (!iface.network) {
      interfaces.push({ name: iface.name, mac });
      continue;
    }
    const network = cache.get<Network>(Networks, ns, iface.network);
    if (!network?.status?.networkAttachmentDefinition || !isTrue(network.status.conditions, 'Ready')) {
      networks.push(`Network ${iface.network} ${network ? 'is not Ready' : 'does not exist'}`);
      continue;
    }
    interfaces.push({ name: iface.name, mac, network, ...(iface.ipAddress ? { ipAddress: iface.ipAddress } : {}) });
  }
  if (networks.length) return { problem: waiting(Waiting.Network, `waiting: ${networks.join('; ')}`) };
  return { claims, interfaces };
}
