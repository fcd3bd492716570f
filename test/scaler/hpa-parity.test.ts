// The Scaler and the real HorizontalPodAutoscaler (kube-controller-manager's)
// side by side on twin Deployments under the same load: they must arrive at
// the same replica counts, up and down.
import { Scalers } from '../../pkg/api/resources.js';
import type { Scaler } from '../../pkg/api/types.generated.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import { ConfigMaps, Deployments, HorizontalPodAutoscalers } from '../../pkg/kube/resources.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { sleep } from '../../pkg/util/sleep.js';
import { createNamespace, deleteNamespace, eventually, testClient } from '../support/kube.js';
import { startTestOperator } from '../support/operator.js';

let client: Client;
let ns: string;
let operator: RunningOperator;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'parity');
  operator = await startTestOperator(ns);
});
afterAll(async () => {
  await operator?.stop();
  await deleteNamespace(client, ns);
  client.rest.close();
});

const spec = {
  minReplicas: 1,
  maxReplicas: 10,
  metrics: [{ type: 'Resource' as const, resource: { name: 'cpu' as const, target: { type: 'Utilization' as const, averageUtilization: 50 } } }],
  behavior: { scaleDown: { stabilizationWindowSeconds: 10 } },
};

async function deployment(name: string): Promise<void> {
  await client.create(Deployments, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '32Mi' } } }] } },
    },
  });
}

const replicas = async (name: string) => ((await client.get(Deployments, ns, name)).spec as { replicas: number }).replicas;

/** Both targets at the same count, and still there a while later. */
async function settledTogether(timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [h, s] = [await replicas('by-hpa'), await replicas('by-scaler')];
    if (h === s) {
      await sleep(20_000);
      const [h2, s2] = [await replicas('by-hpa'), await replicas('by-scaler')];
      if (h2 === h && s2 === s) return h;
    }
    if (Date.now() > deadline) throw new Error(`no agreement: HPA ${h}, Scaler ${s}`);
    await sleep(1000);
  }
}

it('agrees with the HorizontalPodAutoscaler on a load step up and down', async () => {
  await deployment('by-hpa');
  await deployment('by-scaler');
  await client.create(ConfigMaps, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'stratus-sim-load', namespace: ns },
    data: { hpa: '320m app=by-hpa', scaler: '320m app=by-scaler' },
  });
  await client.create(HorizontalPodAutoscalers, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'by-hpa', namespace: ns },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'by-hpa' }, ...spec },
  });
  await client.create(Scalers, {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'Scaler',
    metadata: { name: 'by-scaler', namespace: ns },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'by-scaler' }, ...spec },
  } as Scaler);

  // 320m on one pod requesting 100m is 320%: ceil(1 × 320/50) = 7 pods, each
  // then near 46%, inside the 10% tolerance, so 7 holds.
  await eventually(async () => (await replicas('by-hpa')) > 1 && (await replicas('by-scaler')) > 1, 90_000, 'both scaling up');
  const up = await settledTogether(150_000);
  expect(up).toBe(7);

  await client.patch(ConfigMaps, ns, 'stratus-sim-load', { merge: { data: { hpa: '40m app=by-hpa', scaler: '40m app=by-scaler' } } });
  await eventually(async () => (await replicas('by-hpa')) < up && (await replicas('by-scaler')) < up, 90_000, 'both scaling down');
  const down = await settledTogether(120_000);
  expect(down).toBe(1);

  const hpa = await client.get(HorizontalPodAutoscalers, ns, 'by-hpa');
  const scaler = await client.get<Scaler>(Scalers, ns, 'by-scaler');
  const reason = (conditions: { type: string; reason: string }[] | undefined, type: string) => conditions?.find((c) => c.type === type)?.reason;
  const hpaConditions = (hpa.status as { conditions?: { type: string; reason: string }[] }).conditions;
  for (const type of ['AbleToScale', 'ScalingActive', 'ScalingLimited']) {
    expect(`${type}=${reason(scaler.status?.conditions, type)}`).toBe(`${type}=${reason(hpaConditions, type)}`);
  }
}, 420_000);
