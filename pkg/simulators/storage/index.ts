// The simulated storage: two StorageClasses (the default binds at once,
// stratus-sim-wffc once a pod uses the claim) whose CSI driver provisions
// (blank, from a snapshot, as a clone), expands, snapshots and deletes
// volumes, with the CSI snapshot controller in front of its snapshots.
import type { PersistentVolumeClaim } from '../../kube/core-types.js';
import { PersistentVolumeClaims, PersistentVolumes, StorageClasses } from '../../kube/resources.js';
import { VolumeSnapshotClasses, VolumeSnapshotContents, VolumeSnapshots, type VolumeSnapshot, type VolumeSnapshotContent } from '../../contracts/csi-snapshot/index.js';
import { Client } from '../../runtime/client/client.js';
import { Controller } from '../../runtime/controller/controller.js';
import { EventRecorder } from '../../runtime/events/recorder.js';
import { enqueueMapped } from '../../runtime/handler/handlers.js';
import type { Manager } from '../../runtime/manager/manager.js';
import { keyOf } from '../../meta/object.js';
import { StageClock } from '../clock.js';
import { snapshotClass, storageClasses } from './desired.js';
import { SnapshotControllerReconciler } from './snapshot-controller.js';
import { SnapshotterReconciler } from './snapshotter.js';
import { defaultStorageOptions, type StorageSimOptions } from './options.js';
import { DeleterReconciler, ProvisionerReconciler } from './provisioner.js';
import { ResizerReconciler } from './resizer.js';

export { realisticStorage, type StorageSimOptions } from './options.js';

export function registerStorage(mgr: Manager, options: Partial<StorageSimOptions> = {}): void {
  const o: StorageSimOptions = { ...defaultStorageOptions, ...options };
  const log = mgr.log.child({ simulator: 'storage' });
  const client = new Client(mgr.rest, 'csi-provisioner');
  const events = new EventRecorder(client, o.driver, 'stratus-sim', log);
  const claims = mgr.cache.informer<PersistentVolumeClaim>(PersistentVolumeClaims);
  const volumes = mgr.cache.informer(PersistentVolumes);
  const classes = mgr.cache.informer(StorageClasses);

  mgr.addRunnable({
    name: 'storage-class',
    needLeaderElection: false,
    start: async () => {
      for (const cls of storageClasses(o)) await client.apply(StorageClasses, cls, { force: true });
      await client.apply(VolumeSnapshotClasses, snapshotClass(o), { force: true });
    },
  });

  const clock = new StageClock();
  const provisioner = new Controller({
    name: 'sim-csi-provisioner',
    reconciler: new ProvisionerReconciler(client, mgr.cache, o, clock, events),
    workers: 2,
    logger: log,
  });
  provisioner.watch(claims, undefined, (e) => e.type !== 'delete');
  // A class that appears late lets waiting claims go ahead.
  provisioner.watch(classes, enqueueMapped(() => claims.list().filter((c) => !c.spec.volumeName).map(keyOf)));
  mgr.add(provisioner);

  const deleter = new Controller({ name: 'sim-csi-deleter', reconciler: new DeleterReconciler(client, mgr.cache, o), logger: log });
  deleter.watch(volumes, undefined, (e) => e.type !== 'delete');
  mgr.add(deleter);

  const resizer = new Controller({
    name: 'sim-csi-resizer',
    reconciler: new ResizerReconciler(new Client(mgr.rest, 'csi-resizer'), mgr.cache, o, clock, events),
    workers: 2,
    logger: log,
  });
  resizer.watch(claims, undefined, (e) => e.type !== 'delete');
  mgr.add(resizer);

  const snapshots = mgr.cache.informer<VolumeSnapshot>(VolumeSnapshots);
  const contents = mgr.cache.informer<VolumeSnapshotContent>(VolumeSnapshotContents);
  mgr.cache.informer(VolumeSnapshotClasses);
  // A claim restored from a snapshot waits for it to be ready.
  provisioner.watch(snapshots, enqueueMapped((vs) => claims.list().filter((c) => !c.spec.volumeName && c.metadata.namespace === vs.metadata.namespace && c.spec.dataSourceRef?.name === vs.metadata.name).map(keyOf)));
  const snapshotController = new Controller({
    name: 'sim-snapshot-controller',
    reconciler: new SnapshotControllerReconciler(new Client(mgr.rest, 'snapshot-controller'), mgr.cache, new EventRecorder(client, 'snapshot-controller', 'stratus-sim', log)),
    workers: 2,
    logger: log,
  });
  snapshotController.watch(snapshots, undefined, (e) => e.type !== 'delete');
  snapshotController.watch(contents, enqueueMapped((c) => (c.spec.volumeSnapshotRef.name ? [`${c.spec.volumeSnapshotRef.namespace}/${c.spec.volumeSnapshotRef.name}`] : [])));
  mgr.add(snapshotController);

  const snapshotter = new Controller({
    name: 'sim-csi-snapshotter',
    reconciler: new SnapshotterReconciler(new Client(mgr.rest, 'csi-snapshotter'), mgr.cache, o, clock, new EventRecorder(client, 'csi-snapshotter', 'stratus-sim', log)),
    workers: 2,
    logger: log,
  });
  snapshotter.watch(contents, undefined, (e) => e.type !== 'delete');
  mgr.add(snapshotter);
}
