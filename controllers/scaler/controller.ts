// The Scaler controller.
import { Scalers } from '../../pkg/api/resources.js';
import type { Scaler } from '../../pkg/api/types.generated.js';
import { Pods, Secrets } from '../../pkg/kube/resources.js';
import { RestMapper } from '../../pkg/runtime/client/rest-mapper.js';
import { Controller } from '../../pkg/runtime/controller/controller.js';
import { enqueueMapped, enqueueObject } from '../../pkg/runtime/handler/handlers.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';
import { keyOf } from '../../pkg/meta/object.js';
import { specOrMetadataChanged } from '../../pkg/runtime/predicate/predicates.js';
import type { SettingsSource } from '../shared/settings.js';
import { MetricsClient } from './metrics-client.js';
import { ScalerReconciler } from './reconcile.js';
import { ScalerWatches } from './watches.js';

export function scalerController(mgr: Manager, settings: SettingsSource, workers = 4): Controller {
  const mapper = new RestMapper(mgr.rest);
  const watches = new ScalerWatches(mgr.cache, mapper);
  const controller = new Controller({
    name: 'scaler',
    reconciler: new ScalerReconciler(mgr.client, mgr.cache, mapper, new MetricsClient(mgr.client, mgr.cache, mapper, settings), watches, mgr.eventRecorder('scaler-controller')),
    workers,
    logger: mgr.log,
    metrics: mgr.metrics,
  });
  watches.attach(controller);
  const scalers = mgr.cache.informer<Scaler>(Scalers);
  controller.watch(scalers, enqueueObject, specOrMetadataChanged);
  // The Prometheus servers allowed may have changed.
  controller.watch(settings.informer, enqueueMapped(() => scalers.list().filter((s) => s.spec.metrics?.some((m) => m.prometheus)).map(keyOf)));
  mgr.cache.informer(Pods);
  mgr.cache.informer(Secrets);
  return controller;
}
