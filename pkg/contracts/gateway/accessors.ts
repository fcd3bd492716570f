// Typed getters over Gateway API objects: which status entry of a route
// speaks about which of its parents, and the defaults the CRDs apply to a
// parent reference.
import type { HTTPRoute } from './generated/http-route.js';

export const gatewayGroup = 'gateway.networking.k8s.io';

export type ParentReference = NonNullable<HTTPRoute['spec']['parentRefs']>[number];
export type RouteParentStatus = NonNullable<HTTPRoute['status']>['parents'][number];
export type RouteParentCondition = RouteParentStatus['conditions'][number];

/** A parent reference with the CRD's defaults (group, kind Gateway, the route's namespace) filled in. */
export function withParentDefaults(ref: ParentReference, routeNamespace: string | undefined): ParentReference {
  return { ...ref, group: ref.group ?? gatewayGroup, kind: ref.kind ?? 'Gateway', namespace: ref.namespace ?? routeNamespace };
}

/** Whether two parent references name the same parent (and section and port). */
export function sameParent(a: ParentReference, b: ParentReference, routeNamespace: string | undefined): boolean {
  const x = withParentDefaults(a, routeNamespace);
  const y = withParentDefaults(b, routeNamespace);
  return x.group === y.group && x.kind === y.kind && x.namespace === y.namespace && x.name === y.name && x.sectionName === y.sectionName && x.port === y.port;
}

/** The status a route's implementation reports for `parent`, if any. */
function parentStatusOf(route: HTTPRoute, parent: ParentReference): RouteParentStatus | undefined {
  return route.status?.parents.find((p) => sameParent(p.parentRef, parent, route.metadata.namespace));
}

/** A condition of a route's parent status, if reported for the route's current generation. */
export function currentRouteCondition(route: HTTPRoute, parent: ParentReference, type: string): RouteParentCondition | undefined {
  const c = parentStatusOf(route, parent)?.conditions.find((x) => x.type === type);
  if (!c) return undefined;
  return c.observedGeneration === undefined || route.metadata.generation === undefined || c.observedGeneration >= route.metadata.generation ? c : undefined;
}
