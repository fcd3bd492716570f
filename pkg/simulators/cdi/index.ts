// The simulated CDI: DataVolumes (imports, clones, blank disks) and DataSources.
import type { PersistentVolumeClaim } from '../../kube/core-types.js';
import { PersistentVolumeClaims, PersistentVolumes } from '../../kube/resources.js';
import { DataSources, DataVolumes, populationAnnotations, type DataSource, type DataVolume } from '../../contracts/cdi/index.js';
import { VolumeSnapshots } from '../../contracts/csi-snapshot/index.js';
import { Client } from '../../runtime/client/client.js';
import { Controller } from '../../runtime/controller/controller.js';
import { EventRecorder } from '../../runtime/events/recorder.js';
import { enqueueMapped, enqueueOwner } from '../../runtime/handler/handlers.js';
import type { Manager } from '../../runtime/manager/manager.js';
import { keyOf, type KubeObject } from '../../meta/object.js';
import { StageClock } from '../clock.js';
import { DataSourceReconciler } from './data-source.js';
import { defaultCdiOptions, type CdiSimOptions } from './options.js';
import { DataVolumeReconciler } from './reconciler.js';

const cloneSourceIndex = 'clone-source';
const sourceRefIndex = 'source-ref';
const pointsAtIndex = 'points-at';

export { realisticCdi, type CdiSimOptions } from './options.js';

export function registerCdi(mgr: Manager, options: Partial<CdiSimOptions> = {}): void {
  const o: CdiSimOptions = { ...defaultCdiOptions, ...options };
  const log = mgr.log.child({ simulator: 'cdi' });
  const client = new Client(mgr.rest, 'cdi-controller');
  const dataVolumes = mgr.cache.informer<DataVolume>(DataVolumes);
  const dataSources = mgr.cache.informer<DataSource>(DataSources);
  const claims = mgr.cache.informer<PersistentVolumeClaim>(PersistentVolumeClaims);
  const snapshots = mgr.cache.informer(VolumeSnapshots);
  mgr.cache.informer(PersistentVolumes);
  const controller = new Controller({
    name: 'sim-cdi-datavolume',
    reconciler: new DataVolumeReconciler(client, mgr.cache, o, new StageClock(), new EventRecorder(client, 'cdi-controller', 'stratus-sim', log)),
    workers: 4,
    logger: log,
  });
  controller.watch(dataVolumes, undefined, (e) => e.type !== 'delete');
  controller.watch(claims, enqueueOwner({ group: 'cdi.kubevirt.io', kind: 'DataVolume' }));
  // A claim a restore made for a DataVolume, to be adopted.
  controller.watch(
    claims,
    enqueueMapped((c) => {
      const dv = c.metadata.annotations?.[populationAnnotations.populatedFor];
      return dv ? [`${c.metadata.namespace}/${dv}`] : [];
    }),
  );
  // A clone waits for its source claim, or for the DataSource its sourceRef names.
  dataVolumes.addIndex(cloneSourceIndex, (dv) => (dv.spec.source?.pvc ? [`${dv.spec.source.pvc.namespace}/${dv.spec.source.pvc.name}`] : []));
  dataVolumes.addIndex(sourceRefIndex, (dv) => (dv.spec.sourceRef ? [`${dv.spec.sourceRef.namespace || dv.metadata.namespace}/${dv.spec.sourceRef.name}`] : []));
  controller.watch(claims, enqueueMapped((claim) => dataVolumes.indexer.byIndex(cloneSourceIndex, keyOf(claim)).map(keyOf)));
  controller.watch(dataSources, enqueueMapped((ds) => dataVolumes.indexer.byIndex(sourceRefIndex, keyOf(ds)).map(keyOf)));
  mgr.add(controller);

  const sources = new Controller({ name: 'sim-cdi-datasource', reconciler: new DataSourceReconciler(client, mgr.cache), workers: 2, logger: log });
  dataSources.addIndex(pointsAtIndex, (ds) => {
    const at = ds.spec.source.pvc ?? ds.spec.source.snapshot;
    return at ? [`${at.namespace || ds.metadata.namespace}/${at.name}`] : [];
  });
  const pointedAt = enqueueMapped((obj: KubeObject) => dataSources.indexer.byIndex(pointsAtIndex, keyOf(obj)).map(keyOf));
  sources.watch(dataSources, undefined, (e) => e.type !== 'delete');
  sources.watch(dataVolumes, pointedAt);
  sources.watch(claims, pointedAt);
  sources.watch(snapshots, pointedAt);
  mgr.add(sources);
}
