// What the simulated implementation serves: Gateways of its class, and
// ListenerSets attached to them. Routes, Gateways and ListenerSets all ask
// it which parent a reference names and which listeners that parent has.
import type { Gateway, GatewayClass, HTTPRoute, ListenerSet, ParentReference } from '../../contracts/gateway/index.js';
import { GatewayClasses, Gateways, gatewayGroup, ListenerSets, withParentDefaults } from '../../contracts/gateway/index.js';
import { Namespaces } from '../../kube/resources.js';
import { parseLabelSelector, selectorMatcher } from '../../meta/labels.js';
import type { KubeObject } from '../../meta/object.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Listener, Parent } from './attachment.js';
import type { GatewaySimOptions } from './options.js';

/** On HTTPRoutes: "<Kind>/<namespace>/<name>" of each parent; on ListenerSets: "Gateway/<namespace>/<name>" of theirs. */
export const parentIndex = 'sim-gateway-parents';
/** On HTTPRoutes: "<namespace>/<name>" of each backend Service. */
export const backendIndex = 'sim-gateway-backends';
/** On Gateways and ListenerSets: "<namespace>/<name>" of each certificate Secret. */
export const certificateIndex = 'sim-gateway-certificates';

export function parentKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

export function routeParents(route: HTTPRoute): string[] {
  return (route.spec.parentRefs ?? []).map((r) => {
    const p = withParentDefaults(r, route.metadata.namespace);
    return parentKey(p.kind!, p.namespace, p.name);
  });
}

export function routeBackends(route: HTTPRoute): string[] {
  return (route.spec.rules ?? []).flatMap((rule) => (rule.backendRefs ?? []).map((b) => `${b.namespace ?? route.metadata.namespace}/${b.name}`));
}

export function certificates(obj: Gateway | ListenerSet): string[] {
  return obj.spec.listeners.flatMap((l) => (l.tls?.certificateRefs ?? []).map((c) => `${c.namespace ?? obj.metadata.namespace}/${c.name}`));
}

export function listenerSetParent(ls: ListenerSet): { namespace: string; name: string } {
  return { namespace: ls.spec.parentRef.namespace ?? ls.metadata.namespace!, name: ls.spec.parentRef.name };
}

export class Parents {
  constructor(
    private readonly cache: Cache,
    private readonly o: GatewaySimOptions,
  ) {}

  namespaceLabels = (ns: string): Record<string, string> | undefined => this.cache.get<KubeObject>(Namespaces, undefined, ns)?.metadata.labels;

  /** The Gateway, if it exists and is of a class this implementation serves. */
  gateway(namespace: string, name: string): Gateway | undefined {
    const gw = this.cache.get<Gateway>(Gateways, namespace, name);
    if (!gw) return undefined;
    const cls = this.cache.get<GatewayClass>(GatewayClasses, undefined, gw.spec.gatewayClassName);
    return cls?.spec.controllerName === this.o.controllerName ? gw : undefined;
  }

  /** Why the Gateway does not take the ListenerSet (allowedListeners), if it does not. */
  listenerSetRefused(ls: ListenerSet, gw: Gateway): string | undefined {
    const allowed = gw.spec.allowedListeners?.namespaces;
    const from = allowed?.from ?? 'None';
    const ns = ls.metadata.namespace!;
    const refused = `Gateway ${gw.metadata.namespace}/${gw.metadata.name} does not allow ListenerSets from namespace ${ns} (spec.allowedListeners)`;
    if (from === 'All') return undefined;
    if (from === 'Same') return ns === gw.metadata.namespace ? undefined : refused;
    if (from === 'Selector' && allowed?.selector) {
      try {
        return selectorMatcher(parseLabelSelector(allowed.selector))(this.namespaceLabels(ns)) ? undefined : refused;
      } catch {
        return refused;
      }
    }
    return refused;
  }

  /** The ListenerSet with its Gateway, if the Gateway is served here. */
  listenerSet(namespace: string, name: string): { ls: ListenerSet; gateway: Gateway } | undefined {
    const ls = this.cache.get<ListenerSet>(ListenerSets, namespace, name);
    if (!ls) return undefined;
    const p = listenerSetParent(ls);
    const gateway = (ls.spec.parentRef.group ?? gatewayGroup) === gatewayGroup && (ls.spec.parentRef.kind ?? 'Gateway') === 'Gateway' ? this.gateway(p.namespace, p.name) : undefined;
    return gateway ? { ls, gateway } : undefined;
  }

  /** The parent `ref` names, if this implementation serves it. */
  resolve(ref: ParentReference, routeNamespace: string): Parent | undefined {
    const p = withParentDefaults(ref, routeNamespace);
    if (p.group !== gatewayGroup) return undefined;
    if (p.kind === 'Gateway') {
      const gw = this.gateway(p.namespace!, p.name);
      return gw ? { namespace: p.namespace!, listeners: gw.spec.listeners as Listener[] } : undefined;
    }
    if (p.kind === 'ListenerSet') {
      const found = this.listenerSet(p.namespace!, p.name);
      if (!found) return undefined;
      const refused = this.listenerSetRefused(found.ls, found.gateway);
      return { namespace: p.namespace!, listeners: found.ls.spec.listeners as Listener[], ...(refused ? { unavailable: `not attached: ${refused}` } : {}) };
    }
    return undefined;
  }
}
