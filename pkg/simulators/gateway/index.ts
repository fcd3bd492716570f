// The simulated Gateway API implementation: installs its GatewayClass and
// the default Gateway, and runs the controllers a real one runs for its
// class (GatewayClass, Gateway, ListenerSet, HTTPRoute status).
import type { Gateway, HTTPRoute, ListenerSet } from '../../contracts/gateway/index.js';
import { GatewayClasses, Gateways, HTTPRoutes, ListenerSets } from '../../contracts/gateway/index.js';
import { Namespaces, Secrets, Services } from '../../kube/resources.js';
import { keyOf, type KubeObject } from '../../meta/object.js';
import { Client } from '../../runtime/client/client.js';
import { Controller } from '../../runtime/controller/controller.js';
import { enqueueMapped, enqueueObject } from '../../runtime/handler/handlers.js';
import type { Manager } from '../../runtime/manager/manager.js';
import { generationChanged, labelsChanged, or } from '../../runtime/predicate/predicates.js';
import { StageClock } from '../clock.js';
import { GatewayClassReconciler } from './class-reconciler.js';
import { defaultGateway, gatewayClass, gatewayNamespace } from './desired.js';
import { GatewayReconciler } from './gateway-reconciler.js';
import { ListenerSetReconciler } from './listenerset-reconciler.js';
import { defaultGatewayOptions, type GatewaySimOptions } from './options.js';
import { backendIndex, certificateIndex, certificates, listenerSetParent, parentIndex, parentKey, Parents, routeBackends, routeParents } from './parents.js';
import { RouteReconciler } from './route-reconciler.js';

export { realisticGateway, type GatewaySimOptions } from './options.js';

export function registerGateway(mgr: Manager, options: Partial<GatewaySimOptions> = {}): void {
  const o: GatewaySimOptions = { ...defaultGatewayOptions, ...options };
  const log = mgr.log.child({ simulator: 'gateway' });
  const client = new Client(mgr.rest, 'sim-gateway-controller');
  const clock = new StageClock();
  const parents = new Parents(mgr.cache, o);
  const routes = mgr.cache.informer<HTTPRoute>(HTTPRoutes);
  const gateways = mgr.cache.informer<Gateway>(Gateways);
  const listenerSets = mgr.cache.informer<ListenerSet>(ListenerSets);
  const classes = mgr.cache.informer(GatewayClasses);
  const namespaces = mgr.cache.informer(Namespaces);
  routes.addIndex(parentIndex, routeParents);
  routes.addIndex(backendIndex, routeBackends);
  listenerSets.addIndex(parentIndex, (ls) => [parentKey('Gateway', listenerSetParent(ls).namespace, listenerSetParent(ls).name)]);
  listenerSets.addIndex(certificateIndex, certificates);
  gateways.addIndex(certificateIndex, certificates);

  mgr.addRunnable({
    name: 'gateway-install',
    needLeaderElection: false,
    start: async () => {
      await client.apply(GatewayClasses, gatewayClass(o), { force: true });
      await client.apply(Namespaces, gatewayNamespace(o), { force: true });
      await client.apply(Gateways, defaultGateway(o), { force: true });
    },
  });

  // Specs (not the status this implementation writes) change what routes attach to.
  const specChanged = or(generationChanged, labelsChanged);
  const existence = (e: { type: string }) => e.type !== 'update';
  const routesOf = (kind: string) => (obj: KubeObject) => routes.indexer.byIndex(parentIndex, parentKey(kind, obj.metadata.namespace, obj.metadata.name!)).map(keyOf);
  const routesAll = () => routes.list().map(keyOf);

  const classController = new Controller({ name: 'sim-gatewayclass', reconciler: new GatewayClassReconciler(client, mgr.cache, o, clock), logger: log });
  classController.watch(classes, enqueueObject, specChanged);
  mgr.add(classController);

  const gatewayController = new Controller({ name: 'sim-gateway', reconciler: new GatewayReconciler(client, mgr.cache, parents, o, clock), logger: log });
  gatewayController.watch(gateways, enqueueObject, specChanged);
  gatewayController.watch(classes, enqueueMapped(() => gateways.list().map(keyOf)), specChanged);
  // Routes attaching or leaving (their status flips) change the listeners' counts.
  gatewayController.watch(routes, enqueueMapped((r: HTTPRoute) => routeParents(r).filter((k) => k.startsWith('Gateway/')).map((k) => k.slice('Gateway/'.length))));
  gatewayController.watch(listenerSets, enqueueMapped((ls: ListenerSet) => [`${listenerSetParent(ls).namespace}/${listenerSetParent(ls).name}`]), or(existence, generationChanged));
  gatewayController.watch(mgr.cache.informer(Secrets), enqueueMapped((s) => gateways.indexer.byIndex(certificateIndex, keyOf(s)).map(keyOf)));
  mgr.add(gatewayController);

  const listenerSetController = new Controller({ name: 'sim-listenerset', reconciler: new ListenerSetReconciler(client, mgr.cache, parents, o, clock), logger: log });
  listenerSetController.watch(listenerSets, enqueueObject, specChanged);
  listenerSetController.watch(gateways, enqueueMapped((gw) => listenerSets.indexer.byIndex(parentIndex, parentKey('Gateway', gw.metadata.namespace, gw.metadata.name!)).map(keyOf)), specChanged);
  // Another ListenerSet coming or going may resolve or cause a conflict.
  listenerSetController.watch(
    listenerSets,
    enqueueMapped((ls: ListenerSet) => listenerSets.indexer.byIndex(parentIndex, parentKey('Gateway', listenerSetParent(ls).namespace, listenerSetParent(ls).name)).map(keyOf)),
    or(existence, generationChanged),
  );
  listenerSetController.watch(routes, enqueueMapped((r: HTTPRoute) => routeParents(r).filter((k) => k.startsWith('ListenerSet/')).map((k) => k.slice('ListenerSet/'.length))));
  listenerSetController.watch(mgr.cache.informer(Secrets), enqueueMapped((s) => listenerSets.indexer.byIndex(certificateIndex, keyOf(s)).map(keyOf)));
  listenerSetController.watch(namespaces, enqueueMapped(() => listenerSets.list().map(keyOf)), labelsChanged);
  mgr.add(listenerSetController);

  const routeController = new Controller({ name: 'sim-httproute', reconciler: new RouteReconciler(client, mgr.cache, parents, o, clock), workers: 4, logger: log });
  routeController.watch(routes, enqueueObject, or(specChanged, (e) => e.type === 'update' && JSON.stringify(e.old.metadata.annotations) !== JSON.stringify(e.obj.metadata.annotations)));
  routeController.watch(gateways, enqueueMapped(routesOf('Gateway')), specChanged);
  routeController.watch(listenerSets, enqueueMapped(routesOf('ListenerSet')), specChanged);
  // A ListenerSet's acceptance depends on its Gateway's allowedListeners.
  routeController.watch(gateways, enqueueMapped((gw) => listenerSets.indexer.byIndex(parentIndex, parentKey('Gateway', gw.metadata.namespace, gw.metadata.name!)).flatMap(routesOf('ListenerSet'))), specChanged);
  routeController.watch(classes, enqueueMapped(routesAll), specChanged);
  routeController.watch(mgr.cache.informer(Services), enqueueMapped((svc) => routes.indexer.byIndex(backendIndex, keyOf(svc)).map(keyOf)), existence);
  routeController.watch(namespaces, enqueueMapped(routesAll), labelsChanged);
  mgr.add(routeController);
}
