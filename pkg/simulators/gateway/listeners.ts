// A listener's status, for a Gateway's own listeners and a ListenerSet's
// alike: the route kinds it takes, the routes attached, and whether its
// protocol is supported and its certificates resolve.
import type { Gateway, HTTPRoute, ListenerSet, ParentReference } from '../../contracts/gateway/index.js';
import { GatewayCondition, GatewayReason, RouteCondition, sameParent } from '../../contracts/gateway/index.js';
import type { Secret } from '../../kube/core-types.js';
import { Secrets } from '../../kube/resources.js';
import type { Condition } from '../../meta/object.js';
import type { Cache } from '../../runtime/cache/cache.js';
import { attach, supportedKinds, type Listener, type Parent } from './attachment.js';
import { conditionsFor, type ConditionInput } from './conditions.js';
import type { Parents } from './parents.js';

export interface ListenerStatus {
  name: string;
  attachedRoutes: number;
  supportedKinds: { group: string; kind: string }[];
  conditions: Condition[];
}

const protocols = new Set(['HTTP', 'HTTPS']);

/** Why a listener's certificates do not resolve, if they do not. */
function certificateProblem(owner: Gateway | ListenerSet, l: Gateway['spec']['listeners'][number], cache: Cache): string | undefined {
  if (l.protocol !== 'HTTPS') return undefined;
  const refs = l.tls?.certificateRefs ?? [];
  if (!refs.length) return 'an HTTPS listener needs tls.certificateRefs';
  for (const ref of refs) {
    if ((ref.group ?? '') !== '' || (ref.kind ?? 'Secret') !== 'Secret') return `certificateRef ${ref.name}: only Secrets are supported`;
    const ns = ref.namespace ?? owner.metadata.namespace;
    if (ns !== owner.metadata.namespace) return `certificateRef ${ns}/${ref.name}: in another namespace, and no ReferenceGrant allows it`;
    const secret = cache.get<Secret>(Secrets, ns, ref.name);
    if (!secret) return `Secret ${ns}/${ref.name} does not exist`;
    if (secret.type !== 'kubernetes.io/tls' || !secret.data?.['tls.crt'] || !secret.data?.['tls.key']) return `Secret ${ns}/${ref.name} is not a kubernetes.io/tls Secret with tls.crt and tls.key`;
  }
  return undefined;
}

/** How many of `routes` are accepted on each listener of `parent` through a reference to `parentRef`. */
export function attachedRoutes(routes: HTTPRoute[], parentRef: ParentReference, parent: Parent, parents: Parents, controllerName: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const route of routes) {
    for (const ref of route.spec.parentRefs ?? []) {
      if (!sameParent({ ...ref, sectionName: undefined, port: undefined }, parentRef, route.metadata.namespace)) continue;
      const reported = route.status?.parents.find((p) => p.controllerName === controllerName && sameParent(p.parentRef, ref, route.metadata.namespace));
      if (!reported?.conditions.some((c) => c.type === RouteCondition.Accepted && c.status === 'True')) continue;
      const a = attach(route, ref, parent, parents.namespaceLabels);
      if (a.accepted) for (const l of a.listeners) counts.set(l.name, (counts.get(l.name) ?? 0) + 1);
    }
  }
  return counts;
}

/** The status of each listener; `conflicts` names those another listener's hostname and port already took. */
export function listenerStatuses(
  owner: Gateway | ListenerSet,
  existing: { name: string; conditions: Condition[] }[] | undefined,
  counts: Map<string, number>,
  conflicts: Set<string>,
  cache: Cache,
  now: number,
): ListenerStatus[] {
  return owner.spec.listeners.map((l) => {
    const supported = protocols.has(l.protocol);
    const cert = certificateProblem(owner, l, cache);
    const conflicted = conflicts.has(l.name);
    const inputs: ConditionInput[] = [
      supported
        ? { type: GatewayCondition.Accepted, status: true, reason: GatewayReason.Accepted, message: 'Listener accepted' }
        : { type: GatewayCondition.Accepted, status: false, reason: GatewayReason.UnsupportedProtocol, message: `protocol ${l.protocol} is not supported (HTTP, HTTPS)` },
      cert
        ? { type: GatewayCondition.ResolvedRefs, status: false, reason: GatewayReason.InvalidCertificateRef, message: cert }
        : { type: GatewayCondition.ResolvedRefs, status: true, reason: GatewayReason.ResolvedRefs, message: 'All references resolved' },
      conflicted
        ? { type: GatewayCondition.Conflicted, status: true, reason: GatewayReason.HostnameConflict, message: `another listener already serves ${l.hostname ?? 'any hostname'} on port ${l.port}` }
        : { type: GatewayCondition.Conflicted, status: false, reason: GatewayReason.NoConflicts, message: 'No conflicts' },
      supported && !cert && !conflicted
        ? { type: GatewayCondition.Programmed, status: true, reason: GatewayReason.Programmed, message: 'Listener programmed' }
        : { type: GatewayCondition.Programmed, status: false, reason: GatewayReason.Invalid, message: 'Listener is invalid, see its other conditions' },
    ];
    return {
      name: l.name,
      attachedRoutes: counts.get(l.name) ?? 0,
      supportedKinds: supportedKinds(l as Listener),
      conditions: conditionsFor(existing?.find((s) => s.name === l.name)?.conditions, inputs, owner.metadata.generation, now),
    };
  });
}

/** Whether a listener status says it serves. */
export function programmed(s: ListenerStatus): boolean {
  return s.conditions.some((c) => c.type === GatewayCondition.Programmed && c.status === 'True');
}
