// The implementation's Gateway controller: a Gateway of its class is
// accepted and programmed at an address; each listener reports the routes
// attached to it, and the Gateway the ListenerSets it took.
import type { Gateway, HTTPRoute, ListenerSet } from '../../contracts/gateway/index.js';
import { GatewayCondition, Gateways, GatewayReason, HTTPRoutes, ListenerSets } from '../../contracts/gateway/index.js';
import { createHash } from 'node:crypto';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import { isConflict, isNotFound } from '../../runtime/client/api-error.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import { deepEqual } from '../../util/equality.js';
import type { StageClock } from '../clock.js';
import type { Listener } from './attachment.js';
import { conditionsFor } from './conditions.js';
import { attachedRoutes, listenerStatuses } from './listeners.js';
import type { GatewaySimOptions } from './options.js';
import { parentIndex, parentKey, type Parents } from './parents.js';

/** A stable address per Gateway, from the service range the data plane would take it from. */
function gatewayAddress(namespace: string, name: string): string {
  const n = createHash('sha256').update(`${namespace}/${name}`).digest().readUInt16BE(0);
  return `10.96.${200 + (n >> 8) % 50}.${1 + (n & 0xff) % 254}`;
}

export class GatewayReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly parents: Parents,
    private readonly o: GatewaySimOptions,
    private readonly clock: StageClock,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const gw = this.parents.gateway(req.namespace!, req.name);
    if (!gw || gw.metadata.deletionTimestamp) return;
    const wait = this.clock.remaining(`${gw.metadata.uid}:${gw.metadata.generation}`, this.o.programDelayMs);
    if (wait > 0) return { requeueAfterMs: wait };
    const now = this.clock.current();
    const key = parentKey('Gateway', req.namespace, req.name);
    const routes = this.cache.byIndex<HTTPRoute>(HTTPRoutes, parentIndex, key);
    const counts = attachedRoutes(routes, { name: req.name, namespace: req.namespace, kind: 'Gateway' }, { namespace: req.namespace!, listeners: gw.spec.listeners as Listener[] }, this.parents, this.o.controllerName);
    const listenerSets = this.cache.byIndex<ListenerSet>(ListenerSets, parentIndex, key).filter((ls) => !this.parents.listenerSetRefused(ls, gw));
    const status = {
      addresses: [{ type: 'IPAddress', value: gatewayAddress(req.namespace!, req.name) }],
      conditions: conditionsFor(
        gw.status?.conditions,
        [
          { type: GatewayCondition.Accepted, status: true, reason: GatewayReason.Accepted, message: `Accepted by ${this.o.controllerName}` },
          { type: GatewayCondition.Programmed, status: true, reason: GatewayReason.Programmed, message: 'Programmed' },
        ],
        gw.metadata.generation,
        now,
      ),
      listeners: listenerStatuses(gw, gw.status?.listeners, counts, new Set(), this.cache, now),
      attachedListenerSets: listenerSets.length,
    } satisfies Gateway['status'];
    if (deepEqual(gw.status, status)) return;
    try {
      await this.client.patch(Gateways, req.namespace, req.name, { merge: { metadata: { resourceVersion: gw.metadata.resourceVersion }, status } }, { subresource: 'status' });
    } catch (err) {
      if (isConflict(err)) return { requeue: true };
      if (!isNotFound(err)) throw err;
    }
  }
}
