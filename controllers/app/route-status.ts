// Whether an App's routes serve: each HTTPRoute accepted by its parent and
// its references resolved (status.parents, for the route's generation), and
// with TLS the App's listeners programmed. A refusal is the Gateway's to
// explain: its reason and message become the App's. Pure.
import type { HTTPRoute, ListenerSet, ParentReference } from '../../pkg/contracts/gateway/index.js';
import { currentRouteCondition, GatewayCondition, RouteCondition, RouteReason } from '../../pkg/contracts/gateway/index.js';
import type { Summary } from '../../pkg/runtime/conditions/conditions.js';
import { Waiting } from '../shared/problems.js';

export interface RouteObservation {
  /** The routes Stratus wrote, by name, with what they should be (undefined: not in the cache yet). */
  routes: { name: string; route?: HTTPRoute }[];
  parentRef: ParentReference;
  /** namespace/name of the Gateway. */
  gateway: string;
  listenerSet?: { name: string; object?: ListenerSet };
}

const waitingFor = (message: string): Summary => ({ state: 'progressing', reason: Waiting.Route, message });

/** What keeps the routes from serving, or nothing. */
export function routeSummary(o: RouteObservation): Summary | undefined {
  const ls = o.listenerSet;
  if (ls) {
    const accepted = ls.object?.status?.conditions?.find((c) => c.type === GatewayCondition.Accepted);
    const current = accepted && ls.object && (accepted.observedGeneration ?? 0) >= (ls.object.metadata.generation ?? 0);
    if (!current) return waitingFor(`waiting for Gateway ${o.gateway} to take ListenerSet ${ls.name}`);
    const listeners = ls.object!.status?.listeners ?? [];
    // A certificate may be on its way (cert-manager issuing it, or a Secret still to be created); until then its listener is not valid.
    for (const l of listeners) {
      const unresolved = l.conditions.find((c) => c.type === GatewayCondition.ResolvedRefs && c.status === 'False');
      if (unresolved) return waitingFor(`ListenerSet ${ls.name} listener ${l.name}: ${unresolved.message}`);
    }
    if (accepted.status === 'False') return { state: 'stalled', reason: accepted.reason, message: `ListenerSet ${ls.name}: ${accepted.message}` };
    if (accepted.status !== 'True') return waitingFor(`waiting for Gateway ${o.gateway} to take ListenerSet ${ls.name}${accepted.message ? `: ${accepted.message}` : ''}`);
    for (const l of listeners) {
      const conflicted = l.conditions.find((c) => c.type === GatewayCondition.Conflicted && c.status === 'True');
      if (conflicted) return { state: 'stalled', reason: conflicted.reason, message: `ListenerSet ${ls.name} listener ${l.name}: ${conflicted.message}` };
      const programmed = l.conditions.find((c) => c.type === GatewayCondition.Programmed);
      if (programmed?.status !== 'True') return waitingFor(`ListenerSet ${ls.name} listener ${l.name} not programmed yet${programmed?.message ? `: ${programmed.message}` : ''}`);
    }
  }
  for (const { name, route } of o.routes) {
    if (!route) return waitingFor(`creating HTTPRoute ${name}`);
    const accepted = currentRouteCondition(route, o.parentRef, RouteCondition.Accepted);
    if (!accepted || accepted.status === 'Unknown') return waitingFor(`waiting for Gateway ${o.gateway} to accept HTTPRoute ${name}`);
    if (accepted.status === 'False') return { state: 'stalled', reason: accepted.reason, message: `HTTPRoute ${name}: ${accepted.message}` };
    const resolved = currentRouteCondition(route, o.parentRef, RouteCondition.ResolvedRefs);
    if (resolved?.status === 'False') {
      // Its Services are written before the route; a Gateway that has not seen them yet will.
      return resolved.reason === RouteReason.BackendNotFound
        ? waitingFor(`HTTPRoute ${name}: ${resolved.message}`)
        : { state: 'stalled', reason: resolved.reason, message: `HTTPRoute ${name}: ${resolved.message}` };
    }
  }
  return undefined;
}
