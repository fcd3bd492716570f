// The simulated CDI.
import type { PersistentVolumeClaim } from '../../kube/core-types.js';
import { PersistentVolumeClaims } from '../../kube/resources.js';
import { DataVolumes, type DataVolume } from '../../contracts/cdi/index.js';
import { Client } from '../../runtime/client/client.js';
import { Controller } from '../../runtime/controller/controller.js';
import { EventRecorder } from '../../runtime/events/recorder.js';
import { enqueueMapped, enqueueOwner } from '../../runtime/handler/handlers.js';
import type { Manager } from '../../runtime/manager/manager.js';
import { keyOf } from '../../meta/object.js';
import { StageClock } from '../clock.js';
import { defaultCdiOptions, type CdiSimOptions } from './options.js';
import { DataVolumeReconciler } from './reconciler.js';

const cloneSourceIndex = 'clone-source';

export { realisticCdi, type CdiSimOptions } from './options.js';

export function registerCdi(mgr: Manager, options: Partial<CdiSimOptions> = {}): void {
  const o: CdiSimOptions = { ...defaultCdiOptions, ...options };
  const log = mgr.log.child({ simulator: 'cdi' });
  const client = new Client(mgr.rest, 'cdi-controller');
  const dataVolumes = mgr.cache.informer<DataVolume>(DataVolumes);
  const claims = mgr.cache.informer<PersistentVolumeClaim>(PersistentVolumeClaims);
  const controller = new Controller({
    name: 'sim-cdi-datavolume',
    reconciler: new DataVolumeReconciler(client, mgr.cache, o, new StageClock(), new EventRecorder(client, 'cdi-controller', 'stratus-sim', log)),
    workers: 4,
    logger: log,
  });
  controller.watch(dataVolumes, undefined, (e) => e.type !== 'delete');
  controller.watch(claims, enqueueOwner({ group: 'cdi.kubevirt.io', kind: 'DataVolume' }));
  // A clone waits for its source claim.
  dataVolumes.addIndex(cloneSourceIndex, (dv) => (dv.spec.source?.pvc ? [`${dv.spec.source.pvc.namespace}/${dv.spec.source.pvc.name}`] : []));
  controller.watch(claims, enqueueMapped((claim) => dataVolumes.indexer.byIndex(cloneSourceIndex, keyOf(claim)).map(keyOf)));
  mgr.add(controller);
}
