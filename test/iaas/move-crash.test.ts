// A requested move happens exactly once across a controller SIGKILL: killed
// while the move's migration runs — and while it is down the migration
// finishes and KubeVirt cleans it up under five newer ones — or killed right
// after the request, before anything was made. Each time, after a restart,
// the VM has moved exactly once and says so.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { VirtualMachines } from '../../pkg/api/resources.js';
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import {
  isMigrationFinal,
  KubeVirtVirtualMachineInstances,
  MigrationPolicies,
  VirtualMachineInstanceMigrations,
  type VirtualMachineInstance,
  type VirtualMachineInstanceMigration,
} from '../../pkg/contracts/kubevirt/index.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import { packageRoot } from '../../pkg/util/package-root.js';
import { createNamespace, deleteNamespace, eventually, kubeconfigPath, testClient } from '../support/kube.js';

let client: Client;
let ns: string;
let controller: ChildProcess | undefined;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'move-crash');
});
afterAll(async () => {
  controller?.kill('SIGKILL');
  await client.deleteIfExists(MigrationPolicies, undefined, `${ns}-slow`);
  await deleteNamespace(client, ns);
  client.rest.close();
});

function start(): ChildProcess {
  controller = spawn(
    process.execPath,
    [join(packageRoot(), 'bin', 'stratus.js'), 'run', '--kubeconfig', kubeconfigPath(), '--namespace', ns, '--health-address', 'off', '--log-level', 'error', '--log-format', 'text'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return controller;
}

async function kill(): Promise<void> {
  const c = controller!;
  c.kill('SIGKILL');
  await new Promise((resolve) => c.once('exit', resolve));
  controller = undefined;
}

const get = () => client.get<VirtualMachine>(VirtualMachines, ns, 'traveller');
const vmi = () => client.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, ns, 'traveller');
const migrations = async () => (await client.list<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, { namespace: ns })).items.filter((m) => m.spec.vmiName === 'traveller');
const requestedMoves = async (at: string) => (await migrations()).filter((m) => m.metadata.annotations?.['stratus.dev/migrate-requested-at'] === at);
const ready = (v: VirtualMachine) => findCondition(v.status?.conditions, 'Ready')?.status === 'True';
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

async function finished(name: string): Promise<VirtualMachineInstanceMigration> {
  return eventually(async () => {
    const m = await client.get<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, ns, name);
    return isMigrationFinal(m) ? m : undefined;
  }, 60_000, `${name} finished`);
}

it('moves exactly once when killed while the move runs, even if KubeVirt cleans the migration up meanwhile', async () => {
  // 1Gi at 64Mi/s: a move of about 16 s, long enough to kill the controller in the middle of it.
  await client.create(MigrationPolicies, {
    apiVersion: 'migrations.kubevirt.io/v1alpha1',
    kind: 'MigrationPolicy',
    metadata: { name: `${ns}-slow` },
    spec: { bandwidthPerMigration: '64Mi', selectors: { namespaceSelector: { 'kubernetes.io/metadata.name': ns } } },
  });
  start();
  await client.create(VirtualMachines, {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'VirtualMachine',
    metadata: { name: 'traveller', namespace: ns },
    spec: { rootDisk: { image: 'quay.io/containerdisks/fedora:41' } } as VirtualMachine['spec'],
  });
  await eventually(async () => ready(await get()), 60_000, 'the VM ready');
  const first = await vmi();

  const at = now();
  await client.patch(VirtualMachines, ns, 'traveller', { merge: { spec: { migrateRequestedAt: at } } });
  const [move] = await eventually(async () => {
    const found = await requestedMoves(at);
    return found.length && found[0]!.status?.phase === 'Running' ? found : undefined;
  }, 60_000, 'the move under way');
  await kill();

  // While the controller is down the move finishes, and five more migrations push it out of KubeVirt's history.
  expect((await finished(move!.metadata.name!)).status?.phase).toBe('Succeeded');
  await client.delete(MigrationPolicies, undefined, `${ns}-slow`);
  for (let i = 0; i < 5; i++) {
    await client.create(VirtualMachineInstanceMigrations, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceMigration', metadata: { name: `other-${i}`, namespace: ns }, spec: { vmiName: 'traveller' } });
    await finished(`other-${i}`);
  }
  const cleaned = await eventually(async () => {
    const m = await client.tryGet<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, ns, move!.metadata.name!);
    return m?.metadata.deletionTimestamp ? m : undefined;
  }, 30_000, 'KubeVirt deleting the oldest finished migration');
  // Stratus's finalizer keeps the record until the VM's status holds it.
  expect(cleaned.metadata.finalizers).toContain('stratus.dev/migration-record');

  start();
  const moved = await eventually(async () => {
    const v = await get();
    return v.status?.migratedAt === at && ready(v) ? v : undefined;
  }, 60_000, 'the move recorded');
  expect(moved.status?.migration).toMatchObject({ name: 'other-4' }); // the latest migration is the newest of the five others
  await eventually(async () => (await client.tryGet(VirtualMachineInstanceMigrations, ns, move!.metadata.name!)) === undefined, 30_000, 'the move let go of');
  // Exactly once: no second migration for the request, the same VMI throughout.
  expect(await requestedMoves(at)).toEqual([]);
  expect((await migrations()).map((m) => m.metadata.name).sort()).toEqual(['other-0', 'other-1', 'other-2', 'other-3', 'other-4']);
  expect((await vmi()).metadata.uid).toBe(first.metadata.uid);
}, 300_000);

it('moves exactly once when killed right after the request', async () => {
  const before = await vmi();
  const at = now();
  await client.patch(VirtualMachines, ns, 'traveller', { merge: { spec: { migrateRequestedAt: at } } });
  await kill();
  start();
  const moved = await eventually(async () => {
    const v = await get();
    return v.status?.migratedAt === at && ready(v) ? v : undefined;
  }, 60_000, 'the move done and recorded');
  expect(moved.status?.migration).toMatchObject({ reason: 'Requested', phase: 'Succeeded', sourceNode: before.status?.nodeName });
  const mine = await requestedMoves(at);
  expect(mine).toHaveLength(1);
  expect(mine[0]!.status?.phase).toBe('Succeeded');
  const after = await vmi();
  expect(after.metadata.uid).toBe(before.metadata.uid);
  expect(after.status?.nodeName).not.toBe(before.status?.nodeName);
}, 120_000);
