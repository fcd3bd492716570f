// The Scaler end to end, on Deployments (any kind with a scale subresource):
// a real Prometheus query following a load step up and down, scale to zero
// and back on an object field, fallback when metrics fail, and history that
// survives a controller restart inside a stabilization window.
import { Apps, Scalers, VirtualMachines } from '../../pkg/api/resources.js';
import type { App, Scaler, VirtualMachine } from '../../pkg/api/types.generated.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import { ConfigMaps, Deployments } from '../../pkg/kube/resources.js';
import { KubeVirtVirtualMachines } from '../../pkg/contracts/kubevirt/index.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import { sleep } from '../../pkg/util/sleep.js';
import { stratus } from '../support/cli.js';
import { createNamespace, deleteNamespace, eventually, kubeconfigPath, kubectl, testClient } from '../support/kube.js';
import { settled, startTestOperator } from '../support/operator.js';
import { LoadGenerator, Prometheus } from '../support/prometheus.js';

let client: Client;
let ns: string;
let operator: RunningOperator;
const load = new LoadGenerator();
const prometheus = new Prometheus();

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'scaler');
  operator = await startTestOperator(ns);
  await load.start();
  await prometheus.start([`127.0.0.1:${load.port}`]);
});
afterAll(async () => {
  await operator?.stop();
  await prometheus.stop();
  await load.stop();
  await deleteNamespace(client, ns);
  client.rest.close();
});

async function deployment(name: string, replicas: number): Promise<void> {
  await client.create(Deployments, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'worker', image: 'busybox', resources: { requests: { cpu: '100m', memory: '32Mi' } } }] } },
    },
  });
}

function scaler(name: string, spec: Partial<Scaler['spec']>): Scaler {
  return {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'Scaler',
    metadata: { name, namespace: ns },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, maxReplicas: 10, pollingIntervalSeconds: 1, ...spec } as Scaler['spec'],
  };
}

const replicasOf = async (name: string) => ((await client.get(Deployments, ns, name)).spec as { replicas: number }).replicas;

it('follows a load step up and down through a real Prometheus query, honouring the behavior', async () => {
  load.set('stratus_queue_depth', 5);
  await deployment('queue', 1);
  await client.create(
    Scalers,
    scaler('queue', {
      minReplicas: 1,
      metrics: [{ type: 'Prometheus', prometheus: { serverAddress: prometheus.url, query: 'stratus_queue_depth', threshold: '10', metricType: 'AverageValue', ignoreNullValues: false } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 3 },
      },
    }),
  );
  await eventually(async () => findCondition((await client.get<Scaler>(Scalers, ns, 'queue')).status?.conditions, 'ScalingActive')?.status === 'True', 30_000, 'scaling active');
  expect(await replicasOf('queue')).toBe(1);

  // Step up to 60 queued items: 6 replicas wanted, but at most 2 more per minute.
  load.set('stratus_queue_depth', 60);
  await eventually(async () => (await replicasOf('queue')) === 3, 30_000, 'scaled to 3');
  const limited = await eventually(async () => {
    const s = await client.get<Scaler>(Scalers, ns, 'queue');
    return findCondition(s.status?.conditions, 'ScalingLimited')?.reason === 'ScaleUpLimit' ? s : undefined;
  }, 10_000, 'ScaleUpLimit');
  expect(limited.status?.desiredReplicas).toBe(3);
  // The decision names the number and what held it back, in status, kubectl describe and stratus status.
  expect(limited.status?.decision).toMatchObject({
    limitedBy: 'ScaleUpPolicy',
    recommendation: 6,
    metrics: [{ name: 'prometheus metric prometheus-0', replicas: 6 }],
    message: 'the metrics recommend 6; the scale-up policies allow 3 now',
  });
  expect((await kubectl(['-n', ns, 'describe', 'scaler', 'queue'])).stdout).toMatch(/Limited By:\s+ScaleUpPolicy/);
  const status = await stratus('status', '--kubeconfig', kubeconfigPath(), '-n', ns, 'ssc/queue');
  expect(status.stdout).toContain('ScaleUpPolicy: the metrics recommend 6; the scale-up policies allow 3 now');
  await settled([operator]);
  expect(await replicasOf('queue')).toBe(3);

  // Step down: after the 3 s stabilization window, back to 1.
  load.set('stratus_queue_depth', 4);
  const downAt = Date.now();
  await eventually(async () => (await replicasOf('queue')) === 1, 30_000, 'scaled down to 1');
  expect(Date.now() - downAt).toBeGreaterThanOrEqual(2500);

  const described = await kubectl(['-n', ns, 'describe', 'scaler', 'queue']);
  expect(described.stdout).toContain('SuccessfulRescale');
  expect(described.stdout).toMatch(/New size: 3; reason: .*above target/);
  expect(described.stdout).toContain('ScalingActive');
}, 120_000);

