// The App controller on the real control plane with the simulators: the
// examples become Ready as the revision Deployment and Service they
// describe, the scale subresource drives the revision, a new image rolls out
// as a new revision, failures are reported as Stalled (an instance no node
// can run at once, with the scheduler's reason), steady state is silent,
// and deleting an App leaves its Volume alone.
import { stringify } from 'yaml';
import { Apps, Volumes } from '../../pkg/api/resources.js';
import type { App, Volume } from '../../pkg/api/types.generated.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import type { Deployment, Pod, Service } from '../../pkg/kube/core-types.js';
import { Deployments, Pods, Services } from '../../pkg/kube/resources.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';
import { settled } from '../support/operator.js';
import { appExampleIn, condition, latestDeployment, readyNow, revisionDeployments, startAppOperator } from './support.js';
import { testApp } from '../support/fixtures.js';

let client: Client;
let ns: string;
let operator: RunningOperator;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'app');
  operator = await startAppOperator(ns);
});
afterAll(async () => {
  await operator?.stop();
  await deleteNamespace(client, ns);
  client.rest.close();
});

const apply = async (objects: unknown[]) => {
  const r = await kubectl(['apply', '--server-side', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'));
  expect(r.stderr).toBe('');
};
const getApp = (name: string) => client.get<App>(Apps, ns, name);
const waitReady = (name: string, what = `App ${name} Ready`, timeoutMs = 60_000) =>
  eventually(async () => {
    const a = await getApp(name);
    return readyNow(a) ? a : undefined;
  }, timeoutMs, what);
const appPods = async (name: string) =>
  (await client.list<Pod>(Pods, { namespace: ns, labelSelector: `stratus.dev/app=${name}` })).items.filter((p) => !p.metadata.deletionTimestamp);
const app = (name: string, spec: Partial<App['spec']>) => testApp(ns, name, spec);

it('makes the App examples Ready as a Deployment and a Service of the described shape', async () => {
  await apply([...appExampleIn('02-app-with-volume.yaml', ns), ...appExampleIn('05-scale-to-zero.yaml', ns)]);
  const wait = await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'apps.stratus.dev/uploads', 'apps.stratus.dev/worker', '--timeout=60s']);
  expect(wait.stderr).toBe('');
  expect(wait.code).toBe(0);

  const uploads = await getApp('uploads');
  const d = await client.get<Deployment>(Deployments, ns, 'uploads-00001');
  expect(d.metadata.ownerReferences).toEqual([{ apiVersion: 'stratus.dev/v1alpha1', kind: 'App', name: 'uploads', uid: uploads.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  expect(d.spec.replicas).toBe(2);
  expect(d.spec.selector).toEqual({ matchLabels: { 'stratus.dev/app': 'uploads', 'stratus.dev/revision': 'uploads-00001' } });
  expect(d.spec.template.metadata?.labels).toEqual({ 'app.kubernetes.io/managed-by': 'stratus', 'stratus.dev/app': 'uploads', 'stratus.dev/revision': 'uploads-00001' });
  const c = d.spec.template.spec.containers[0]!;
  expect(c).toMatchObject({
    name: 'app',
    image: 'ghcr.io/stratus-examples/uploads:1.4.2',
    env: [{ name: 'UPLOAD_DIR', value: '/data' }],
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3 },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
    volumeMounts: [{ name: 'uploads-data', mountPath: '/data' }],
  });
  expect(d.spec.template.spec.volumes).toEqual([{ name: 'uploads-data', persistentVolumeClaim: { claimName: 'uploads-data' } }]);
  const svc = await client.get<Service>(Services, ns, 'uploads');
  expect(svc.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'App', name: 'uploads', controller: true });
  expect(svc.spec).toMatchObject({ type: 'ClusterIP', selector: { 'stratus.dev/app': 'uploads', 'stratus.dev/revision': 'uploads-00001' }, ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }] });

  expect(uploads.status).toMatchObject({
    replicas: 2,
    readyReplicas: 2,
    updatedReplicas: 2,
    availableReplicas: 2,
    selector: 'stratus.dev/app=uploads',
    address: `uploads.${ns}.svc:8080`,
    url: `http://uploads.${ns}.svc:8080`,
    latestCreatedRevision: 'uploads-00001',
    latestReadyRevision: 'uploads-00001',
    revisions: [{ name: 'uploads-00001', image: 'ghcr.io/stratus-examples/uploads:1.4.2', created: d.metadata.creationTimestamp, ready: true, replicas: 2, percent: 100 }],
    traffic: [{ revision: 'uploads-00001', latestRevision: true, percent: 100 }],
  });
  expect(condition(uploads, 'Ready')).toMatchObject({ reason: 'Available', message: '2/2 instances available' });
  expect(condition(uploads, 'Reconciling')).toBeUndefined();
  const pods = await appPods('uploads');
  expect(pods).toHaveLength(2);
  expect(pods.every((p) => p.status?.phase === 'Running')).toBe(true);
  const volume = await client.get<Volume>(Volumes, ns, 'uploads-data');
  expect(volume.status).toMatchObject({ phase: 'InUse', usedBy: [{ kind: 'App', name: 'uploads' }] });

  // Scale to zero: Ready with nothing running, and no Service (expose None).
  const worker = await getApp('worker');
  expect(condition(worker, 'Ready')).toMatchObject({ status: 'True', reason: 'ScaledToZero' });
  expect(worker.status).toMatchObject({ replicas: 0, availableReplicas: 0, selector: 'stratus.dev/app=worker' });
  expect(worker.status?.address).toBeUndefined();
  expect((await client.get<Deployment>(Deployments, ns, 'worker-00001')).spec.replicas).toBe(0);
  expect(await client.tryGet(Services, ns, 'worker')).toBeUndefined();
});

