// The SnapshotSchedule controller: what it watches and how events become keys.
import { Restores, Snapshots, SnapshotSchedules, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { Restore, SnapshotSchedule } from '../../pkg/api/types.generated.js';
import { Controller } from '../../pkg/runtime/controller/controller.js';
import { enqueueMapped, enqueueObject } from '../../pkg/runtime/handler/handlers.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';
import { keyOf, type KubeObject } from '../../pkg/meta/object.js';
import { namespaceIndex } from '../../pkg/runtime/cache/cache.js';
import { specOrMetadataChanged } from '../../pkg/runtime/predicate/predicates.js';
import type { Clock } from '../shared/clock.js';
import { labelKeys } from '../shared/labels.js';
import { registerSnapshotIndexes } from '../shared/snapshot-users.js';
import { scheduleLabel } from './desired.js';
import { SnapshotScheduleReconciler } from './reconcile.js';

export function snapshotScheduleController(mgr: Manager, clock: Clock, workers = 2): Controller {
  registerSnapshotIndexes(mgr);
  const controller = new Controller({
    name: 'snapshotschedule',
    reconciler: new SnapshotScheduleReconciler(mgr.client, mgr.cache, mgr.eventRecorder('snapshotschedule-controller'), clock),
    workers,
    logger: mgr.log,
    metrics: mgr.metrics,
  });
  const schedules = mgr.cache.informer<SnapshotSchedule>(SnapshotSchedules);
  controller.watch(schedules, enqueueObject, specOrMetadataChanged);
  // Its Snapshots becoming ready or failing, or gone.
  const ofLabel = (ns: string | undefined, label: string | undefined) =>
    label ? schedules.indexer.byIndex(namespaceIndex, ns ?? '').filter((s) => scheduleLabel(s) === label).map(keyOf) : [];
  controller.watch(mgr.cache.informer(Snapshots), enqueueMapped((s: KubeObject) => ofLabel(s.metadata.namespace, s.metadata.labels?.[labelKeys.snapshotSchedule])));
  // Sources appearing or leaving change what it snapshots; a Restore ending frees a snapshot for retention.
  const all = (o: KubeObject) => schedules.indexer.byIndex(namespaceIndex, o.metadata.namespace ?? '').map(keyOf);
  controller.watch(mgr.cache.informer(VirtualMachines), enqueueMapped(all));
  controller.watch(mgr.cache.informer(Volumes), enqueueMapped(all));
  controller.watch(mgr.cache.informer<Restore>(Restores), enqueueMapped(all));
  return controller;
}
