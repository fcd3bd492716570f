// deploy/, the Dockerfile and the Flux example, read as files: the CRD copies
// match the generated ones, the Deployment is what the operator needs (flags,
// probes, security), the image build copies what the code loads, and the
// Flux health expressions evaluate as intended. Needs no cluster.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { compile, execute } from '../../pkg/api/validation/cel/environment.js';
import { stratusAdmissionPolicies, stratusMutatingPolicies } from '../../pkg/api/install.js';
import { stratusKinds } from '../../pkg/api/resources.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { packageRoot } from '../../pkg/util/package-root.js';
import { deployDir, renderDeploy, renderKustomization } from './render.js';

const root = packageRoot();
const read = (...path: string[]) => readFileSync(join(root, ...path), 'utf8');

describe('deploy/crds', () => {
  it('are byte-for-byte the generated crds/ (refresh: npm run generate)', () => {
    for (const dir of ['crds', 'crds/admission']) {
      const generated = readdirSync(join(root, dir)).filter((f) => f.endsWith('.yaml')).sort();
      const copies = readdirSync(join(deployDir, dir)).filter((f) => f.endsWith('.yaml')).sort();
      expect(copies).toEqual(generated);
      for (const file of generated) expect({ file, text: read('deploy', dir, file) }).toEqual({ file, text: read(dir, file) });
    }
  });

  it('are all in the kustomization, so every kind is installed, with every admission policy', async () => {
    const rendered = await renderDeploy();
    const crds = rendered.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.map((c) => c.metadata.name).sort()).toEqual(stratusKinds.map((t) => `${t.resource}.${t.group}`).sort());
    const policies = rendered.filter((o) => o.kind?.startsWith('ValidatingAdmissionPolicy'));
    expect(policies.map((p) => `${p.kind}/${p.metadata.name}`).sort()).toEqual(stratusAdmissionPolicies().map((p) => `${p.kind}/${p.metadata.name}`).sort());
    // The base serves clusters from 1.30: MutatingAdmissionPolicies (1.36) are the opt-in component below.
    expect(rendered.filter((o) => o.kind?.startsWith('MutatingAdmissionPolicy'))).toEqual([]);
  });

  it('has the finalizer policies for Kubernetes 1.36 in components/admission-finalizers, for every kind with a finalizer', async () => {
    const rendered = await renderKustomization(join(deployDir, 'components', 'admission-finalizers'));
    const byName = (objects: KubeObject[]) => [...objects].sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
    expect(byName(rendered)).toEqual(byName(stratusMutatingPolicies()));
    const policies = rendered.filter((o) => o.kind === 'MutatingAdmissionPolicy') as (KubeObject & { spec: { matchConstraints: { resourceRules: { resources: string[] }[] } } })[];
    expect(policies.flatMap((p) => p.spec.matchConstraints.resourceRules.flatMap((r) => r.resources)).sort()).toEqual(['diskimages', 'networks', 'snapshots', 'volumes']);
  });
});

