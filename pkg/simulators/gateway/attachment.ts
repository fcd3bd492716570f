// Gateway API's attachment rules (GEP-1713 for ListenerSets), as a pure
// function of the objects: which listeners of a parent a route attaches to,
// or why none, and whether its backends resolve.
import type { HTTPRoute, ParentReference } from '../../contracts/gateway/index.js';
import { gatewayGroup, RouteReason } from '../../contracts/gateway/index.js';
import { parseLabelSelector, selectorMatcher } from '../../meta/labels.js';

export interface AllowedRoutes {
  kinds?: { group?: string; kind: string }[];
  namespaces?: { from?: 'All' | 'Selector' | 'Same'; selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } };
}

export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  allowedRoutes?: AllowedRoutes;
}

/** A Gateway or a ListenerSet: the direct parent a route names, with its listeners. */
export interface Parent {
  namespace: string;
  listeners: Listener[];
  /** Set when the parent cannot take routes at all (a ListenerSet its Gateway does not allow). */
  unavailable?: string;
}

export type Attachment = { accepted: true; listeners: Listener[] } | { accepted: false; reason: string; message: string };

/** Whether a listener hostname and a route hostname intersect (either may be a wildcard *.suffix). */
export function hostnamesIntersect(listener: string | undefined, route: string): boolean {
  if (!listener || listener === route) return true;
  const suffix = (h: string) => (h.startsWith('*.') ? h.slice(1) : undefined);
  const l = suffix(listener);
  const r = suffix(route);
  if (l && r) return l.endsWith(r) || r.endsWith(l);
  if (l) return route.endsWith(l);
  if (r) return listener.endsWith(r);
  return false;
}

const routeKinds = new Map([
  ['HTTP', ['HTTPRoute', 'GRPCRoute']],
  ['HTTPS', ['HTTPRoute', 'GRPCRoute']],
]);

/** The route kinds a listener takes: its allowedRoutes.kinds, or its protocol's. */
export function supportedKinds(l: Listener): { group: string; kind: string }[] {
  const own = (routeKinds.get(l.protocol) ?? []).map((kind) => ({ group: gatewayGroup, kind }));
  const wanted = l.allowedRoutes?.kinds;
  if (!wanted?.length) return own;
  return own.filter((k) => wanted.some((w) => (w.group ?? gatewayGroup) === k.group && w.kind === k.kind));
}

function namespaceAllowed(l: Listener, parentNamespace: string, routeNamespace: string, namespaceLabels: (ns: string) => Record<string, string> | undefined): boolean {
  const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return parentNamespace === routeNamespace;
  const selector = l.allowedRoutes?.namespaces?.selector;
  if (!selector) return false;
  try {
    return selectorMatcher(parseLabelSelector(selector))(namespaceLabels(routeNamespace));
  } catch {
    return false;
  }
}

/** The listeners of `parent` that `route` attaches to through `ref`, or why it attaches to none. */
export function attach(route: HTTPRoute, ref: ParentReference, parent: Parent, namespaceLabels: (ns: string) => Record<string, string> | undefined): Attachment {
  const where = `${ref.kind ?? 'Gateway'} ${parent.namespace}/${ref.name}`;
  if (parent.unavailable) return { accepted: false, reason: RouteReason.NoMatchingParent, message: `${where}: ${parent.unavailable}` };
  const relevant = parent.listeners.filter((l) => (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.port === ref.port));
  if (!relevant.length) {
    const which = [ref.sectionName !== undefined ? `named ${ref.sectionName}` : '', ref.port !== undefined ? `on port ${ref.port}` : ''].filter(Boolean).join(' ');
    return { accepted: false, reason: RouteReason.NoMatchingParent, message: `${where} has no listener ${which || 'at all'}` };
  }
  const allowed = relevant.filter(
    (l) => supportedKinds(l).some((k) => k.kind === 'HTTPRoute') && namespaceAllowed(l, parent.namespace, route.metadata.namespace!, namespaceLabels),
  );
  if (!allowed.length) return { accepted: false, reason: RouteReason.NotAllowedByListeners, message: `no listener of ${where} allows HTTPRoutes from namespace ${route.metadata.namespace}` };
  const hostnames = route.spec.hostnames ?? [];
  const matching = allowed.filter((l) => !hostnames.length || hostnames.some((h) => hostnamesIntersect(l.hostname, h)));
  if (!matching.length) {
    const listeners = allowed.map((l) => `${l.name}: ${l.hostname ?? 'any'}`).join(', ');
    return { accepted: false, reason: RouteReason.NoMatchingListenerHostname, message: `no listener of ${where} matches the hostnames ${hostnames.join(', ')} (listeners ${listeners})` };
  }
  return { accepted: true, listeners: matching };
}

export type Resolution = { resolved: true } | { resolved: false; reason: string; message: string };

/** Whether every backend of the route resolves: a Service that exists, in the route's namespace (no ReferenceGrants here). */
export function resolveBackends(route: HTTPRoute, serviceExists: (namespace: string, name: string) => boolean): Resolution {
  const ns = route.metadata.namespace!;
  for (const [i, rule] of (route.spec.rules ?? []).entries()) {
    for (const [j, b] of (rule.backendRefs ?? []).entries()) {
      const at = `rule ${i} backendRef ${j}`;
      if ((b.group ?? '') !== '' || (b.kind ?? 'Service') !== 'Service') {
        return { resolved: false, reason: RouteReason.InvalidKind, message: `${at}: ${b.kind ?? 'Service'}.${b.group ?? ''} is not a supported backend kind` };
      }
      const backendNs = b.namespace ?? ns;
      if (backendNs !== ns) return { resolved: false, reason: RouteReason.RefNotPermitted, message: `${at}: Service ${backendNs}/${b.name} is in another namespace and no ReferenceGrant allows it` };
      if (!serviceExists(backendNs, b.name)) return { resolved: false, reason: RouteReason.BackendNotFound, message: `${at}: Service ${backendNs}/${b.name} not found` };
    }
  }
  return { resolved: true };
}
