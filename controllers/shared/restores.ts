// Restores in place as the VM and Volume controllers see them: while one is
// stopping or restoring a VM, the VM is held stopped and its Volumes do not
// make their claims again (KubeVirt is putting them back).
import { Restores } from '../../pkg/api/resources.js';
import type { Restore } from '../../pkg/api/types.generated.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';

export const restoreTargetIndex = 'stratus-restore-target';

export function targetOfRestore(r: Restore): string[] {
  return r.spec.target.virtualMachine ? [`${r.metadata.namespace}/${r.spec.target.virtualMachine}`] : [];
}

/** Registers the index (idempotent). */
export function registerRestoreIndexes(mgr: Manager): void {
  mgr.cache.informer<Restore>(Restores).addIndex(restoreTargetIndex, targetOfRestore);
}

/** The Restore in place that holds the VM stopped now (it is stopping it, or restoring its disks), if any. */
export function restoreHolding(cache: Cache, namespace: string | undefined, vm: string): Restore | undefined {
  return cache.byIndex<Restore>(Restores, restoreTargetIndex, `${namespace}/${vm}`).find((r) => !r.metadata.deletionTimestamp && (r.status?.phase === 'Stopping' || r.status?.phase === 'Restoring'));
}
