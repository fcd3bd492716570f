// The simulated storage: a default StorageClass whose CSI driver provisions,
// expands and deletes volumes.
import type { PersistentVolumeClaim } from '../../kube/core-types.js';
import { PersistentVolumeClaims, PersistentVolumes, StorageClasses } from '../../kube/resources.js';
import { Client } from '../../runtime/client/client.js';
import { Controller } from '../../runtime/controller/controller.js';
import { EventRecorder } from '../../runtime/events/recorder.js';
import { enqueueMapped } from '../../runtime/handler/handlers.js';
import type { Manager } from '../../runtime/manager/manager.js';
import { keyOf } from '../../meta/object.js';
import { StageClock } from '../clock.js';
import { storageClass } from './desired.js';
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
      await client.apply(StorageClasses, storageClass(o), { force: true });
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
}
