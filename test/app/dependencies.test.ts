// Apps and what they depend on, on the real control plane with the
// simulators: an App waits (creating no pods) until its dependencies are
// Ready, gets their addresses in its environment and rolls out when they
// change, keeps running when a dependency falters later, picks up a
// dependency that appears, and rejects an address a Volume cannot have.
import { stringify } from 'yaml';
import { Apps, VirtualMachines } from '../../pkg/api/resources.js';
import type { App, VirtualMachine } from '../../pkg/api/types.generated.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import type { Pod, Service } from '../../pkg/kube/core-types.js';
import { Pods, Services } from '../../pkg/kube/resources.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';
import { settled } from '../support/operator.js';
import { appExampleIn, condition, latestDeployment, readyNow, revisionDeployments, startAppOperator, waitForApp } from './support.js';
import { testApp } from '../support/fixtures.js';

let client: Client;
let ns: string;
let operator: RunningOperator;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'app-deps');
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
const waitFor = (name: string, test: (a: App) => boolean, what: string, timeoutMs?: number) => waitForApp(client, ns, name, test, what, timeoutMs);
const latest = async (name: string) => (await latestDeployment(client, ns, name))!;
const envOf = async (name: string) => (await latest(name)).spec.template.spec.containers[0]!.env as { name: string; value?: string; valueFrom?: unknown }[];
const appPods = async (name: string) =>
  (await client.list<Pod>(Pods, { namespace: ns, labelSelector: `stratus.dev/app=${name}` })).items.filter((p) => !p.metadata.deletionTimestamp);
const app = (name: string, spec: Partial<App['spec']>) => testApp(ns, name, spec);

it('waits for a VM that is not ready, creating no pods, then starts the tenant web App with the database address', async () => {
  const stack = appExampleIn('03-tenant-stack.yaml', ns);
  const volume = stack.find((o) => o.kind === 'Volume')!;
  // Everything but the database's Volume: the VM waits for it, the App for the VM.
  await apply(stack.filter((o) => o !== volume));
  // Once the Network is up, only the VM is missing: it is Pending (waiting for its Volume).
  const waiting = await waitFor('web', (a) => condition(a, 'Reconciling')?.message === 'waiting for VirtualMachine db (Pending)', 'web waiting for db alone');
  expect(condition(waiting, 'Reconciling')?.reason).toBe('WaitingForDependency');
  expect(condition(waiting, 'Ready')).toMatchObject({ status: 'False', reason: 'WaitingForDependency' });
  expect(waiting.status?.dependencies).toEqual([{ kind: 'VirtualMachine', name: 'db', ready: false }]);
  const db = await client.get<VirtualMachine>(VirtualMachines, ns, 'db');
  expect(condition(db, 'Ready')?.status).toBe('False');
  await settled([operator]);
  expect(await revisionDeployments(client, ns, 'web')).toEqual([]);
  expect(await appPods('web')).toEqual([]);

  await apply([volume]);
  const wait = await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'apps.stratus.dev/web', '--timeout=90s']);
  expect(wait.stderr).toBe('');
  const web = await getApp('web');
  expect(web.status).toMatchObject({
    replicas: 2,
    availableReplicas: 2,
    address: `web.${ns}.svc:8080`,
    dependencies: [{ kind: 'VirtualMachine', name: 'db', ready: true, address: `db.${ns}.svc:5432` }],
  });
  expect(await envOf('web')).toEqual([
    { name: 'DATABASE_HOST', value: `db.${ns}.svc` },
    { name: 'DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
  ]);
  const template = (await latest('web')).spec.template;
  expect(template.metadata?.labels).toEqual({ tier: 'web', 'app.kubernetes.io/managed-by': 'stratus', 'stratus.dev/app': 'web', 'net.stratus.dev/private': 'true', 'stratus.dev/revision': 'web-00001' });
  expect(JSON.parse(template.metadata!.annotations!['k8s.v1.cni.cncf.io/networks']!)).toEqual([{ name: 'private.app.web', namespace: ns, interface: 'private' }]);
  expect((await client.get<Service>(Services, ns, 'web')).spec).toMatchObject({ type: 'LoadBalancer', ports: [{ name: 'http', port: 8080, targetPort: 8080 }] });
  // The pods run attached to the Network, each with an address of the App's pool (2 instances + 1 for a rollout's surge).
  expect(web.status?.networks).toEqual([{ name: 'private', attachmentDefinition: 'private.app.web', allocated: 3, addresses: expect.any(Array) }]);
  const pool = web.status!.networks![0]!.addresses!;
  const pods = await appPods('web');
  expect(pods).toHaveLength(2);
  const addresses = pods.map((pod) => {
    const status = JSON.parse(pod.metadata.annotations?.['k8s.v1.cni.cncf.io/network-status'] ?? '[]') as { name: string; ips: string[] }[];
    return status.find((s) => s.name === `${ns}/private.app.web`)?.ips[0];
  });
  expect(new Set(addresses).size).toBe(2);
  for (const ip of addresses) expect(pool).toContain(ip);
  // The database VM's fixed address and the gateway are not among them.
  expect(pool).toHaveLength(3);
  expect(pool).not.toContain('10.60.0.10');
  expect(pool).not.toContain('10.60.0.1');
});

