// The App controller: what it watches and how events become keys.
import { Apps, IPAllocations, Networks, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { App } from '../../pkg/api/types.generated.js';
import type { CachedPod } from '../shared/cached-pod.js';
import { Deployments, Pods, Services } from '../../pkg/kube/resources.js';
import { HTTPRoutes, ListenerSets } from '../../pkg/contracts/gateway/index.js';
import { NetworkAttachmentDefinitions } from '../../pkg/contracts/multus/index.js';
import { Controller } from '../../pkg/runtime/controller/controller.js';
import { enqueueMapped, enqueueObject, enqueueOwner } from '../../pkg/runtime/handler/handlers.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';
import { keyOf, type KubeObject } from '../../pkg/meta/object.js';
import { specOrMetadataChanged } from '../../pkg/runtime/predicate/predicates.js';
import { deepEqual } from '../../pkg/util/equality.js';
import type { IpAllocator } from '../ipam/allocator.js';
import { leaseChanged } from '../ipam/pools.js';
import { registerReferenceIndexes } from '../shared/indexes.js';
import { networkIndex, volumeIndex } from '../shared/references.js';
import type { SettingsSource } from '../shared/settings.js';
import { appOfPod, dependencyIndex, dependencyKey, registerAppIndexes } from './indexes.js';
import { AppReconciler } from './reconcile.js';
import { podProblem } from './status.js';

/**
 * An App reconcile is a few API calls and little CPU, and Apps come in
 * bursts (a tenant's stack, a GitOps sync): many workers keep a burst of
 * 1,000 Apps as quick as the same Deployments applied directly, where 4 or
 * 16 fall behind (bench/apps.ts).
 */
export function appController(mgr: Manager, allocator: IpAllocator, settings: SettingsSource, workers = 32): Controller {
  registerReferenceIndexes(mgr);
  registerAppIndexes(mgr);
  const controller = new Controller({
    name: 'app',
    reconciler: new AppReconciler(mgr.client, mgr.cache, allocator, settings, mgr.eventRecorder('app-controller')),
    workers,
    logger: mgr.log,
    metrics: mgr.metrics,
  });
  const apps = mgr.cache.informer<App>(Apps);
  const owner = { group: 'stratus.dev', kind: 'App' };
  controller.watch(apps, enqueueObject, specOrMetadataChanged);
  // Where traffic went is the App's memory (status.traffic, status.rollout):
  // once the cache shows a move, the revisions it left lose their instances.
  controller.watch(apps, enqueueObject, (e) => e.type === 'update' && (!deepEqual(e.old.status?.traffic, e.obj.status?.traffic) || !deepEqual(e.old.status?.rollout, e.obj.status?.rollout)));
  controller.watch(mgr.cache.informer(Deployments), enqueueOwner(owner));
  controller.watch(mgr.cache.informer(Services), enqueueOwner(owner));
  // The Gateway's verdict on the routes arrives in their status.
  controller.watch(mgr.cache.informer(HTTPRoutes), enqueueOwner(owner));
  controller.watch(mgr.cache.informer(ListenerSets), enqueueOwner(owner));
  // Another Gateway offered (or one withdrawn) concerns every App with a route.
  controller.watch(settings.informer, enqueueMapped(() => apps.list().filter((a) => a.spec.route).map(keyOf)));
  controller.watch(mgr.cache.informer(NetworkAttachmentDefinitions), enqueueOwner(owner));
  controller.watch(mgr.cache.informer(IPAllocations), enqueueOwner(owner), (e) => e.type === 'delete');
  // Pods carry the App's name in a label. The counts come from the
  // Deployments' status; a pod matters only when it enters or leaves a state
  // that needs a human (a failing container, no node to run it: which tells
  // a stuck rollout from a slow one, at once), or when a container restarts
  // (a rollout halts on it).
  const byAppLabel = enqueueMapped((o: KubeObject) => appOfPod(o as CachedPod));
  const failing = (p: CachedPod) => !!podProblem([p]);
  const restarts = (p: CachedPod) => (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
  controller.watch(mgr.cache.informer<CachedPod>(Pods), byAppLabel, (e) => failing(e.obj) || (e.type === 'update' && (failing(e.old) || restarts(e.old) !== restarts(e.obj))));
  // An instance on a secondary Network that reports its address, or goes,
  // may let the App's address pool shrink.
  controller.watch(mgr.cache.informer<CachedPod>(Pods), byAppLabel, leaseChanged);
  // A dependency, Volume or Network that becomes ready, changes its address
  // or appears lets its Apps go on. Apps are dependencies of Apps, too.
  const users = (o: KubeObject, kind: string, index?: string) => [
    ...apps.indexer.byIndex(dependencyIndex, dependencyKey(kind, o.metadata.namespace, o.metadata.name!)).map(keyOf),
    ...(index ? apps.indexer.byIndex(index, keyOf(o)).map(keyOf) : []),
  ];
  controller.watch(mgr.cache.informer(VirtualMachines), enqueueMapped((o) => users(o, 'VirtualMachine')));
  controller.watch(mgr.cache.informer(Volumes), enqueueMapped((o) => users(o, 'Volume', volumeIndex)));
  controller.watch(apps, enqueueMapped((o) => users(o, 'App')));
  controller.watch(mgr.cache.informer(Networks), enqueueMapped((o) => apps.indexer.byIndex(networkIndex, keyOf(o)).map(keyOf)));
  return controller;
}
