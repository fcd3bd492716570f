// The Volume controller: what it watches and how events become keys.
import { Apps, DiskImages, Restores, Snapshots, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { App, Restore, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import type { PersistentVolumeClaim } from '../../pkg/kube/core-types.js';
import { PersistentVolumeClaims, StorageClasses } from '../../pkg/kube/resources.js';
import { DataVolumes } from '../../pkg/contracts/cdi/index.js';
import { VirtualMachineRestores } from '../../pkg/contracts/kubevirt/index.js';
import { keyOf, type KubeObject } from '../../pkg/meta/object.js';
import { Controller } from '../../pkg/runtime/controller/controller.js';
import { enqueueMapped, enqueueObject, enqueueOwner } from '../../pkg/runtime/handler/handlers.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';
import { specOrMetadataChanged } from '../../pkg/runtime/predicate/predicates.js';
import { labelKeys } from '../shared/labels.js';
import { diskImageIndex, inNamespace, volumesOfApp, volumesOfVm } from '../shared/references.js';
import { registerSnapshotIndexes, snapshotIndex } from '../shared/snapshot-users.js';
import { registerReferenceIndexes } from '../shared/indexes.js';
import { VolumeReconciler } from './reconcile.js';

/**
 * Like an App's, a Volume reconcile is a few API calls and little CPU, and
 * Volumes come in bursts with their VMs: with 2 workers a burst of 1,000
 * queued behind the finalizers, and its VMs behind the claims (bench/iaas.ts).
 */
export function volumeController(mgr: Manager, workers = 16): Controller {
  registerReferenceIndexes(mgr);
  const controller = new Controller({
    name: 'volume',
    reconciler: new VolumeReconciler(mgr.client, mgr.cache, mgr.eventRecorder('volume-controller')),
    workers,
    logger: mgr.log,
    metrics: mgr.metrics,
  });
  controller.watch(mgr.cache.informer<Volume>(Volumes), enqueueObject, specOrMetadataChanged);
  // The claim may be ours or CDI's (for a DataVolume): both carry our label.
  controller.watch(
    mgr.cache.informer<PersistentVolumeClaim>(PersistentVolumeClaims),
    enqueueMapped((c) => (c.metadata.labels?.[labelKeys.volume] ? [`${c.metadata.namespace}/${c.metadata.labels[labelKeys.volume]}`] : [])),
  );
  controller.watch(mgr.cache.informer(DataVolumes), enqueueOwner({ group: 'stratus.dev', kind: 'Volume' }));
  // Users: a VM or App that starts or stops naming a Volume changes its usedBy and its protection.
  // Users: their specs name the Volume; their status changes tell it nothing.
  controller.watch(mgr.cache.informer<VirtualMachine>(VirtualMachines), enqueueMapped((vm) => inNamespace(vm.metadata.namespace, volumesOfVm(vm))), specOrMetadataChanged);
  controller.watch(mgr.cache.informer<App>(Apps), enqueueMapped((app) => inNamespace(app.metadata.namespace, volumesOfApp(app))), specOrMetadataChanged);
  // A clone waits for its source Volume to be Ready.
  const volumes = mgr.cache.informer<Volume>(Volumes);
  controller.watch(volumes, enqueueMapped((source) => volumes.list().filter((v) => v.spec.source?.volume?.name === source.metadata.name && v.metadata.namespace === source.metadata.namespace).map((v) => `${v.metadata.namespace}/${v.metadata.name}`)));
  // A Volume restored from a Snapshot or cloned from a DiskImage waits for it to be ready.
  registerSnapshotIndexes(mgr);
  controller.watch(mgr.cache.informer(Snapshots), enqueueMapped((s: KubeObject) => volumes.indexer.byIndex(snapshotIndex, keyOf(s)).map(keyOf)));
  controller.watch(mgr.cache.informer(DiskImages), enqueueMapped((i: KubeObject) => volumes.indexer.byIndex(diskImageIndex, keyOf(i)).map(keyOf)));
  // A Restore in place of a VM holds its Volumes' claims, and hands back the restored ones.
  const vms = mgr.cache.informer<VirtualMachine>(VirtualMachines);
  controller.watch(
    mgr.cache.informer<Restore>(Restores),
    enqueueMapped((r) => {
      const vm = r.spec.target.virtualMachine ? vms.get(`${r.metadata.namespace}/${r.spec.target.virtualMachine}`) : undefined;
      return vm ? inNamespace(vm.metadata.namespace, volumesOfVm(vm)) : [];
    }),
  );
  mgr.cache.informer(VirtualMachineRestores);
  mgr.cache.informer(StorageClasses);
  return controller;
}