it('puts an App dependency address into the environment and rolls out when it changes', async () => {
  await apply([
    app('api', { replicas: 1, ports: [{ name: 'http', port: 8080 }] as never }),
    app('client', { replicas: 1, dependsOn: [{ kind: 'App', name: 'api' }], env: [{ name: 'API_URL', dependency: { kind: 'App', name: 'api', property: 'url' } }] as never }),
  ]);
  await waitFor('client', readyNow, 'client Ready');
  expect(await envOf('client')).toEqual([{ name: 'API_URL', value: `http://api.${ns}.svc:8080` }]);
  const before = (await appPods('client')).map((p) => p.metadata.uid);

  await client.patch(Apps, ns, 'api', { merge: { spec: { ports: [{ name: 'http', port: 9090 }] } } });
  await eventually(async () => (await envOf('client'))[0]?.value === `http://api.${ns}.svc:9090`, 30_000, 'client env updated');
  const rolled = await waitFor('client', (a) => readyNow(a) && a.status?.dependencies?.[0]?.address === `api.${ns}.svc:9090`, 'client rolled out');
  expect(rolled.status?.dependencies).toEqual([{ kind: 'App', name: 'api', ready: true, address: `api.${ns}.svc:9090` }]);
  await eventually(async () => {
    const pods = await appPods('client');
    return pods.length === 1 && !before.includes(pods[0]!.metadata.uid);
  }, 30_000, 'client pod replaced');
});

it('keeps a started App running when a dependency becomes unready, and says what it waits for', async () => {
  await client.patch(Apps, ns, 'api', { merge: { spec: { image: 'ghcr.io/stratus-examples/does-not-exist:1' } } });
  await waitFor('api', (a) => !!condition(a, 'Stalled'), 'api Stalled');
  // On the way the client may say it waits for api's controller to see the new image; it ends up saying why api is not ready.
  const waiting = await waitFor('client', (a) => condition(a, 'Reconciling')?.reason === 'WaitingForDependency' && /ErrImagePull|ImagePullBackOff/.test(condition(a, 'Reconciling')!.message), 'client waiting for api');
  expect(condition(waiting, 'Reconciling')?.message).toMatch(/^waiting for App api \((ErrImagePull|ImagePullBackOff)\); the instances are kept \(1 available\)$/);
  expect(waiting.status?.dependencies?.[0]).toMatchObject({ kind: 'App', name: 'api', ready: false });
  const d = await latest('client');
  expect(d.status?.availableReplicas).toBe(1);
  // A scale while waiting still applies.
  expect((await kubectl(['-n', ns, 'scale', 'apps.stratus.dev/client', '--replicas=2'])).code).toBe(0);
  await eventually(async () => (await latest('client')).spec.replicas === 2, 20_000, 'client scaled while waiting');

  await client.patch(Apps, ns, 'api', { merge: { spec: { image: 'ghcr.io/stratus-examples/tiny:1.1' } } });
  const back = await waitFor('client', (a) => readyNow(a) && a.status?.availableReplicas === 2, 'client Ready again');
  expect(back.status?.dependencies?.[0]).toMatchObject({ ready: true });
});

it('reports a missing dependency and picks it up when it appears', async () => {
  await apply([app('early', { replicas: 1, dependsOn: [{ kind: 'App', name: 'late' }] })]);
  const waiting = await waitFor('early', (a) => condition(a, 'Reconciling')?.reason === 'WaitingForDependency', 'early waiting');
  expect(condition(waiting, 'Reconciling')?.message).toBe('waiting for App late (does not exist)');
  expect(await revisionDeployments(client, ns, 'early')).toEqual([]);

  await apply([app('late', { replicas: 1 })]);
  await waitFor('early', readyNow, 'early Ready after late appeared');
  expect((await getApp('late')).status?.replicas).toBe(1);
});

it('rejects an address from a Volume, naming the field', async () => {
  await apply([
    { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name: 'files', namespace: ns }, spec: { size: '1Gi' } },
    app('addr', { dependsOn: [{ kind: 'Volume', name: 'files' }], env: [{ name: 'FILES', dependency: { kind: 'Volume', name: 'files' } }] as never }),
  ]);
  const stalled = await waitFor('addr', (a) => !!condition(a, 'Stalled'), 'addr Stalled');
  expect(condition(stalled, 'Stalled')).toMatchObject({ reason: 'InvalidDependency', message: 'spec.env[FILES]: a Volume has no address' });
  expect(await revisionDeployments(client, ns, 'addr')).toEqual([]);
});

it('makes no API writes in steady state, even when woken', async () => {
  const before = await settled([operator]);
  const touch = { metadata: { annotations: { 'example.com/touched': String(Date.now()) } } };
  for (const a of (await client.list<App>(Apps, { namespace: ns })).items) await client.patch(Apps, ns, a.metadata.name!, { merge: touch });
  for (const o of (await client.list<KubeObject>(VirtualMachines, { namespace: ns })).items) await client.patch(VirtualMachines, ns, o.metadata.name!, { merge: touch });
  expect(await settled([operator])).toBe(before);
});
