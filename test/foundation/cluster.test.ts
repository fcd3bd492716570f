// The shared control plane behaves like a real cluster: a real apiserver
// version, Ready nodes, Deployments that become Available, and garbage
// collection of what a deleted Deployment owned.
import { Deployments, Pods, ReplicaSets } from '../../pkg/kube/resources.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';

let client: Client;
let ns: string;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'cluster');
});
afterAll(async () => {
  await deleteNamespace(client, ns);
  client.rest.close();
});

it('serves the pinned Kubernetes release', async () => {
  const version = await kubectl(['version', '-o', 'json']);
  expect(version.code).toBe(0);
  expect(JSON.parse(version.stdout).serverVersion.gitVersion).toMatch(/^v1\.36\.\d+$/);
});

it('lists Ready nodes registered by the simulated kubelet', async () => {
  const nodes = await eventually(async () => {
    const r = await kubectl(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
    const lines = r.stdout.trim().split('\n').filter(Boolean);
    return lines.length >= 1 && lines.every((l) => l.endsWith('=True')) ? lines : undefined;
  });
  expect(nodes.length).toBeGreaterThanOrEqual(3);
});

it('rolls out a Deployment to Available and garbage-collects its ReplicaSet and pods on delete', async () => {
  const manifest = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27, resources: {requests: {cpu: 50m, memory: 32Mi}}}]
`;
  expect((await kubectl(['apply', '-f', '-'], manifest)).code).toBe(0);
  const wait = await kubectl(['-n', ns, 'wait', '--for=condition=Available', 'deployment/web', '--timeout=60s']);
  expect(wait.stderr).toBe('');
  expect(wait.code).toBe(0);
  const pods = await client.list(Pods, { namespace: ns, labelSelector: 'app=web' });
  expect(pods.items).toHaveLength(2);
  for (const pod of pods.items) {
    expect(pod.status).toMatchObject({ phase: 'Running', podIP: expect.stringMatching(/^10\.244\./) });
  }
  expect((await client.list(ReplicaSets, { namespace: ns })).items).toHaveLength(1);

  await client.delete(Deployments, ns, 'web');
  await eventually(async () => (await client.list(ReplicaSets, { namespace: ns })).items.length === 0, 30_000, 'ReplicaSet collected');
  await eventually(async () => (await client.list(Pods, { namespace: ns })).items.length === 0, 30_000, 'pods collected');
});