it("scales through the scale subresource: kubectl scale reaches the revision's Deployment", async () => {
  const r = await kubectl(['-n', ns, 'scale', 'apps.stratus.dev/uploads', '--replicas=3']);
  expect(r.stderr).toBe('');
  await eventually(async () => (await client.get<Deployment>(Deployments, ns, 'uploads-00001')).spec.replicas === 3, 20_000, 'Deployment scaled to 3');
  const scaled = await eventually(async () => {
    const a = await getApp('uploads');
    return readyNow(a) && a.status?.availableReplicas === 3 ? a : undefined;
  }, 30_000, 'uploads Ready with 3');
  expect(scaled.spec.replicas).toBe(3);
  const scale = JSON.parse((await kubectl(['-n', ns, 'get', 'apps.stratus.dev/uploads', '--subresource=scale', '-o', 'json'])).stdout);
  expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 3 }, status: { replicas: 3, selector: 'stratus.dev/app=uploads' } });

  // From zero and back.
  expect((await kubectl(['-n', ns, 'scale', 'apps.stratus.dev/worker', '--replicas=1'])).code).toBe(0);
  const woken = await eventually(async () => {
    const a = await getApp('worker');
    return readyNow(a) && a.status?.availableReplicas === 1 ? a : undefined;
  }, 30_000, 'worker running one instance');
  expect(condition(woken, 'Ready')?.reason).toBe('Available');
  expect(await appPods('worker')).toHaveLength(1);
  expect((await kubectl(['-n', ns, 'scale', 'apps.stratus.dev/worker', '--replicas=0'])).code).toBe(0);
  await eventually(async () => {
    const a = await getApp('worker');
    return readyNow(a) && condition(a, 'Ready')?.reason === 'ScaledToZero' && a.status?.replicas === 0;
  }, 30_000, 'worker back to zero');
  await eventually(async () => (await appPods('worker')).length === 0, 20_000, 'worker pods gone');
});