interface Container {
  name: string;
  image: string;
  args: string[];
  env: { name: string; value?: string; valueFrom?: unknown }[];
  ports: { name: string; containerPort: number }[];
  livenessProbe: { httpGet: { path: string; port: string | number } };
  readinessProbe: { httpGet: { path: string; port: string | number } };
  startupProbe?: { httpGet: { path: string; port: string | number } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown>;
}

interface PodSpec {
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  topologySpreadConstraints?: { topologyKey: string; whenUnsatisfiable: string; labelSelector: { matchLabels: Record<string, string> } }[];
  containers: Container[];
}

type Deployment = KubeObject & {
  spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
};

describe('the controllers Deployment', () => {
  let objects: KubeObject[];
  let deployment: Deployment;
  let container: Container;

  beforeAll(async () => {
    objects = await renderDeploy();
    deployment = objects.find((o) => o.kind === 'Deployment') as Deployment;
    container = deployment.spec.template.spec.containers[0]!;
  });

  it('runs two replicas of `stratus run --leader-elect` as the ServiceAccount, in stratus-system', () => {
    expect(deployment.metadata).toMatchObject({ name: 'stratus-controllers', namespace: 'stratus-system' });
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.serviceAccountName).toBe('stratus-controllers');
    expect(objects.find((o) => o.kind === 'ServiceAccount')?.metadata).toMatchObject({ name: 'stratus-controllers', namespace: 'stratus-system' });
    expect(container.image).toBe('ghcr.io/stratus-dev/stratus:0.1.0');
    expect(container.args).toEqual(['run', '--leader-elect', '--health-address', '0.0.0.0:8081', '--log-format', 'json']);
    expect(container.env).toContainEqual({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
  });

  it('probes /healthz and /readyz on the metrics port, 8081', () => {
    expect(container.ports).toContainEqual({ name: 'metrics', containerPort: 8081, protocol: 'TCP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(container.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
  });

  it('sets requests and limits, and keeps V8’s heap under the memory limit', () => {
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
    const mi = (q: string) => Number(/^(\d+)Mi$/.exec(q)![1]);
    const heap = Number(/--max-old-space-size=(\d+)/.exec(container.env.find((e) => e.name === 'NODE_OPTIONS')!.value!)![1]);
    expect(heap).toBeLessThan(mi(container.resources.limits.memory!));
  });

  it('runs locked down: non-root 65532, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const ns = objects.find((o) => o.kind === 'Namespace')!;
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('spreads the replicas over nodes (hard) and selects its own pods everywhere', () => {
    const podLabels = deployment.spec.template.metadata.labels;
    const selects = (sel: Record<string, string>) => Object.entries(sel).every(([k, v]) => podLabels[k] === v);
    const byNode = deployment.spec.template.spec.topologySpreadConstraints?.find((c) => c.topologyKey === 'kubernetes.io/hostname');
    expect(byNode?.whenUnsatisfiable).toBe('DoNotSchedule');
    expect(selects(byNode!.labelSelector.matchLabels)).toBe(true);
    expect(selects(deployment.spec.selector.matchLabels)).toBe(true);

    const service = objects.find((o) => o.kind === 'Service') as KubeObject & { spec: { selector: Record<string, string>; ports: unknown[] } };
    expect(service.spec.ports).toEqual([{ name: 'metrics', port: 8081, targetPort: 'metrics', protocol: 'TCP' }]);
    expect(selects(service.spec.selector)).toBe(true);
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget') as KubeObject & { spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable: number } };
    expect(selects(pdb.spec.selector.matchLabels)).toBe(true);
    expect(pdb.spec.maxUnavailable).toBe(1);
  });

  it('passes the flags `stratus run` knows', () => {
    const usage = read('pkg', 'cli', 'run.ts');
    for (const flag of container.args.filter((a) => a.startsWith('--'))) expect(usage).toContain(`'${flag.slice(2)}'`);
    expect(usage).toContain('process.env.POD_NAMESPACE');
    const health = read('pkg', 'runtime', 'manager', 'health-server.ts');
    for (const path of ['/healthz', '/readyz', '/metrics']) expect(health).toContain(`'${path}'`);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const ignored = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('builds on node:20-bookworm-slim in two stages and runs `node bin/stratus.js run` as 65532', () => {
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/^node:20-bookworm-slim AS build/);
    expect(stages[0]).toContain('npm ci');
    expect(stages[0]).toContain('npm run build');
    expect(stages[0]).toContain('npm prune --omit=dev');
    expect(stages[1]).toMatch(/^node:20-bookworm-slim\n/);
    expect(stages[1]).toMatch(/^USER 65532:65532$/m);
    expect(stages[1]).toMatch(/^ENTRYPOINT \["node", "bin\/stratus\.js"\]$/m);
    expect(stages[1]).toMatch(/^CMD \["run"\]$/m);
  });

  it('copies every source folder tsc compiles, and nothing .dockerignore drops', () => {
    const tsconfig = JSON.parse(read('tsconfig.json')) as { include: string[] };
    const copied = [...stages[0]!.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    for (const dir of tsconfig.include) expect(copied).toContain(dir);
    for (const path of copied) {
      expect(existsSync(join(root, path))).toBe(true);
      expect(ignored.filter((pattern) => pattern.replace(/\/$/, '') === path.split('/')[0])).toEqual([]);
    }
    // The runtime stage takes what bin/stratus.js loads, plus crds/ and package.json (package root).
    const runtime = [...stages[1]!.matchAll(/^COPY --from=build \/src\/(\S+) /gm)].map((m) => m[1]);
    expect(runtime.sort()).toEqual(['bin', 'crds', 'dist', 'node_modules', 'package.json']);
    expect(read('bin', 'stratus.js')).toContain("'../dist/pkg/cli/main.js'");
  });

  it('ships only the operator: no embedded plane, no tests, no dev dependencies', () => {
    const removed = /rm -rf ([^\\&]+)/.exec(stages[0]!)![1]!.trim().split(/\s+/);
    expect(removed).toEqual(expect.arrayContaining(['dist/test', 'dist/bench', 'dist/pkg/simulators', 'dist/pkg/controlplane', 'dist/pkg/cli/up.js']));
    // No production dependency is there for the embedded plane alone.
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('@peculiar/x509');
    expect(Object.keys(pkg.devDependencies)).toContain('@peculiar/x509');
  });
});

describe('deploy/flux/stratus.yaml', () => {
  type FluxKustomization = KubeObject & {
    spec: {
      path: string;
      wait?: boolean;
      healthChecks?: { apiVersion: string; kind: string }[];
      healthCheckExprs?: { apiVersion: string; kind: string; current: string; failed?: string }[];
    };
  };
  const docs = parseAllDocuments(read('deploy', 'flux', 'stratus.yaml')).map((d) => d.toJS() as FluxKustomization);
  const flux = docs.filter((d) => d.kind === 'Kustomization');

  it("applies deploy/ and waits for it, then health-checks every Stratus object of the tenant's stack", () => {
    const stratus = flux.find((k) => k.metadata.name === 'stratus')!;
    expect(stratus.spec).toMatchObject({ path: './deploy', wait: true });
    expect(existsSync(join(root, stratus.spec.path, 'kustomization.yaml'))).toBe(true);
    const tenant = flux.find((k) => k.metadata.name === 'tenant-a')!;
    const checked = tenant.spec.healthChecks!.map((h) => `${h.apiVersion}/${h.kind}/${(h as { name?: string }).name}`).sort();
    const stack = parseAllDocuments(read('examples', '03-tenant-stack.yaml')).map((d) => d.toJS() as KubeObject);
    expect(checked).toEqual(stack.filter((o) => o.apiVersion === 'stratus.dev/v1alpha1').map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.name}`).sort());
  });

  it('has Scaler health expressions that compile and judge as the Argo CD check does', () => {
    const expr = flux.find((k) => k.metadata.name === 'tenant-a')!.spec.healthCheckExprs!.find((e) => e.kind === 'Scaler')!;
    const evaluate = (source: string, obj: Record<string, unknown>) => {
      const compiled = compile(source);
      if ('error' in compiled) throw new Error(compiled.error);
      const r = execute(compiled.program, { metadata: {}, spec: {}, status: {}, ...obj });
      if ('error' in r) throw new Error(r.error);
      return r.value;
    };
    const c = (type: string, status: string, reason: string) => ({ type, status, reason, message: '' });
    const judge = (status: Record<string, unknown>) => ({ current: evaluate(expr.current, { status }), failed: evaluate(expr.failed!, { status }) });
    expect(judge({})).toEqual({ current: false, failed: false });
    expect(judge({ conditions: [c('Ready', 'False', 'Scaling'), c('Reconciling', 'True', 'Scaling')] })).toEqual({ current: false, failed: false });
    expect(judge({ conditions: [c('Ready', 'True', 'Scaling')] })).toEqual({ current: true, failed: false });
    expect(judge({ conditions: [c('Ready', 'False', 'X'), c('Stalled', 'True', 'X')] })).toEqual({ current: false, failed: true });
    expect(judge({ conditions: [c('Ready', 'True', 'Scaling'), c('ScalingActive', 'False', 'FailedGetPodsMetric')] }).failed).toBe(true);
    expect(judge({ conditions: [c('Ready', 'True', 'Scaling'), c('ScalingActive', 'False', 'ScalingDisabled')] })).toEqual({ current: true, failed: false });
    expect(judge({ conditions: [c('Ready', 'False', 'WarmingUp'), c('Reconciling', 'True', 'WarmingUp'), c('ScalingActive', 'False', 'FailedGetResourceMetric')] })).toEqual({ current: false, failed: false });
  });

  it('is not named kustomization.yaml (kustomize would read it as its own config)', () => {
    expect(existsSync(join(deployDir, 'flux', 'kustomization.yaml'))).toBe(false);
    expect(parse(read('deploy', 'kustomization.yaml'))).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' });
  });
});
