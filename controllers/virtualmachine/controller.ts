// The VirtualMachine controller: what it watches and how events become keys.
import { DiskImages, IPAllocations, Networks, Restores, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { Restore, VirtualMachine } from '../../pkg/api/types.generated.js';
import type { CachedPod } from '../shared/cached-pod.js';
import { PersistentVolumeClaims, Pods, Secrets, Services } from '../../pkg/kube/resources.js';
import {
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  VirtualMachineInstanceMigrations,
  VirtualMachinePools,
  type VirtualMachineInstance,
  type VirtualMachineInstanceMigration,
} from '../../pkg/contracts/kubevirt/index.js';
import { NetworkAttachmentDefinitions } from '../../pkg/contracts/multus/index.js';
import { Controller } from '../../pkg/runtime/controller/controller.js';
import { enqueueMapped, enqueueObject, enqueueOwner } from '../../pkg/runtime/handler/handlers.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';
import { keyOf, type KubeObject } from '../../pkg/meta/object.js';
import { parseApiVersion } from '../../pkg/meta/resource.js';
import { specOrMetadataChanged, type Predicate } from '../../pkg/runtime/predicate/predicates.js';
import type { IpAllocator } from '../ipam/allocator.js';
import { leaseChanged } from '../ipam/pools.js';
import { registerReferenceIndexes } from '../shared/indexes.js';
import { labelKeys } from '../shared/labels.js';
import { diskImageIndex, networkIndex, volumeIndex } from '../shared/references.js';
import { registerRestoreIndexes, targetOfRestore } from '../shared/restores.js';
import { VirtualMachineReconciler } from './reconcile.js';

/** KubeVirt objects made from a VM template carry the Stratus VM's name in a label. */
const byVmLabel = enqueueMapped((o: KubeObject) => {
  const vm = o.metadata.labels?.[labelKeys.virtualMachine];
  return vm ? [`${o.metadata.namespace}/${vm}`] : [];
});

/** Many workers, for the reason the Volume controller has them (volume/controller.ts). */
export function virtualMachineController(mgr: Manager, allocator: IpAllocator, workers = 16): Controller {
  registerReferenceIndexes(mgr);
  const controller = new Controller({
    name: 'virtualmachine',
    reconciler: new VirtualMachineReconciler(mgr.client, mgr.cache, allocator, mgr.eventRecorder('virtualmachine-controller')),
    workers,
    logger: mgr.log,
    metrics: mgr.metrics,
  });
  const vms = mgr.cache.informer<VirtualMachine>(VirtualMachines);
  const owner = { group: 'stratus.dev', kind: 'VirtualMachine' };
  // And its own status recording a move: the move's migration can then be let go of (mover.ts).
  const specOrMoveRecorded: Predicate<VirtualMachine> = (e) => specOrMetadataChanged(e) || (e.type === 'update' && e.old.status?.migratedAt !== e.obj.status?.migratedAt);
  controller.watch(vms, enqueueObject, specOrMoveRecorded);
  controller.watch(mgr.cache.informer(KubeVirtVirtualMachines), byVmLabel);
  const vmis = mgr.cache.informer<VirtualMachineInstance>(KubeVirtVirtualMachineInstances);
  controller.watch(vmis, byVmLabel);
  // Migrations Stratus made carry the VM's label; KubeVirt's (a drain, a live update) name a VMI that does.
  const vmOfMigration = enqueueMapped((m: VirtualMachineInstanceMigration) => {
    const vm = m.metadata.labels?.[labelKeys.virtualMachine] ?? vmis.get(`${m.metadata.namespace}/${m.spec.vmiName}`)?.metadata.labels?.[labelKeys.virtualMachine];
    return vm ? [`${m.metadata.namespace}/${vm}`] : [];
  });
  controller.watch(mgr.cache.informer<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations), vmOfMigration);
  controller.watch(mgr.cache.informer(VirtualMachinePools), enqueueOwner(owner));
  controller.watch(mgr.cache.informer(Services), enqueueOwner(owner));
  controller.watch(mgr.cache.informer(Secrets), enqueueOwner(owner));
  controller.watch(mgr.cache.informer(IPAllocations), enqueueOwner(owner));
  // A group's address pools: its attachment definitions, and members' pods reporting or releasing
  // addresses (single VMs' launcher pods do not matter here: their address is an allocation).
  controller.watch(mgr.cache.informer(NetworkAttachmentDefinitions), enqueueOwner(owner));
  const groupOfPod = enqueueMapped((pod: KubeObject) => {
    const name = pod.metadata.labels?.[labelKeys.virtualMachine];
    const vm = name ? vms.get(`${pod.metadata.namespace}/${name}`) : undefined;
    return vm?.spec.replicas !== undefined ? [keyOf(vm)] : [];
  });
  controller.watch(mgr.cache.informer<CachedPod>(Pods), groupOfPod, leaseChanged);
  // A Volume or Network becoming ready (or appearing) lets its VMs go on.
  const users = (index: string) => enqueueMapped((o: KubeObject) => vms.indexer.byIndex(index, keyOf(o)).map(keyOf));
  controller.watch(mgr.cache.informer(Volumes), users(volumeIndex));
  // So does a Volume's claim appearing, before the Volume reports it (resolve.ts): the users of the Volume that controls it.
  const usersOfClaimsVolume = enqueueMapped((claim: KubeObject) => {
    const volume = claim.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Volume' && parseApiVersion(r.apiVersion).group === 'stratus.dev');
    return volume ? vms.indexer.byIndex(volumeIndex, `${claim.metadata.namespace}/${volume.name}`).map(keyOf) : [];
  });
  controller.watch(mgr.cache.informer(PersistentVolumeClaims), usersOfClaimsVolume);
  controller.watch(mgr.cache.informer(Networks), users(networkIndex));
  controller.watch(mgr.cache.informer(DiskImages), users(diskImageIndex));
  // A Restore in place holds its VM stopped while it stops and restores it.
  registerRestoreIndexes(mgr);
  controller.watch(mgr.cache.informer<Restore>(Restores), enqueueMapped(targetOfRestore));
  return controller;
}
