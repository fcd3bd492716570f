// The Restore controller: what it watches and how events become keys.
import { Restores, Snapshots, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { Restore } from '../../pkg/api/types.generated.js';
import { KubeVirtVirtualMachineInstances, VirtualMachineRestores, VirtualMachineSnapshots } from '../../pkg/contracts/kubevirt/index.js';
import { Controller } from '../../pkg/runtime/controller/controller.js';
import { enqueueMapped, enqueueObject, enqueueOwner } from '../../pkg/runtime/handler/handlers.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';
import { keyOf, type KubeObject } from '../../pkg/meta/object.js';
import { specOrMetadataChanged } from '../../pkg/runtime/predicate/predicates.js';
import { labelKeys } from '../shared/labels.js';
import { registerRestoreIndexes, restoreTargetIndex } from '../shared/restores.js';
import { registerSnapshotIndexes, snapshotIndex } from '../shared/snapshot-users.js';
import { RestoreReconciler } from './reconcile.js';

export function restoreController(mgr: Manager, workers = 2): Controller {
  registerSnapshotIndexes(mgr);
  registerRestoreIndexes(mgr);
  const controller = new Controller({
    name: 'restore',
    reconciler: new RestoreReconciler(mgr.client, mgr.cache, mgr.eventRecorder('restore-controller')),
    workers,
    logger: mgr.log,
    metrics: mgr.metrics,
  });
  const restores = mgr.cache.informer<Restore>(Restores);
  controller.watch(restores, enqueueObject, specOrMetadataChanged);
  controller.watch(mgr.cache.informer(VirtualMachineRestores), enqueueOwner({ group: 'stratus.dev', kind: 'Restore' }));
  controller.watch(mgr.cache.informer(Snapshots), enqueueMapped((s: KubeObject) => restores.indexer.byIndex(snapshotIndex, keyOf(s)).map(keyOf)));
  // The target VM, and its instance going away once stopped.
  const ofTarget = (vm: string | undefined, ns: string | undefined) => (vm ? restores.indexer.byIndex(restoreTargetIndex, `${ns}/${vm}`).map(keyOf) : []);
  controller.watch(mgr.cache.informer(VirtualMachines), enqueueMapped((vm: KubeObject) => ofTarget(vm.metadata.name, vm.metadata.namespace)));
  controller.watch(mgr.cache.informer(KubeVirtVirtualMachineInstances), enqueueMapped((vmi: KubeObject) => ofTarget(vmi.metadata.labels?.[labelKeys.virtualMachine], vmi.metadata.namespace)));
  // The Volumes a restore into a new VM made.
  controller.watch(
    mgr.cache.informer(Volumes),
    enqueueMapped((v: KubeObject) => (v.metadata.labels?.[labelKeys.restore] ? [`${v.metadata.namespace}/${v.metadata.labels[labelKeys.restore]}`] : [])),
  );
  mgr.cache.informer(VirtualMachineSnapshots);
  return controller;
}
