// The simulated metrics-server, read as users and autoscalers read the real
// one: through the apiserver's aggregation layer (`kubectl top`), with the
// load a namespace's stratus-sim-load ConfigMap sets.
import { ConfigMaps, Deployments } from '../../pkg/kube/resources.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';

let client: Client;
let ns: string;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'metrics');
});
afterAll(async () => {
  await deleteNamespace(client, ns);
  client.rest.close();
});

/** `kubectl top pods` rows as pod → milli-CPU. */
async function topPods(): Promise<Map<string, number>> {
  const r = await kubectl(['top', 'pods', '-n', ns, '--no-headers']);
  if (r.code !== 0) throw new Error(r.stderr);
  return new Map(
    r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [pod, cpu] = line.trim().split(/\s+/);
        return [pod!, Number(cpu!.replace(/m$/, ''))];
      }),
  );
}

it('serves pod metrics to kubectl top, sharing the configured load among the selected pods', async () => {
  await client.create(Deployments, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '200m', memory: '64Mi' } } }] } },
    },
  });
  // Unloaded pods use a tenth of their request.
  const idle = await eventually(async () => {
    const top = await topPods().catch(() => undefined);
    return top?.size === 2 ? top : undefined;
  }, 60_000, 'two pods in kubectl top');
  expect([...idle.values()]).toEqual([20, 20]);

  await client.create(ConfigMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stratus-sim-load', namespace: ns }, data: { web: '900m app=web' } });
  const loaded = await eventually(async () => {
    const top = await topPods().catch(() => undefined);
    return top && [...top.values()].every((m) => m === 450) ? top : undefined;
  }, 60_000, 'the load shared by the two pods');
  expect(loaded.size).toBe(2);
}, 150_000);

it('serves node metrics to kubectl top nodes', async () => {
  const r = await kubectl(['top', 'nodes', '--no-headers']);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^stratus-node-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/m);
});
