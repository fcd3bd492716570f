import type { App, HealthCheck } from '../../pkg/api/types.generated.js';
import type { Container } from '../../pkg/kube/core-types.js';
import { desiredPodTemplate, desiredRevisionDeployment, desiredRevisionService, desiredService, exposesService, podVolumeName, probe, templateHash, type ResolvedReferences } from './desired.js';

const app = (spec: Partial<App['spec']> = {}, labels?: Record<string, string>): App => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'App',
  metadata: { name: 'web', namespace: 'ns', uid: 'u1', generation: 1, ...(labels ? { labels } : {}) },
  spec: { image: 'nginx:1.27', replicas: 1, ...spec },
});
const none: ResolvedReferences = { dependencyEnv: new Map(), claims: new Map(), nads: new Map() };
const containerOf = (a: App, refs = none): Container => desiredPodTemplate(a, refs).spec.containers[0]!;
const check = (c: Partial<HealthCheck>): HealthCheck => ({ initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, ...c });

describe('desiredRevisionDeployment', () => {
  it("runs a revision's template under the App's and the revision's labels, with the replicas it is given", () => {
    const template = desiredPodTemplate(app({ replicas: 3 }), none);
    expect(desiredRevisionDeployment(app({ replicas: 3 }), 'web-00002', template, 2)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web-00002',
        namespace: 'ns',
        labels: { 'app.kubernetes.io/managed-by': 'stratus', 'stratus.dev/app': 'web', 'stratus.dev/revision': 'web-00002' },
        annotations: { 'stratus.dev/template-hash': templateHash(template) },
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'stratus.dev/app': 'web', 'stratus.dev/revision': 'web-00002' } },
        template: {
          metadata: { labels: { 'app.kubernetes.io/managed-by': 'stratus', 'stratus.dev/app': 'web', 'stratus.dev/revision': 'web-00002' } },
          spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
        },
      },
    });
  });

  it('hashes what runs: a new image or env changes it, replicas and the revision name do not', () => {
    const hash = (spec: Partial<App['spec']>) => templateHash(desiredPodTemplate(app(spec), none));
    expect(hash({ replicas: 5 })).toBe(hash({}));
    expect(hash({ image: 'nginx:1.28' })).not.toBe(hash({}));
    expect(hash({ env: [{ name: 'A', value: '1' }] })).not.toBe(hash({}));
    expect(hash({ healthCheck: check({ tcp: { port: 80 } }) })).not.toBe(hash({}));
  });

  it.each<[string, Partial<App['spec']>, Partial<Container>]>([
    ['command and args', { command: ['/bin/web'], args: ['--port', '8080'] }, { command: ['/bin/web'], args: ['--port', '8080'] }],
    ['empty command and args are left out', { command: [], args: [] }, {}],
    ['ports with their protocol', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] }, { ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }],
    ['requests and limits in canonical form', { resources: { requests: { cpu: '0.25', memory: '1024Mi' }, limits: { cpu: 2, memory: '1.5Gi' } } }, { resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '2', memory: '1536Mi' } } }],
    ['only requests', { resources: { requests: { cpu: '100m' } } }, { resources: { requests: { cpu: '100m' } } }],
    ['empty resources are left out', { resources: { requests: {}, limits: {} } }, {}],
    ['literal, secret and ConfigMap variables', {
      env: [{ name: 'A', value: '1' }, { name: 'B', secretKeyRef: { name: 's', key: 'k' } }, { name: 'C', configMapKeyRef: { name: 'c', key: 'k' } }, { name: 'EMPTY', value: '' }],
    }, {
      env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }, { name: 'C', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }, { name: 'EMPTY' }],
    }],
    ['an http health check becomes both probes', { healthCheck: check({ http: { path: '/healthz', port: 8080 }, periodSeconds: 5 }) }, {
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3 },
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3 },
    }],
  ])('%s', (_, spec, want) => {
    const c = containerOf(app(spec));
    for (const key of ['command', 'args', 'ports', 'resources', 'env', 'readinessProbe', 'livenessProbe', 'volumeMounts'] as const) {
      expect([key, c[key]]).toEqual([key, want[key]]);
    }
  });

  it('puts dependency values into the environment and refuses to guess a missing one', () => {
    const a = app({ dependsOn: [{ kind: 'VirtualMachine', name: 'db' }], env: [{ name: 'DB', dependency: { kind: 'VirtualMachine', name: 'db', property: 'host' } }] });
    expect(containerOf(a, { ...none, dependencyEnv: new Map([['DB', 'db.ns.svc']]) }).env).toEqual([{ name: 'DB', value: 'db.ns.svc' }]);
    expect(() => desiredPodTemplate(a, none)).toThrow('spec.env[DB]');
  });

  it('mounts each Volume through its claim, read-only when asked', () => {
    const a = app({ volumes: [{ name: 'data', mountPath: '/data', readOnly: false }, { name: 'assets.v2', mountPath: '/assets', readOnly: true }] });
    const t = desiredPodTemplate(a, { ...none, claims: new Map([['data', 'data-claim'], ['assets.v2', 'assets.v2']]) });
    expect(t.spec.volumes).toEqual([
      { name: 'data', persistentVolumeClaim: { claimName: 'data-claim' } },
      { name: 'volume-1', persistentVolumeClaim: { claimName: 'assets.v2', readOnly: true } },
    ]);
    expect(t.spec.containers[0]!.volumeMounts).toEqual([
      { name: 'data', mountPath: '/data' },
      { name: 'volume-1', mountPath: '/assets', readOnly: true },
    ]);
    expect(() => desiredPodTemplate(a, none)).toThrow('spec.volumes[data]');
  });

  it('attaches secondary Networks through Multus, labels members, and leaves addresses to IPAM', () => {
    const a = app({ networks: [{ name: 'front', network: 'private' }, { name: 'store', network: 'storage' }] }, { tier: 'web', 'stratus.dev/app': 'spoofed' });
    const t = desiredPodTemplate(a, { ...none, nads: new Map([['private', 'private'], ['storage', 'storage-nad']]) });
    expect(t.metadata).toEqual({
      labels: { tier: 'web', 'app.kubernetes.io/managed-by': 'stratus', 'stratus.dev/app': 'web', 'net.stratus.dev/private': 'true', 'net.stratus.dev/storage': 'true' },
      annotations: { 'k8s.v1.cni.cncf.io/networks': '[{"name":"private","namespace":"ns","interface":"front"},{"name":"storage-nad","namespace":"ns","interface":"store"}]' },
    });
    expect(() => desiredPodTemplate(a, none)).toThrow('spec.networks[front]');
  });
});

