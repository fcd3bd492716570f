// How an App is reached from outside: an HTTPRoute on the Gateway the
// settings offer, its backends the revisions' Services weighted by their
// share, one more HTTPRoute per tag (<tag>-<hostname>, that revision only),
// and with TLS a ListenerSet of the App's own: an HTTPS listener per
// hostname with its certificate (a named Secret, or the one cert-manager
// issues for the annotated issuer). Only Gateway API standard-channel
// fields, so any implementation serves them. Pure.
import type { App } from '../../pkg/api/types.generated.js';
import type { GatewayChoice } from '../../pkg/api/settings.js';
import type { HTTPRoute, ListenerSet, ParentReference } from '../../pkg/contracts/gateway/index.js';
import { gatewayGroup } from '../../pkg/contracts/gateway/index.js';
import { clusterIssuerAnnotation, issuerAnnotation } from '../../pkg/contracts/cert-manager/index.js';
import { childLabels } from '../shared/labels.js';
import { percents, type Target } from './traffic.js';

type Route = NonNullable<App['spec']['route']>;

function routeName(app: App): string {
  return app.metadata.name!;
}

function tagRouteName(app: App, tag: string): string {
  return `${app.metadata.name}-${tag}`;
}

/** The ListenerSet holding an App's HTTPS listeners. */
function listenerSetName(app: App): string {
  return app.metadata.name!;
}

export function tagHostnames(route: Route, tag: string): string[] {
  return route.hostnames.map((h) => `${tag}-${h}`);
}

/** The Secret the certificate is in: the named one, or the one cert-manager writes. */
function certificateSecret(app: App): string | undefined {
  const tls = app.spec.route?.tls;
  return tls?.secretName ?? (tls?.issuer ? `${app.metadata.name}-tls` : undefined);
}

/** The URL of each hostname: https with TLS, the first path prefix after it. */
export function urlsOf(route: Route, hostnames: string[] = route.hostnames): string[] {
  const path = route.paths?.[0] && route.paths[0] !== '/' ? route.paths[0] : '';
  return hostnames.map((h) => `${route.tls ? 'https' : 'http'}://${h}${path}`);
}

/** Where the routes attach: the App's ListenerSet with TLS, else the Gateway's own listeners. */
export function parentRefOf(app: App, gateway: GatewayChoice): ParentReference {
  return app.spec.route?.tls
    ? { group: gatewayGroup, kind: 'ListenerSet', name: listenerSetName(app) }
    : { group: gatewayGroup, kind: 'Gateway', namespace: gateway.namespace, name: gateway.name };
}

/** The port number of the App port the route names (default: the first). */
function backendPort(app: App): number {
  const ports = app.spec.ports ?? [];
  return (ports.find((p) => p.name === app.spec.route?.port) ?? ports[0])!.port;
}

function httpRoute(app: App, name: string, hostnames: string[], parentRef: ParentReference, backends: { revision: string; weight?: number }[]): HTTPRoute {
  const route = app.spec.route!;
  const port = backendPort(app);
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: app.metadata.namespace, labels: childLabels('app', app.metadata.name!) },
    spec: {
      parentRefs: [parentRef],
      hostnames,
      rules: [
        {
          ...(route.paths?.length ? { matches: route.paths.map((value) => ({ path: { type: 'PathPrefix' as const, value } })) } : {}),
          backendRefs: backends.map((b) => ({ name: b.revision, port, ...(b.weight !== undefined ? { weight: b.weight } : {}) })),
        },
      ],
    },
  };
}

/** The App's HTTPRoute: each revision with a share, weighted by it. */
export function desiredRoute(app: App, parentRef: ParentReference, served: Target[]): HTTPRoute {
  const backends = [...percents(served)].filter(([, p]) => p > 0).map(([revision, weight]) => ({ revision, weight }));
  return httpRoute(app, routeName(app), app.spec.route!.hostnames, parentRef, backends);
}

/** One HTTPRoute per tag of the served traffic, to that revision alone. */
export function desiredTagRoutes(app: App, parentRef: ParentReference, served: Target[]): HTTPRoute[] {
  return served.filter((t) => t.tag).map((t) => httpRoute(app, tagRouteName(app, t.tag!), tagHostnames(app.spec.route!, t.tag!), parentRef, [{ revision: t.revision }]));
}

/** With TLS: the App's HTTPS listeners on the Gateway, one per hostname (tags' included). */
export function desiredListenerSet(app: App, gateway: GatewayChoice, hostnames: string[]): ListenerSet | undefined {
  const tls = app.spec.route?.tls;
  if (!tls) return undefined;
  const issuer = tls.issuer ? { [tls.issuer.kind === 'ClusterIssuer' ? clusterIssuerAnnotation : issuerAnnotation]: tls.issuer.name } : undefined;
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'ListenerSet',
    metadata: { name: listenerSetName(app), namespace: app.metadata.namespace, labels: childLabels('app', app.metadata.name!), ...(issuer ? { annotations: issuer } : {}) },
    spec: {
      parentRef: { group: gatewayGroup, kind: 'Gateway', namespace: gateway.namespace, name: gateway.name },
      listeners: hostnames.map((hostname) => ({ name: hostname, hostname, port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate' as const, certificateRefs: [{ name: certificateSecret(app)! }] } })),
    },
  };
}
