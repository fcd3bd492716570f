// The DiskImage controller: what it watches and how events become keys.
import { DiskImages } from '../../pkg/api/resources.js';
import { PersistentVolumeClaims } from '../../pkg/kube/resources.js';
import { DataSources, DataVolumes, type DataVolume } from '../../pkg/contracts/cdi/index.js';
import { Controller } from '../../pkg/runtime/controller/controller.js';
import { enqueueMapped, enqueueObject, enqueueOwner } from '../../pkg/runtime/handler/handlers.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { specOrMetadataChanged } from '../../pkg/runtime/predicate/predicates.js';
import type { Clock } from '../shared/clock.js';
import { labelKeys } from '../shared/labels.js';
import { cloneSources, registerCloneIndex } from './clones.js';
import { DiskImageReconciler } from './reconcile.js';

export function diskImageController(mgr: Manager, clock: Clock, workers = 2): Controller {
  registerCloneIndex(mgr);
  const controller = new Controller({
    name: 'diskimage',
    reconciler: new DiskImageReconciler(mgr.client, mgr.cache, mgr.eventRecorder('diskimage-controller'), clock),
    workers,
    logger: mgr.log,
    metrics: mgr.metrics,
  });
  const owner = { group: 'stratus.dev', kind: 'DiskImage' };
  controller.watch(mgr.cache.informer(DiskImages), enqueueObject, specOrMetadataChanged);
  controller.watch(mgr.cache.informer(DataVolumes), enqueueOwner(owner));
  controller.watch(mgr.cache.informer(DataSources), enqueueOwner(owner));
  // A clone starting or ending changes what the image may delete; a revision's claim reports its size.
  const images = mgr.cache.informer(DiskImages);
  controller.watch(
    mgr.cache.informer<DataVolume>(DataVolumes),
    enqueueMapped((dv) =>
      cloneSources(dv).flatMap((key) => {
        const [ns, kind, name] = key.split('/');
        if (kind === 'DataSource') return images.get(`${ns}/${name}`) ? [`${ns}/${name}`] : [];
        const claimImage = mgr.cache.get(PersistentVolumeClaims, ns, name!)?.metadata.labels?.[labelKeys.diskImage];
        return claimImage ? [`${ns}/${claimImage}`] : [];
      }),
    ),
  );
  controller.watch(
    mgr.cache.informer(PersistentVolumeClaims),
    enqueueMapped((c: KubeObject) => (c.metadata.labels?.[labelKeys.diskImage] ? [`${c.metadata.namespace}/${c.metadata.labels[labelKeys.diskImage]}`] : [])),
  );
  return controller;
}