it('rolls out a new image as a new revision: traffic and instances move to it once it is ready, the old one stays for rollback', async () => {
  const image = 'ghcr.io/stratus-examples/uploads:1.5.0';
  await client.patch(Apps, ns, 'uploads', { merge: { spec: { image } } });
  const seen = new Set<string>();
  const done = await eventually(async () => {
    const a = await getApp('uploads');
    const ready = condition(a, 'Ready');
    seen.add(`${ready?.status}:${ready?.reason}`);
    return readyNow(a) && a.status?.updatedReplicas === 3 && a.status.replicas === 3 ? a : undefined;
  }, 60_000, 'rollout done');
  expect(seen).toContain('False:RollingOut');
  expect(done.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3, latestCreatedRevision: 'uploads-00002', latestReadyRevision: 'uploads-00002' });
  expect(done.status?.traffic).toEqual([{ revision: 'uploads-00002', latestRevision: true, percent: 100 }]);
  expect(done.status?.revisions?.map((r) => [r.name, r.image, r.ready, r.replicas, r.percent])).toEqual([
    ['uploads-00002', image, true, 3, 100],
    ['uploads-00001', 'ghcr.io/stratus-examples/uploads:1.4.2', true, 0, 0],
  ]);
  const d = await client.get<Deployment>(Deployments, ns, 'uploads-00002');
  expect(d.spec.template.spec.containers[0]!.image).toBe(image);
  expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  // The first revision is kept, with no instances: immutable, its template as it was.
  const first = await client.get<Deployment>(Deployments, ns, 'uploads-00001');
  expect(first.spec.replicas).toBe(0);
  expect(first.spec.template.spec.containers[0]!.image).toBe('ghcr.io/stratus-examples/uploads:1.4.2');
  expect((await client.get<Service>(Services, ns, 'uploads')).spec.selector).toEqual({ 'stratus.dev/app': 'uploads', 'stratus.dev/revision': 'uploads-00002' });
  await eventually(async () => {
    const pods = await appPods('uploads');
    return pods.length === 3 && pods.every((p) => p.spec.containers[0]!.image === image);
  }, 20_000, 'only new pods left');
});

