// The implementation's route controller: for each parent of an HTTPRoute
// that it serves, whether the route is accepted (attaches to a listener)
// and its backends resolve, in status.parents under its controllerName.
// Other implementations' entries are left as they are.
import type { HTTPRoute, RouteParentStatus } from '../../contracts/gateway/index.js';
import { HTTPRoutes, RouteCondition, RouteReason } from '../../contracts/gateway/index.js';
import { Services } from '../../kube/resources.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import { isConflict, isNotFound } from '../../runtime/client/api-error.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import { deepEqual } from '../../util/equality.js';
import type { StageClock } from '../clock.js';
import { attach, resolveBackends } from './attachment.js';
import { conditionsFor } from './conditions.js';
import { injectFailureAnnotation, type GatewaySimOptions } from './options.js';
import type { Parents } from './parents.js';

export class RouteReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly parents: Parents,
    private readonly o: GatewaySimOptions,
    private readonly clock: StageClock,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const route = this.cache.get<HTTPRoute>(HTTPRoutes, req.namespace, req.name);
    if (!route || route.metadata.deletionTimestamp) return;
    if (route.metadata.annotations?.[injectFailureAnnotation] === 'Pending') return;
    const wait = this.clock.remaining(`${route.metadata.uid}:${route.metadata.generation}`, this.o.programDelayMs);
    if (wait > 0) return { requeueAfterMs: wait };

    const now = this.clock.current();
    const before = route.status?.parents ?? [];
    const ours: RouteParentStatus[] = [];
    for (const ref of route.spec.parentRefs ?? []) {
      const parent = this.parents.resolve(ref, route.metadata.namespace!);
      if (!parent) continue;
      const attached = attach(route, ref, parent, this.parents.namespaceLabels);
      const resolved = resolveBackends(route, (ns, name) => !!this.cache.get(Services, ns, name));
      const existing = before.find((p) => p.controllerName === this.o.controllerName && deepEqual(p.parentRef, ref));
      ours.push({
        parentRef: ref,
        controllerName: this.o.controllerName,
        conditions: conditionsFor(
          existing?.conditions,
          [
            attached.accepted
              ? { type: RouteCondition.Accepted, status: true, reason: RouteReason.Accepted, message: `Accepted by ${attached.listeners.map((l) => `listener ${l.name}`).join(', ')}` }
              : { type: RouteCondition.Accepted, status: false, reason: attached.reason, message: attached.message },
            resolved.resolved
              ? { type: RouteCondition.ResolvedRefs, status: true, reason: RouteReason.ResolvedRefs, message: 'All references resolved' }
              : { type: RouteCondition.ResolvedRefs, status: false, reason: resolved.reason, message: resolved.message },
          ],
          route.metadata.generation,
          now,
        ),
      });
    }
    const parents = [...before.filter((p) => p.controllerName !== this.o.controllerName), ...ours];
    if (deepEqual(before, parents)) return;
    try {
      // The resourceVersion makes the write conditional: another implementation's entries are never lost.
      await this.client.patch(HTTPRoutes, req.namespace, req.name, { merge: { metadata: { resourceVersion: route.metadata.resourceVersion }, status: { parents } } }, { subresource: 'status' });
    } catch (err) {
      if (isConflict(err)) return { requeue: true };
      if (!isNotFound(err)) throw err;
    }
  }
}
