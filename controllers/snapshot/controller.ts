// The Snapshot controller: what it watches and how events become keys.
import { Restores, Snapshots, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { Restore, Snapshot, Volume } from '../../pkg/api/types.generated.js';
import { PersistentVolumeClaims, StorageClasses } from '../../pkg/kube/resources.js';
import { VolumeSnapshotClasses, VolumeSnapshotContents, VolumeSnapshots, type VolumeSnapshot } from '../../pkg/contracts/csi-snapshot/index.js';
import {
  KubeVirtVirtualMachines,
  VirtualMachineSnapshotContents,
  VirtualMachineSnapshots,
  type VirtualMachineSnapshotContent,
} from '../../pkg/contracts/kubevirt/index.js';
import { Controller } from '../../pkg/runtime/controller/controller.js';
import { enqueueMapped, enqueueObject, enqueueOwner } from '../../pkg/runtime/handler/handlers.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';
import { keyOf, type KubeObject } from '../../pkg/meta/object.js';
import { specOrMetadataChanged } from '../../pkg/runtime/predicate/predicates.js';
import { registerSnapshotIndexes, snapshotOfRestore, snapshotOfVolume } from '../shared/snapshot-users.js';
import { SnapshotReconciler } from './reconcile.js';

const sourceIndex = 'stratus-snapshot-source';

export function snapshotController(mgr: Manager, workers = 2): Controller {
  registerSnapshotIndexes(mgr);
  const controller = new Controller({
    name: 'snapshot',
    reconciler: new SnapshotReconciler(mgr.client, mgr.cache, mgr.eventRecorder('snapshot-controller')),
    workers,
    logger: mgr.log,
    metrics: mgr.metrics,
  });
  const snapshots = mgr.cache.informer<Snapshot>(Snapshots);
  const owner = { group: 'stratus.dev', kind: 'Snapshot' };
  controller.watch(snapshots, enqueueObject, specOrMetadataChanged);
  controller.watch(mgr.cache.informer(VirtualMachineSnapshots), enqueueOwner(owner));
  // A VM's snapshot reports through its content and the content's VolumeSnapshots (named after the Snapshot's child).
  const contents = mgr.cache.informer<VirtualMachineSnapshotContent>(VirtualMachineSnapshotContents);
  const ofContent = (c: VirtualMachineSnapshotContent | undefined) => (c?.spec.virtualMachineSnapshotName ? [`${c.metadata.namespace}/${c.spec.virtualMachineSnapshotName}`] : []);
  controller.watch(contents, enqueueMapped((c: VirtualMachineSnapshotContent) => ofContent(c)));
  controller.watch(
    mgr.cache.informer<VolumeSnapshot>(VolumeSnapshots),
    enqueueMapped((vs) => {
      const content = vs.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'VirtualMachineSnapshotContent');
      return content ? ofContent(contents.get(`${vs.metadata.namespace}/${content.name}`)) : [];
    }),
  );
  controller.watch(mgr.cache.informer(VolumeSnapshots), enqueueOwner(owner));
  // Sources appearing or becoming ready let waiting snapshots go on.
  snapshots.addIndex(sourceIndex, (s) => [`${s.metadata.namespace}/${s.spec.source.virtualMachine ?? s.spec.source.volume}`]);
  const ofSource = enqueueMapped((o: KubeObject) => snapshots.indexer.byIndex(sourceIndex, keyOf(o)).map(keyOf));
  controller.watch(mgr.cache.informer(VirtualMachines), ofSource);
  controller.watch(mgr.cache.informer(Volumes), ofSource);
  // Restores and Volumes restoring from a Snapshot hold its deletion.
  controller.watch(mgr.cache.informer<Restore>(Restores), enqueueMapped(snapshotOfRestore));
  controller.watch(mgr.cache.informer<Volume>(Volumes), enqueueMapped(snapshotOfVolume));
  for (const type of [KubeVirtVirtualMachines, PersistentVolumeClaims, StorageClasses, VolumeSnapshotClasses, VolumeSnapshotContents]) mgr.cache.informer(type);
  return controller;
}