it('leaves fields of other actors alone: a rollout restart is carried out, not reverted', async () => {
  const r = await kubectl(['-n', ns, 'rollout', 'restart', 'deployment/uploads-00002']);
  expect(r.code).toBe(0);
  const before = (await client.get<Deployment>(Deployments, ns, 'uploads-00002')).spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
  expect(before).toBeDefined();
  await eventually(async () => {
    const d = await client.get<Deployment>(Deployments, ns, 'uploads-00002');
    return d.status?.observedGeneration === d.metadata.generation && d.status?.updatedReplicas === 3 && d.status.replicas === 3 && d.status.availableReplicas === 3;
  }, 60_000, 'restart rolled out');
  await waitReady('uploads');
  const after = await client.get<Deployment>(Deployments, ns, 'uploads-00002');
  expect(after.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe(before);
});

it('reports an image that cannot be pulled as Stalled, and recovers when it is fixed', async () => {
  await client.create(Apps, app('broken', { image: 'registry.example/does-not-exist:1', replicas: 1 }));
  const stalled = await eventually(async () => {
    const a = await getApp('broken');
    return condition(a, 'Stalled') ? a : undefined;
  }, 30_000, 'broken App Stalled');
  const s = condition(stalled, 'Stalled')!;
  expect(['ErrImagePull', 'ImagePullBackOff']).toContain(s.reason);
  expect(s.message).toMatch(/^pod broken-[a-z0-9-]+: .*registry\.example\/does-not-exist:1/);
  expect(condition(stalled, 'Ready')).toMatchObject({ status: 'False', reason: s.reason });
  expect(condition(stalled, 'Reconciling')).toBeUndefined();

  await client.patch(Apps, ns, 'broken', { merge: { spec: { image: 'ghcr.io/stratus-examples/tiny:1.0' } } });
  const fixed = await waitReady('broken');
  expect(condition(fixed, 'Stalled')).toBeUndefined();
});

it("reports a rollout past the Deployment's progress deadline as Stalled, as the deployment controller decides it", async () => {
  // Instances whose readiness probe starts only after an hour never become available.
  await client.create(Apps, app('slow', { replicas: 1, ports: [{ name: 'http', port: 8080 }], healthCheck: { http: { path: '/ready', port: 8080 }, initialDelaySeconds: 3600 } } as never));
  // The deployment controller re-checks a deadline only for a Deployment whose status already has a
  // Progressing condition (kubernetes#34458), so the deadline is shortened once it has one.
  await eventually(async () => (await client.tryGet<Deployment>(Deployments, ns, 'slow-00001'))?.status?.conditions?.some((c) => c.type === 'Progressing'), 30_000, 'the rollout progressing');
  // Another actor shortens the deadline; Stratus does not own the field, so it stays.
  await client.patch(Deployments, ns, 'slow-00001', { merge: { spec: { progressDeadlineSeconds: 3 } } });
  const stalled = await eventually(async () => {
    const a = await getApp('slow');
    return condition(a, 'Stalled')?.reason === 'ProgressDeadlineExceeded' ? a : undefined;
  }, 60_000, 'slow App Stalled by the progress deadline');
  expect(condition(stalled, 'Stalled')?.message).toMatch(/^ReplicaSet "slow-00001-[a-z0-9]+" has timed out progressing\.$/);
  expect(condition(stalled, 'Ready')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
  expect(condition(stalled, 'Reconciling')).toBeUndefined();
  expect((await client.get<Deployment>(Deployments, ns, 'slow-00001')).spec.progressDeadlineSeconds).toBe(3);

  // Dropping the delay makes a revision without it, which fixes the App; the stuck one is left without instances.
  await client.patch(Apps, ns, 'slow', { merge: { spec: { healthCheck: { http: { path: '/ready', port: 8080 }, initialDelaySeconds: 0 } } } });
  const fixed = await waitReady('slow');
  expect(condition(fixed, 'Stalled')).toBeUndefined();
  expect(fixed.status?.traffic).toEqual([{ revision: 'slow-00002', latestRevision: true, percent: 100 }]);
  expect((await client.get<Deployment>(Deployments, ns, 'slow-00002')).spec.template.spec.containers[0]!.readinessProbe?.initialDelaySeconds).toBeUndefined();
  expect((await client.get<Deployment>(Deployments, ns, 'slow-00001')).spec.replicas).toBe(0);
});

it("says at once, with the scheduler's reason, when no node can run an instance, and recovers when one can", async () => {
  // Each of the 3 simulated nodes has 32 CPUs.
  await client.create(Apps, app('huge', { replicas: 1, resources: { requests: { cpu: '64' } } }));
  const stalled = await eventually(async () => {
    const a = await getApp('huge');
    return condition(a, 'Stalled') ? a : undefined;
  }, 30_000, 'huge App Stalled');
  expect(condition(stalled, 'Stalled')).toMatchObject({ reason: 'ErrorUnschedulable', message: expect.stringMatching(/^pod huge-00001-[a-z0-9]+-[a-z0-9]+: 0\/3 nodes are available: 3 Insufficient cpu\./) });
  expect(condition(stalled, 'Ready')).toMatchObject({ status: 'False', reason: 'ErrorUnschedulable' });
  // Well before a Deployment's 10-minute progress deadline.
  expect(Date.parse(condition(stalled, 'Stalled')!.lastTransitionTime) - Date.parse(stalled.metadata.creationTimestamp!)).toBeLessThan(30_000);

  await client.patch(Apps, ns, 'huge', { merge: { spec: { resources: { requests: { cpu: '1' } } } } });
  const fixed = await waitReady('huge');
  expect(condition(fixed, 'Stalled')).toBeUndefined();
  expect(fixed.status?.latestReadyRevision).toBe('huge-00002');
  await client.delete(Apps, ns, 'huge');
});

it('refuses a ReadWriteOnce Volume shared by several replicas, naming the field, and creates nothing', async () => {
  await apply([
    { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name: 'single', namespace: ns }, spec: { size: '1Gi', accessMode: 'ReadWriteOnce' } },
    app('rwo', { replicas: 2, volumes: [{ name: 'single', mountPath: '/data' }] as never }),
  ]);
  const stalled = await eventually(async () => {
    const a = await getApp('rwo');
    return condition(a, 'Stalled') ? a : undefined;
  }, 30_000, 'rwo Stalled');
  expect(condition(stalled, 'Stalled')).toMatchObject({ reason: 'VolumeAccessMode', message: expect.stringContaining('spec.volumes[single]: Volume single is ReadWriteOnce') });
  expect(condition(stalled, 'Stalled')?.message).toContain('2 replicas');
  expect(await revisionDeployments(client, ns, 'rwo')).toEqual([]);

  expect((await kubectl(['-n', ns, 'scale', 'apps.stratus.dev/rwo', '--replicas=1'])).code).toBe(0);
  await waitReady('rwo');
  expect((await client.get<Deployment>(Deployments, ns, 'rwo-00001')).spec.replicas).toBe(1);
});

it('states resources as the apiserver stores them, so a steady state makes no API writes, even when woken', async () => {
  await client.create(Apps, app('quantities', { replicas: 1, resources: { requests: { cpu: '0.1', memory: '1024Mi' }, limits: { cpu: 1, memory: '1.5Gi' } } }));
  await waitReady('quantities');
  expect((await latestDeployment(client, ns, 'quantities'))!.spec.template.spec.containers[0]!.resources).toEqual({
    requests: { cpu: '100m', memory: '1Gi' },
    limits: { cpu: '1', memory: '1536Mi' },
  });
  const before = await settled([operator]);
  // Another actor's annotation or label wakes the controller for every App and every child; nothing about them changed.
  // (Labels on the Deployments: an annotation there bumps the Deployment's generation, which is a new rollout to wait for.)
  const names = (await client.list<App>(Apps, { namespace: ns })).items.map((a) => a.metadata.name!);
  for (const name of names) await client.patch(Apps, ns, name, { merge: { metadata: { annotations: { 'example.com/touched': String(Date.now()) } } } });
  for (const name of names) for (const d of await revisionDeployments(client, ns, name)) await client.patch(Deployments, ns, d.metadata.name!, { merge: { metadata: { labels: { 'example.com/touched': 'yes' } } } });
  await client.patch(Services, ns, 'uploads', { merge: { metadata: { labels: { 'example.com/team': 'storage' } } } });
  expect(await settled([operator])).toBe(before);
  // What other actors set stays.
  expect((await client.get<KubeObject>(Services, ns, 'uploads')).metadata.labels?.['example.com/team']).toBe('storage');
});

it('deletes the revisions and the Service with the App, but not the Volume it mounted', async () => {
  const uid = (await client.get<Deployment>(Deployments, ns, 'uploads-00002')).metadata.uid;
  expect((await kubectl(['-n', ns, 'delete', 'apps.stratus.dev/uploads', '--wait=true', '--timeout=30s'])).code).toBe(0);
  // The garbage collector of kube-controller-manager picks up a new kind (here: Apps) on its next
  // discovery resync (every 30 s), so the first deletion in a fresh control plane may take that long.
  await eventually(async () => (await client.tryGet(Deployments, ns, 'uploads-00002'))?.metadata.uid !== uid, 60_000, 'Deployment collected');
  await eventually(async () => (await client.tryGet(Services, ns, 'uploads')) === undefined, 30_000, 'Service collected');
  await eventually(async () => (await appPods('uploads')).length === 0, 30_000, 'pods gone');
  expect(await revisionDeployments(client, ns, 'uploads')).toEqual([]);
  const volume = await eventually(async () => {
    const v = await client.get<Volume>(Volumes, ns, 'uploads-data');
    return v.status?.usedBy === undefined ? v : undefined;
  }, 20_000, 'Volume no longer used');
  expect(volume.metadata.deletionTimestamp).toBeUndefined();
  expect(volume.status?.phase).toBe('Available');
});
