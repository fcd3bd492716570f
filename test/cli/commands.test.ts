// stratus status, stratus install and stratus run (with leader election)
// against the local control plane, as a user runs them.
import { spawn, type ChildProcess } from 'node:child_process';
import { Volumes, VirtualMachines } from '../../pkg/api/resources.js';
import { Namespaces } from '../../pkg/kube/resources.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { stratus, stratusBin } from '../support/cli.js';
import { createNamespace, deleteNamespace, eventually, kubeconfigPath, testClient } from '../support/kube.js';

let client: Client;
let ns: string;
const children: ChildProcess[] = [];


function runController(id: string): { child: ChildProcess; log: string[] } {
  const child = spawn(
    process.execPath,
    [stratusBin, 'run', '--kubeconfig', kubeconfigPath(), '--namespace', ns, '--leader-elect', '--leader-election-namespace', ns, '--health-address', 'off', '--log-format', 'json'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOSTNAME: id } },
  );
  const log: string[] = [];
  child.stderr!.on('data', (d: Buffer) => log.push(...d.toString().split('\n').filter(Boolean)));
  children.push(child);
  return { child, log };
}

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'cli');
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await deleteNamespace(client, ns);
  client.rest.close();
});

it('prints usage and exit code 2 for bad invocations', async () => {
  const r = await stratus('status', '--bogus');
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("Unknown option '--bogus'");
  expect((await stratus('frobnicate')).code).toBe(2);
  const help = await stratus('sync', '--help');
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Usage: stratus sync');
});

it('checks the CRDs and the operator against the apiserver with install --dry-run', async () => {
  // Another test may have installed the operator's namespace for real.
  const existed = (await client.tryGet(Namespaces, undefined, 'stratus-system')) !== undefined;
  if (!existed) {
    const fresh = await stratus('install', '--kubeconfig', kubeconfigPath(), '--with-operator', '--dry-run');
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain('customresourcedefinition/virtualmachines.stratus.dev checked (dry run)');
    expect(fresh.stdout).toContain('Deployment/stratus-controllers not checked: namespace stratus-system does not exist yet');
    await client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'stratus-system' } });
  }
  try {
    const r = await stratus('install', '--kubeconfig', kubeconfigPath(), '--with-operator', '--dry-run');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('deployments/stratus-controllers checked (dry run)');
    // The plane is Kubernetes 1.36: the finalizer policies are served, so they are checked too.
    expect(r.stdout).toContain('mutatingadmissionpolicies/stratus.dev-volumes-finalizer checked (dry run)');
  } finally {
    if (!existed) await client.delete(Namespaces, undefined, 'stratus-system');
  }
});

it('elects one leader among two stratus run replicas, which reconciles; the other takes over', async () => {
  const a = runController('replica-a');
  const b = runController('replica-b');
  const leads = (l: string[]) => l.some((line) => line.includes('became leader'));
  await eventually(async () => leads(a.log) || leads(b.log), 30_000, 'a leader');
  await new Promise((r) => setTimeout(r, 2500));
  expect([leads(a.log), leads(b.log)].filter(Boolean)).toHaveLength(1);
  const [leader, standby] = leads(a.log) ? [a, b] : [b, a];

  // The leader reconciles like stratus up does.
  await client.create(Volumes, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name: 'data', namespace: ns }, spec: { size: '1Gi' } });
  await eventually(async () => (await client.get(Volumes, ns, 'data')).status?.['phase' as never] === 'Available', 30_000, 'Volume available');

  leader.child.kill('SIGTERM');
  await eventually(async () => leads(standby.log), 10_000, 'the standby to lead');
  await client.create(VirtualMachines, { apiVersion: 'stratus.dev/v1alpha1', kind: 'VirtualMachine', metadata: { name: 'vm', namespace: ns }, spec: { rootDisk: { volume: 'data' } } });
  await eventually(async () => (await client.get(VirtualMachines, ns, 'vm')).status?.['phase' as never] === 'Running', 30_000, 'VM running under the new leader');
}, 90_000);

it('reports health with stratus status, failing when something is Failed', async () => {
  // News about a Ready Volume (its user) is written within 2 s.
  await eventually(async () => (await client.get(Volumes, ns, 'data')).status?.['phase' as never] === 'InUse', 10_000, 'the Volume in use');
  const ok = await stratus('status', '--kubeconfig', kubeconfigPath(), '-n', ns);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toMatch(/VirtualMachine\s+vm\s+Current/);
  expect(ok.stdout).toMatch(/Volume\s+data\s+Current\s+used by VirtualMachine vm/);
  await client.create(VirtualMachines, {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'VirtualMachine',
    metadata: { name: 'broken', namespace: ns },
    spec: { rootDisk: { image: 'quay.io/containerdisks/does-not-exist:1' } },
  });
  const failed = await eventually(async () => {
    const r = await stratus('status', '--kubeconfig', kubeconfigPath(), '-n', ns, 'svm/broken', '-o', 'json');
    return r.code === 1 ? r : undefined;
  }, 30_000, 'the broken VM Failed');
  expect(JSON.parse(failed.stdout).objects[0]).toMatchObject({ kind: 'VirtualMachine', name: 'broken', status: 'Failed', message: expect.stringMatching(/^(ErrImagePull|ImagePullBackOff): /) });
}, 60_000);