it('scales to zero after the cooldown and back up when work arrives', async () => {
  await client.create(ConfigMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'jobs', namespace: ns }, data: { pending: '0' } });
  await deployment('jobs', 1);
  await client.create(
    Scalers,
    scaler('jobs', {
      minReplicas: 0,
      cooldownPeriodSeconds: 3,
      pollingIntervalSeconds: 30,
      metrics: [
        {
          type: 'Object',
          object: {
            describedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: 'jobs' },
            metric: { name: 'pending' },
            fieldPath: '.data.pending',
            target: { type: 'AverageValue', averageValue: '5' },
          },
        },
      ],
    }),
  );
  // The polling interval is 30 s: the changes below are acted on because the ConfigMap changes.
  await client.patch(ConfigMaps, ns, 'jobs', { merge: { metadata: { annotations: { nudge: '1' } } } });
  await sleep(3500);
  await client.patch(ConfigMaps, ns, 'jobs', { merge: { metadata: { annotations: { nudge: '2' } } } });
  await eventually(async () => (await replicasOf('jobs')) === 0, 20_000, 'scaled to zero');
  const idle = await client.get<Scaler>(Scalers, ns, 'jobs');
  expect(findCondition(idle.status?.conditions, 'Active')?.status).toBe('False');

  const wokenAt = Date.now();
  await client.patch(ConfigMaps, ns, 'jobs', { merge: { data: { pending: '12' } } });
  await eventually(async () => (await replicasOf('jobs')) >= 1, 10_000, 'woken from zero');
  expect(Date.now() - wokenAt).toBeLessThan(5_000);
  await client.patch(ConfigMaps, ns, 'jobs', { merge: { metadata: { annotations: { nudge: '3' } } } });
  await eventually(async () => (await replicasOf('jobs')) === 3, 20_000, 'scaled to 3 for 12 jobs');
}, 90_000);

it('falls back to a fixed count after repeated metric failures and says so', async () => {
  await deployment('fragile', 1);
  await client.create(
    Scalers,
    scaler('fragile', {
      minReplicas: 1,
      metrics: [{ type: 'Prometheus', prometheus: { serverAddress: 'http://127.0.0.1:1', query: 'up', threshold: '1', metricType: 'AverageValue', ignoreNullValues: true } }],
      fallback: { failureThreshold: 2, replicas: 4 },
    }),
  );
  await eventually(async () => (await replicasOf('fragile')) === 4, 20_000, 'fallback replicas');
  // The status follows the /scale write in the same evaluation.
  const s = await eventually(async () => {
    const got = await client.get<Scaler>(Scalers, ns, 'fragile');
    return got.status?.desiredReplicas === 4 && got;
  }, 10_000, 'the status of the fallback');
  expect(s.status?.fallbackActive).toBe(true);
  expect(findCondition(s.status?.conditions, 'Fallback')).toMatchObject({ status: 'True' });
  expect(findCondition(s.status?.conditions, 'ScalingActive')?.message).toContain('unreachable');
}, 60_000);

it('holds a scale-down across a controller restart inside the window, and lets go when an uninterrupted controller would', async () => {
  load.set('stratus_busy', 40);
  await deployment('steady', 1);
  await client.create(
    Scalers,
    scaler('steady', {
      minReplicas: 1,
      metrics: [{ type: 'Prometheus', prometheus: { serverAddress: prometheus.url, query: 'stratus_busy', threshold: '10', metricType: 'AverageValue', ignoreNullValues: false } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 20 } },
    }),
  );
  await eventually(async () => (await replicasOf('steady')) === 4, 30_000, 'scaled to 4');
  load.set('stratus_busy', 5);
  // Status says when 4 was last recommended (rounded up to the second), once the recommendation drops.
  const held = await eventually(async () => {
    const s = await client.get<Scaler>(Scalers, ns, 'steady');
    const runs = s.status?.history?.recommendations ?? [];
    const run = runs.find((r) => r.replicas === 4 && r.until);
    return run && runs.at(-1)!.replicas === 1 && s.status?.decision?.limitedBy === 'ScaleDownStabilization' && s;
  }, 20_000, 'the scale-down held by the window');
  const until = Date.parse(held.status!.history!.recommendations!.find((r) => r.replicas === 4)!.until!);
  expect(held.status!.decision!.nextScaleDownTime).toBe(new Date(until + 20_000).toISOString().replace('.000Z', 'Z'));

  // Restart 8 s into the window: a controller that forgot the run would hold 4 until 20 s after its own start.
  await sleep(until + 8_000 - Date.now());
  await operator.stop();
  operator = await startTestOperator(ns);
  const after = await eventually(async () => (await client.get<Scaler>(Scalers, ns, 'steady')).status?.decision, 10_000, 'evaluated again');
  expect(after).toEqual(held.status!.decision);
  const downAt = await eventually(async () => (await replicasOf('steady')) === 1 && Date.now(), 40_000, 'scaled down after the window');
  // Not before the window ends (the last recommendation of 4 was at most 1 s before `until`), not after it
  // by more than an evaluation and some latency (a forgetful restart would take 28 s or more).
  expect(downAt - until).toBeGreaterThanOrEqual(19_000);
  expect(downAt - until).toBeLessThanOrEqual(24_500);
}, 120_000);

