// What a VM's spec names, resolved the same way for one VM and for a group:
// its Volumes to the claims holding their data (a blank or restored Volume's
// as soon as its claim exists: KubeVirt itself waits for the claim to bind,
// as WaitingForVolumeBinding, so the VM starts provisioning alongside its
// disks instead of after them), a DiskImage root disk to the
// DataSource to clone, its interfaces to Networks that are Ready, and a
// Restore in place that holds it stopped. Whatever is missing becomes a
// problem the VM waits on.
import { DiskImages, Networks, Volumes } from '../../pkg/api/resources.js';
import type { DiskImage, Network, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import type { PersistentVolumeClaim } from '../../pkg/kube/core-types.js';
import { PersistentVolumeClaims } from '../../pkg/kube/resources.js';
import { isControlledBy } from '../../pkg/meta/object.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import { isTrue } from '../../pkg/runtime/conditions/conditions.js';
import { parseQuantity } from '../../pkg/kube/quantity.js';
import { stuck, Stuck, waiting, Waiting, type Problem } from '../shared/problems.js';
import { volumesOfVm } from '../shared/references.js';
import { restoreHolding } from '../shared/restores.js';
import { claimName, importsData } from '../volume/desired.js';
import { interfacesOf, stableMac } from './addressing.js';
import { existingRootImage, type ResolvedImage } from './root-disk.js';

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
  /** The DiskImage a root disk clones. */
  image?: ResolvedImage;
  /** The Restore in place holding the VM stopped. */
  heldBy?: string;
  interfaces: InterfaceRequest[];
}

/**
 * Whether a Volume that is not Ready yet has its own claim, bound or about
 * to be: a plain claim (CDI's imports report their own progress), the
 * Volume neither failing nor being deleted or restored.
 */
function ownClaimExists(cache: Cache, volume: Volume): boolean {
  if (importsData(volume) || volume.metadata.deletionTimestamp || volume.status?.phase === 'Failed' || volume.status?.phase === 'Restoring') return false;
  const claim = cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, volume.metadata.namespace, claimName(volume));
  return !!claim && isControlledBy(claim, volume.metadata.uid) && !claim.metadata.deletionTimestamp && claim.status?.phase !== 'Lost';
}

export function resolve(cache: Cache, vm: VirtualMachine): Resolved | { problem: Problem } {
  const ns = vm.metadata.namespace;
  const claims = new Map<string, string>();
  const volumes: string[] = [];
  for (const name of volumesOfVm(vm)) {
    const volume = cache.get<Volume>(Volumes, ns, name);
    if (!volume) volumes.push(`Volume ${name} does not exist`);
    else if (!isTrue(volume.status?.conditions, 'Ready') && ownClaimExists(cache, volume)) claims.set(name, claimName(volume));
    // A Volume not reported on yet is Pending, as its first report will say: one message, not two in a row.
    else if (!isTrue(volume.status?.conditions, 'Ready')) volumes.push(`Volume ${name} is ${volume.status?.phase ?? 'Pending'}${volume.status?.progress ? ` (${volume.status.progress})` : ''}`);
    else claims.set(name, volume.status?.claimName ?? name);
  }
  if (volumes.length) return { problem: waiting(Waiting.Volume, `waiting: ${volumes.join('; ')}`) };
  const imageName = vm.spec.rootDisk.diskImage;
  let image = imageName ? existingRootImage(cache, vm) : undefined;
  if (imageName && !image) {
    const found = cache.get<DiskImage>(DiskImages, ns, imageName);
    if (!found?.status?.dataSource || !isTrue(found.status.conditions, 'Ready')) {
      return { problem: waiting(Waiting.Source, `waiting for DiskImage ${imageName} to be Ready${found ? ` (it is ${found.status?.phase ?? 'new'})` : ', which does not exist'}`) };
    }
    const imageSize = String(found.status.size ?? found.spec.size);
    if (vm.spec.rootDisk.size !== undefined && parseQuantity(String(vm.spec.rootDisk.size)) < parseQuantity(imageSize)) {
      return { problem: stuck(Stuck.InvalidSource, `spec.rootDisk.size ${String(vm.spec.rootDisk.size)} is smaller than DiskImage ${imageName} (${imageSize})`) };
    }
    image = { dataSource: found.status.dataSource, size: String(vm.spec.rootDisk.size ?? imageSize) };
  }
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
  const heldBy = restoreHolding(cache, ns, vm.metadata.name!)?.metadata.name;
  return { claims, interfaces, ...(image ? { image } : {}), ...(heldBy ? { heldBy } : {}) };
}
