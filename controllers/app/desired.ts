// What an App becomes: a Deployment per revision running what the spec
// said when the revision was made, a Service for its ports, and with a
// route a Service per revision for the Gateway to split between. Pure
// functions of the spec and the resolved references.
//
// The objects are written with server-side apply and compared with what
// exists by containsSubset, so they state only fields Stratus means to own,
// in the form the apiserver stores them: canonical quantities, no empty
// lists, maps or strings (the apiserver drops them), booleans only when
// true. Anything else the apiserver or another actor sets stays theirs.
import type { App, HealthCheck } from '../../pkg/api/types.generated.js';
import type { Container, Deployment, Probe, Service } from '../../pkg/kube/core-types.js';
import { createHash } from 'node:crypto';
import { networksAnnotation } from '../../pkg/contracts/multus/index.js';
import { childLabels, labelKeys, managedBy, networkMemberLabel } from '../shared/labels.js';
import { canonicalQuantity } from '../../pkg/kube/quantity-canonical.js';

/** The one container of an App's pods. */
export const containerName = 'app';

export interface ResolvedReferences {
  /** env[].name → the value of its env[].dependency. */
  dependencyEnv: Map<string, string>;
  /** Volume → the claim holding its data. */
  claims: Map<string, string>;
  /** Network → the App's attachment definition for it (in the App's namespace), which leases the App's pool. */
  nads: Map<string, string>;
}

export function serviceName(app: App): string {
  return app.metadata.name!;
}

/** Whether the App has a Service: ports, and expose.type other than None (default ClusterIP). */
export function exposesService(app: App): boolean {
  return !!app.spec.ports?.length && (app.spec.expose?.type ?? 'ClusterIP') !== 'None';
}

/** Every instance of the App, whichever revision: the scale subresource's selector (a Scaler's metrics). */
export function appSelector(app: App): Record<string, string> {
  return { [labelKeys.app]: app.metadata.name! };
}

/** The instances of one revision: its Deployment's selector and its Service's. */
function revisionSelector(app: App, revision: string): Record<string, string> {
  return { ...appSelector(app), [labelKeys.revision]: revision };
}

/** On a revision's Deployment: the hash of the pod template it was made from (without its revision label). */
export const templateHashAnnotation = 'stratus.dev/template-hash';

export type PodTemplate = Deployment['spec']['template'];

