// A Volume during a Restore in place of a VM it belongs to: KubeVirt deletes
// its claim and makes it again from the Snapshot under the same name, so the
// Volume does not make one of its own meanwhile, and takes the restored claim
// as its own again afterwards (a Volume whose data came through CDI gets it
// back through its DataVolume, which CDI lets adopt it).
import { Restores, VirtualMachines } from '../../pkg/api/resources.js';
import type { Restore, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import type { PersistentVolumeClaim } from '../../pkg/kube/core-types.js';
import { restoreAnnotations, VirtualMachineRestores, type VirtualMachineRestore } from '../../pkg/contracts/kubevirt/index.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import { isControlledBy } from '../../pkg/meta/object.js';
import { labelKeys } from '../shared/labels.js';
import { volumeIndex } from '../shared/references.js';
import { restoreHolding } from '../shared/restores.js';

/** The Restore in place under way on a VM that uses this Volume. */
export function restoringVolume(cache: Cache, volume: Volume): Restore | undefined {
  const key = `${volume.metadata.namespace}/${volume.metadata.name}`;
  for (const vm of cache.byIndex<VirtualMachine>(VirtualMachines, volumeIndex, key)) {
    const restore = restoreHolding(cache, volume.metadata.namespace, vm.metadata.name!);
    if (restore?.status?.phase === 'Restoring') return restore;
  }
  return undefined;
}

/** Whether a claim nobody owns is this Volume's, put back by a Restore (its KubeVirt VirtualMachineRestore). */
export function restoredClaimOf(cache: Cache, volume: Volume, claim: PersistentVolumeClaim): boolean {
  if (claim.metadata.ownerReferences?.some((r) => r.controller)) return false;
  if (claim.metadata.labels?.[labelKeys.volume] !== volume.metadata.name) return false;
  const by = claim.metadata.annotations?.[restoreAnnotations.name];
  const kubevirtRestore = by ? cache.get<VirtualMachineRestore>(VirtualMachineRestores, volume.metadata.namespace, by) : undefined;
  const restore = by ? cache.get<Restore>(Restores, volume.metadata.namespace, by) : undefined;
  return !!kubevirtRestore && !!restore && isControlledBy(kubevirtRestore, restore.metadata.uid);
}
