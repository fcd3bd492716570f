// The implementation's ListenerSet controller: a ListenerSet on a Gateway of
// its class is accepted when the Gateway allows it (allowedListeners); each
// listener entry reports its certificates, conflicts and attached routes.
// A listener whose port and hostname the Gateway or an older ListenerSet
// already serves conflicts (GEP-1713's precedence: the Gateway, then
// ListenerSets by creation time, then by namespace/name).
import type { HTTPRoute, ListenerSet } from '../../contracts/gateway/index.js';
import { GatewayCondition, GatewayReason, HTTPRoutes, ListenerSets } from '../../contracts/gateway/index.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import { isConflict, isNotFound } from '../../runtime/client/api-error.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import { deepEqual } from '../../util/equality.js';
import type { StageClock } from '../clock.js';
import type { Listener } from './attachment.js';
import { conditionsFor } from './conditions.js';
import { attachedRoutes, listenerStatuses, programmed } from './listeners.js';
import type { GatewaySimOptions } from './options.js';
import { listenerSetParent, parentIndex, parentKey, type Parents } from './parents.js';

const precedence = (a: ListenerSet, b: ListenerSet): number =>
  (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`);

export class ListenerSetReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly parents: Parents,
    private readonly o: GatewaySimOptions,
    private readonly clock: StageClock,
  ) {}

  /** The listeners of `ls` whose port and hostname the Gateway or a ListenerSet before it already serves. */
  private conflicts(ls: ListenerSet, gatewayListeners: Listener[]): Set<string> {
    const p = listenerSetParent(ls);
    const earlier = this.cache
      .byIndex<ListenerSet>(ListenerSets, parentIndex, parentKey('Gateway', p.namespace, p.name))
      .filter((other) => other.metadata.uid !== ls.metadata.uid && precedence(other, ls) < 0);
    const taken = new Set([...gatewayListeners, ...earlier.flatMap((o) => o.spec.listeners)].map((l) => `${l.port}|${l.hostname ?? ''}`));
    return new Set(ls.spec.listeners.filter((l) => taken.has(`${l.port}|${l.hostname ?? ''}`)).map((l) => l.name));
  }

  async reconcile(req: Request): Promise<Result | void> {
    const found = this.parents.listenerSet(req.namespace!, req.name);
    if (!found || found.ls.metadata.deletionTimestamp) return;
    const { ls, gateway } = found;
    const wait = this.clock.remaining(`${ls.metadata.uid}:${ls.metadata.generation}`, this.o.programDelayMs);
    if (wait > 0) return { requeueAfterMs: wait };
    const now = this.clock.current();
    const refused = this.parents.listenerSetRefused(ls, gateway);
    let status: NonNullable<ListenerSet['status']>;
    if (refused) {
      status = {
        conditions: conditionsFor(
          ls.status?.conditions,
          [
            { type: GatewayCondition.Accepted, status: false, reason: GatewayReason.NotAllowed, message: refused },
            { type: GatewayCondition.Programmed, status: false, reason: GatewayReason.Invalid, message: 'not attached to its Gateway' },
          ],
          ls.metadata.generation,
          now,
        ),
        listeners: [],
      };
    } else {
      const routes = this.cache.byIndex<HTTPRoute>(HTTPRoutes, parentIndex, parentKey('ListenerSet', req.namespace, req.name));
      const listeners = ls.spec.listeners as Listener[];
      const counts = attachedRoutes(routes, { group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: req.name, namespace: req.namespace }, { namespace: req.namespace!, listeners }, this.parents, this.o.controllerName);
      const entries = listenerStatuses(ls, ls.status?.listeners, counts, this.conflicts(ls, gateway.spec.listeners as Listener[]), this.cache, now);
      const valid = entries.filter(programmed).length;
      status = {
        conditions: conditionsFor(
          ls.status?.conditions,
          [
            valid
              ? { type: GatewayCondition.Accepted, status: true, reason: GatewayReason.Accepted, message: `attached to Gateway ${gateway.metadata.namespace}/${gateway.metadata.name}` }
              : { type: GatewayCondition.Accepted, status: false, reason: GatewayReason.ListenersNotValid, message: 'no listener is valid: see the conditions of its listeners' },
            valid === entries.length
              ? { type: GatewayCondition.Programmed, status: true, reason: GatewayReason.Programmed, message: 'Programmed' }
              : { type: GatewayCondition.Programmed, status: false, reason: GatewayReason.Invalid, message: `${entries.length - valid} of ${entries.length} listeners are not programmed` },
          ],
          ls.metadata.generation,
          now,
        ),
        listeners: entries,
      };
    }
    if (deepEqual(ls.status, status)) return;
    try {
      await this.client.patch(ListenerSets, req.namespace, req.name, { merge: { metadata: { resourceVersion: ls.metadata.resourceVersion }, status } }, { subresource: 'status' });
    } catch (err) {
      if (isConflict(err)) return { requeue: true };
      if (!isNotFound(err)) throw err;
    }
  }
}