describe('probe', () => {
  it.each<[string, Partial<HealthCheck>, unknown]>([
    ['http', { http: { path: '/ready', port: 80 } }, { httpGet: { path: '/ready', port: 80 } }],
    ['tcp', { tcp: { port: 5432 } }, { tcpSocket: { port: 5432 } }],
    ['exec', { exec: { command: ['pg_isready'] } }, { exec: { command: ['pg_isready'] } }],
  ])('%s', (_, c, action) => {
    expect(probe(check({ ...c, initialDelaySeconds: 5, failureThreshold: 6 }))).toEqual({ ...(action as object), initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 6 });
    // A zero delay is what the apiserver stores as nothing.
    expect(probe(check(c))).not.toHaveProperty('initialDelaySeconds');
  });

  it('is absent without a health check or an action', () => {
    expect(probe(undefined)).toBeUndefined();
    expect(probe(check({}))).toBeUndefined();
  });
});

describe('desiredService', () => {
  it.each<[string, Partial<App['spec']>, boolean, string | undefined]>([
    ['ports, default exposure', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }, true, 'ClusterIP'],
    ['ports, LoadBalancer', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], expose: { type: 'LoadBalancer' } }, true, 'LoadBalancer'],
    ['ports, exposure None', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], expose: { type: 'None' } }, false, undefined],
    ['no ports', { expose: { type: 'ClusterIP' } }, false, undefined],
    ['empty ports', { ports: [] }, false, undefined],
  ])('%s', (_, spec, exposed, type) => {
    const a = app(spec);
    expect(exposesService(a)).toBe(exposed);
    expect(desiredService(a, 'web-00001')?.spec.type).toBe(type);
  });

  it("selects the primary revision's pods (all the App's without one) and maps each port to itself", () => {
    const a = app({ ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }] });
    expect(desiredService(a, undefined)?.spec.selector).toEqual({ 'stratus.dev/app': 'web' });
    expect(desiredService(a, 'web-00003')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'ns', labels: { 'app.kubernetes.io/managed-by': 'stratus', 'stratus.dev/app': 'web' } },
      spec: {
        type: 'ClusterIP',
        selector: { 'stratus.dev/app': 'web', 'stratus.dev/revision': 'web-00003' },
        ports: [
          { name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' },
          { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' },
        ],
      },
    });
  });
});

describe('desiredRevisionService', () => {
  it("serves a revision's own ports (as it was made, whatever the spec says now) to its pods", () => {
    const made = app({ ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] });
    const d = desiredRevisionDeployment(made, 'web-00001', desiredPodTemplate(made, none), 1);
    expect(desiredRevisionService(app({ ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] }), d)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web-00001', namespace: 'ns', labels: { 'app.kubernetes.io/managed-by': 'stratus', 'stratus.dev/app': 'web', 'stratus.dev/revision': 'web-00001' } },
      spec: { type: 'ClusterIP', selector: { 'stratus.dev/app': 'web', 'stratus.dev/revision': 'web-00001' }, ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }] },
    });
  });
});

describe('podVolumeName', () => {
  it.each([
    ['data', 0, 'data'],
    ['a.b', 2, 'volume-2'],
    ['x'.repeat(64), 1, 'volume-1'],
  ])('%s → %s', (name, i, want) => expect(podVolumeName(name, i)).toBe(want));
});