it('adds and removes VMs of a VM group on CPU, counting new VMs only after their warm-up', async () => {
  await kubectl(['-n', ns, 'create', 'configmap', 'stratus-sim-load']);
  await client.create(VirtualMachines, {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'VirtualMachine',
    metadata: { name: 'workers', namespace: ns },
    spec: { replicas: 2, rootDisk: { image: 'quay.io/containerdisks/fedora:41' } },
  });
  expect((await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'svm/workers', '--timeout=60s'])).code).toBe(0);
  await client.create(Scalers, {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'Scaler',
    metadata: { name: 'workers', namespace: ns },
    spec: {
      scaleTargetRef: { apiVersion: 'stratus.dev/v1alpha1', kind: 'VirtualMachine', name: 'workers' },
      minReplicas: 1,
      maxReplicas: 4,
      pollingIntervalSeconds: 1,
      warmupSeconds: 2,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 2 } },
    } as Scaler['spec'],
  });
  const vmReplicas = async () => (await client.get<VirtualMachine>(VirtualMachines, ns, 'workers')).spec.replicas;
  // Each VM's launcher requests 100m; 300m over the group is 150% → 3 VMs' worth… capped by the policies at 4.
  await client.patch(ConfigMaps, ns, 'stratus-sim-load', { merge: { data: { workers: '600m stratus.dev/virtualmachine=workers' } } });
  await eventually(async () => (await vmReplicas()) === 4, 60_000, 'scaled out to 4 VMs');
  await eventually(async () => (await client.get<VirtualMachine>(VirtualMachines, ns, 'workers')).status?.readyReplicas === 4, 60_000, '4 VMs ready');
  await client.patch(ConfigMaps, ns, 'stratus-sim-load', { merge: { data: { workers: '20m stratus.dev/virtualmachine=workers' } } });
  await eventually(async () => (await vmReplicas()) === 1, 60_000, 'scaled in to 1 VM');
  await eventually(async () => (await client.list(KubeVirtVirtualMachines, { namespace: ns, labelSelector: 'stratus.dev/virtualmachine=workers' })).items.length === 1, 60_000, 'one KubeVirt VM left');
}, 180_000);

it('scales an App on CPU through its scale subresource, following a load step up and down', async () => {
  await client.create(Apps, {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'App',
    metadata: { name: 'web', namespace: ns },
    spec: { image: 'nginx:1.27', replicas: 1, resources: { requests: { cpu: '100m', memory: '64Mi' } }, ports: [{ name: 'http', port: 80 }] },
  });
  expect((await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'sapp/web', '--timeout=60s'])).code).toBe(0);
  await client.create(Scalers, {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'Scaler',
    metadata: { name: 'web', namespace: ns },
    spec: {
      scaleTargetRef: { kind: 'App', name: 'web' },
      minReplicas: 1,
      maxReplicas: 6,
      pollingIntervalSeconds: 1,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      behavior: { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 5 }] }, scaleDown: { stabilizationWindowSeconds: 3 } },
    } as Scaler['spec'],
  });
  const appReplicas = async () => (await client.get<App>(Apps, ns, 'web')).spec.replicas;
  // 400m across the pods is 4 pods' worth at 50% of 100m each… but at most 2 more every 5 s.
  await client.patch(ConfigMaps, ns, 'stratus-sim-load', { merge: { data: { web: '400m stratus.dev/app=web' } } });
  await eventually(async () => (await appReplicas()) === 3, 30_000, 'first step: 3');
  await eventually(async () => (await appReplicas()) === 6, 40_000, 'second step: 6 (400m spread thinner keeps it above target… up to max)');
  expect((await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'sapp/web', '--timeout=60s'])).code).toBe(0);
  await client.patch(ConfigMaps, ns, 'stratus-sim-load', { merge: { data: { web: '40m stratus.dev/app=web' } } });
  await eventually(async () => (await appReplicas()) === 1, 60_000, 'back to 1');
  const events = await kubectl(['-n', ns, 'get', 'events', '--field-selector', 'involvedObject.name=web,involvedObject.kind=Scaler', '-o', 'jsonpath={.items[*].reason}']);
  expect(events.stdout).toContain('SuccessfulRescale');
}, 180_000);