/** The App's own labels, Stratus's, and one per secondary Network (for its policies). */
export function podLabels(app: App): Record<string, string> {
  const labels: Record<string, string> = { ...(app.metadata.labels ?? {}), ...managedBy, ...appSelector(app) };
  for (const n of app.spec.networks ?? []) labels[networkMemberLabel(n.network)] = 'true';
  return labels;
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A pod volume name (a DNS label) for a Volume (a DNS subdomain). */
export function podVolumeName(volume: string, index: number): string {
  return dnsLabel.test(volume) ? volume : `volume-${index}`;
}

function quantities(map: Record<string, string | number> | undefined): Record<string, string> | undefined {
  const entries = Object.entries(map ?? {});
  return entries.length ? Object.fromEntries(entries.map(([k, v]) => [k, canonicalQuantity(v)])) : undefined;
}

export function probe(check: HealthCheck | undefined): Probe | undefined {
  if (!check) return undefined;
  const action: Probe = check.http
    ? { httpGet: { path: check.http.path ?? '/', port: check.http.port } }
    : check.tcp
      ? { tcpSocket: { port: check.tcp.port } }
      : check.exec
        ? { exec: { command: check.exec.command } }
        : {};
  if (!action.httpGet && !action.tcpSocket && !action.exec) return undefined;
  // The apiserver leaves a zero out (initialDelaySeconds defaults to 0; the others are at least 1).
  const timing: Probe = {};
  for (const k of ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold'] as const) {
    if (check[k]) timing[k] = check[k];
  }
  return { ...action, ...timing };
}

function envOf(app: App, refs: ResolvedReferences): unknown[] {
  return (app.spec.env ?? []).map((e) => {
    if (e.secretKeyRef) return { name: e.name, valueFrom: { secretKeyRef: { name: e.secretKeyRef.name, key: e.secretKeyRef.key } } };
    if (e.configMapKeyRef) return { name: e.name, valueFrom: { configMapKeyRef: { name: e.configMapKeyRef.name, key: e.configMapKeyRef.key } } };
    if (e.dependency) {
      const value = refs.dependencyEnv.get(e.name);
      if (value === undefined) throw new Error(`spec.env[${e.name}]: the dependency's value is not resolved`);
      return { name: e.name, value };
    }
    // An empty value is stored as no value.
    return e.value ? { name: e.name, value: e.value } : { name: e.name };
  });
}

function container(app: App, refs: ResolvedReferences): Container {
  const s = app.spec;
  const c: Container = { name: containerName, image: s.image };
  if (s.command?.length) c.command = s.command;
  if (s.args?.length) c.args = s.args;
  const env = envOf(app, refs);
  if (env.length) c.env = env;
  if (s.ports?.length) {
    c.ports = s.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' }));
  }
  const requests = quantities(s.resources?.requests);
  const limits = quantities(s.resources?.limits);
  if (requests || limits) c.resources = { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
  const p = probe(s.healthCheck);
  if (p) {
    c.readinessProbe = p;
    c.livenessProbe = p;
  }
  if (s.volumes?.length) {
    c.volumeMounts = s.volumes.map((v, i) => ({ name: podVolumeName(v.name, i), mountPath: v.mountPath, ...(v.readOnly ? { readOnly: true } : {}) }));
  }
  return c;
}

/** What runs: the pod template a new revision takes, without its revision label. */
export function desiredPodTemplate(app: App, refs: ResolvedReferences): PodTemplate {
  const ns = app.metadata.namespace;
  const volumes = (app.spec.volumes ?? []).map((v, i) => {
    const claimName = refs.claims.get(v.name);
    if (!claimName) throw new Error(`spec.volumes[${v.name}]: the Volume's claim is not resolved`);
    return { name: podVolumeName(v.name, i), persistentVolumeClaim: { claimName, ...(v.readOnly ? { readOnly: true } : {}) } };
  });
  const networks = (app.spec.networks ?? []).map((n) => {
    const nad = refs.nads.get(n.network);
    if (!nad) throw new Error(`spec.networks[${n.name}]: the App's attachment definition is not resolved`);
    // No ips: each instance leases an address of the App's pool.
    return { name: nad, namespace: ns, interface: n.name };
  });
  return {
    metadata: {
      labels: podLabels(app),
      ...(networks.length ? { annotations: { [networksAnnotation]: JSON.stringify(networks) } } : {}),
    },
    spec: { containers: [container(app, refs)], ...(volumes.length ? { volumes } : {}) },
  };
}

export function templateHash(template: PodTemplate): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 16);
}

/** A revision's Deployment: the template with the revision's label, made once; later only its replicas change. */
export function desiredRevisionDeployment(app: App, revision: string, template: PodTemplate, replicas: number): Deployment {
  const selector = revisionSelector(app, revision);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: revision,
      namespace: app.metadata.namespace,
      labels: { ...childLabels('app', app.metadata.name!), [labelKeys.revision]: revision },
      annotations: { [templateHashAnnotation]: templateHash(template) },
    },
    spec: {
      replicas,
      selector: { matchLabels: selector },
      template: { ...template, metadata: { ...template.metadata, labels: { ...template.metadata?.labels, ...selector } } },
    },
  };
}

function servicePorts(app: App): NonNullable<Service['spec']['ports']> {
  return app.spec.ports!.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: p.protocol ?? 'TCP' }));
}

/**
 * The App's Service: its instances of `revision` (the one taking the
 * largest share of the traffic), or all of them while there is none.
 */
export function desiredService(app: App, revision: string | undefined): Service | undefined {
  if (!exposesService(app)) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: serviceName(app), namespace: app.metadata.namespace, labels: childLabels('app', app.metadata.name!) },
    spec: {
      type: (app.spec.expose?.type ?? 'ClusterIP') as NonNullable<Service['spec']['type']>,
      selector: revision ? revisionSelector(app, revision) : appSelector(app),
      ports: servicePorts(app),
    },
  };
}

/** A revision's own Service, the backend a route's weights point at: the ports its instances listen on. */
export function desiredRevisionService(app: App, revision: Deployment): Service {
  const name = revision.metadata.name!;
  const ports = (revision.spec.template.spec.containers.find((c) => c.name === containerName)?.ports ?? []).map((p) => ({
    name: p.name,
    port: p.containerPort,
    targetPort: p.containerPort,
    protocol: p.protocol ?? 'TCP',
  }));
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: app.metadata.namespace, labels: { ...childLabels('app', app.metadata.name!), [labelKeys.revision]: name } },
    spec: { type: 'ClusterIP', selector: revisionSelector(app, name), ports },
  };
}
