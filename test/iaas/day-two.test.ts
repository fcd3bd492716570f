// A running VM changed without a reboot: more cores and memory, data disks
// and secondary interfaces added and removed, all on the same VMI, with
// nothing left waiting for a restart; what cannot go live stays a pending
// change; and a move asked for with migrateRequestedAt, carried out once.
// While it all happens the VM is Progressing (Reconciling; kstatus InProgress, Argo CD Progressing), never Stalled or Degraded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { health } from '../../pkg/api/kstatus.js';
import { Networks, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import {
  KubeVirtVirtualMachineInstances,
  VirtualMachineInstanceMigrations,
  type VirtualMachineInstance,
  type VirtualMachineInstanceMigration,
} from '../../pkg/contracts/kubevirt/index.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import { packageRoot } from '../../pkg/util/package-root.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';
import { runHealthScript } from '../deploy/lua.js';
import { settled, startTestOperator } from '../support/operator.js';
import { testVm } from '../support/fixtures.js';

let client: Client;
let ns: string;
let operator: RunningOperator;
/**
 * Every (Reconciling / Stalled) reason a VM showed, by VM, as the operator's
 * cache saw each status; and while it was Reconciling, how kstatus and Argo
 * CD read it (`kstatus:<status>`, `argocd:<status>`).
 */
const seen = new Map<string, Set<string>>();
const argoHealth = readFileSync(join(packageRoot(), 'deploy', 'argocd', 'stratus.dev', 'VirtualMachine', 'health.lua'), 'utf8');

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'day2');
  operator = await startTestOperator(ns);
  operator.manager.cache.informer<VirtualMachine>(VirtualMachines).subscribe((e) => {
    const vm = e.type === 'delete' ? undefined : e.obj;
    if (!vm) return;
    const reasons = seen.get(vm.metadata.name!) ?? new Set<string>();
    for (const type of ['Reconciling', 'Stalled']) {
      const c = findCondition(vm.status?.conditions, type);
      if (c?.status === 'True') reasons.add(`${type}:${c.reason}`);
    }
    const reconciling = findCondition(vm.status?.conditions, 'Reconciling');
    if (reconciling?.status === 'True' && (reconciling.reason === 'Migrating' || reconciling.reason === 'LiveUpdating')) {
      reasons.add(`kstatus:${health(vm).status}`);
      reasons.add(`argocd:${runHealthScript(argoHealth, vm).status}`);
    }
    seen.set(vm.metadata.name!, reasons);
  });
});
afterAll(async () => {
  await operator?.stop();
  await deleteNamespace(client, ns);
  client.rest.close();
});

const get = (name: string) => client.get<VirtualMachine>(VirtualMachines, ns, name);
const vmiOf = (name: string) => client.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, ns, name);
const ready = (v: VirtualMachine) => findCondition(v.status?.conditions, 'Ready')?.status === 'True' && v.status?.observedGeneration === v.metadata.generation;
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const vm = (name: string, spec: Partial<VirtualMachine['spec']>) => testVm(ns, name, spec);

async function readyVm(name: string, what = `${name} Ready`): Promise<VirtualMachine> {
  return eventually(async () => {
    const v = await get(name);
    return ready(v) ? v : undefined;
  }, 60_000, what);
}

it('grows a running VM from 1 to 2 cores and 4 to 8 GiB live, on the same VMI, with nothing pending', async () => {
  await client.create(VirtualMachines, vm('grow', { cpu: { cores: 1, dedicated: false }, memory: '4Gi' }));
  await readyVm('grow');
  const before = await vmiOf('grow');
  expect(before.spec.domain.cpu).toMatchObject({ sockets: 1, cores: 1, maxSockets: 4 });
  expect(before.spec.domain.memory).toMatchObject({ guest: '4Gi', maxGuest: '16Gi' });

  await client.patch(VirtualMachines, ns, 'grow', { merge: { spec: { cpu: { cores: 2 }, memory: '8Gi' } } });
  const grown = await eventually(async () => {
    const v = await get('grow');
    return ready(v) && v.status?.liveUpdates?.includes('spec.cpu') && v.status.liveUpdates.includes('spec.memory') ? v : undefined;
  }, 60_000, 'CPU and memory applied live');
  expect(grown.status?.pendingChanges).toBeUndefined();
  expect(grown.status?.liveUpdates).toEqual(['spec.cpu', 'spec.memory']);
  const after = await vmiOf('grow');
  expect(after.metadata.uid).toBe(before.metadata.uid);
  expect(after.status?.currentCPUTopology?.sockets).toBe(2);
  expect(after.status?.memory?.guestCurrent).toBe('8Gi');
  // KubeVirt took the new resources to a bigger launcher pod with a migration; the VM said so while it ran.
  expect(grown.status?.migration).toMatchObject({ reason: 'LiveUpdate', phase: 'Succeeded' });
  expect(seen.get('grow')).toContain('Reconciling:LiveUpdating');
  // Progressing, never Degraded, to kstatus and Argo CD alike.
  expect([...seen.get('grow')!].filter((r) => /^(Stalled|kstatus|argocd):/.test(r)).sort()).toEqual(['argocd:Progressing', 'kstatus:InProgress']);
  const events = await kubectl(['-n', ns, 'get', 'events.events.k8s.io', '--field-selector', 'regarding.name=grow', '-o', 'jsonpath={.items[*].note}']);
  expect(events.stdout).toContain('spec.cpu applied to the running VM without a restart');
});

it('keeps what cannot go live — fewer cores, another root disk — as pending changes, not errors', async () => {
  await client.patch(VirtualMachines, ns, 'grow', { merge: { spec: { cpu: { cores: 1 }, rootDisk: { image: 'quay.io/containerdisks/fedora:42' } } } });
  const pending = await eventually(async () => {
    const v = await get('grow');
    return v.status?.pendingChanges?.length === 2 && v.status.observedGeneration === v.metadata.generation ? v : undefined;
  }, 30_000, 'pending changes listed');
  expect(pending.status?.pendingChanges).toEqual(['spec.cpu', 'spec.rootDisk']);
  expect(findCondition(pending.status?.conditions, 'Ready')).toMatchObject({ status: 'True', message: expect.stringContaining('fewer cores take effect at a restart') });
  expect(findCondition(pending.status?.conditions, 'Stalled')).toBeUndefined();
  // A restart applies them.
  const at = now();
  await client.patch(VirtualMachines, ns, 'grow', { merge: { spec: { restartRequestedAt: at } } });
  const restarted = await eventually(async () => {
    const v = await get('grow');
    return v.status?.restartedAt === at && ready(v) && !v.status.pendingChanges ? v : undefined;
  }, 60_000, 'restarted with the changes');
  expect(restarted.status?.liveUpdates).toBeUndefined();
  expect((await vmiOf('grow')).spec.domain.cpu?.sockets).toBe(1);
});

it('adds a data disk to a running VM and removes it again, live', async () => {
  await client.create(Volumes, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name: 'scratch', namespace: ns }, spec: { size: '1Gi', accessMode: 'ReadWriteMany' } });
  await client.create(VirtualMachines, vm('disks', {}));
  await readyVm('disks');
  const before = await vmiOf('disks');

  await client.patch(VirtualMachines, ns, 'disks', { merge: { spec: { disks: [{ name: 'scratch', volume: 'scratch' }] } } });
  const added = await eventually(async () => {
    const v = await get('disks');
    return ready(v) && v.status?.liveUpdates?.includes('spec.disks') ? v : undefined;
  }, 60_000, 'the disk attached live');
  expect(added.status?.pendingChanges).toBeUndefined();
  const plugged = await vmiOf('disks');
  expect(plugged.metadata.uid).toBe(before.metadata.uid);
  expect(plugged.status?.volumeStatus?.find((s) => s.name === 'scratch')).toMatchObject({ phase: 'Ready', hotplugVolume: expect.anything() });

  await client.patch(VirtualMachines, ns, 'disks', { merge: { spec: { disks: null } } });
  await eventually(async () => {
    const vmi = await vmiOf('disks');
    return !vmi.spec.volumes?.some((v) => v.name === 'scratch') && !vmi.status?.volumeStatus?.some((s) => s.name === 'scratch') ? vmi : undefined;
  }, 60_000, 'the disk detached live');
  const removed = await readyVm('disks');
  expect(removed.status?.pendingChanges).toBeUndefined();
  expect((await vmiOf('disks')).metadata.uid).toBe(before.metadata.uid);
  expect(seen.get('disks')).toContain('Reconciling:LiveUpdating');
});

it('adds a secondary interface to a running VM and removes it again, live', async () => {
  await client.create(Networks, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Network', metadata: { name: 'side', namespace: ns }, spec: { cidr: '10.77.0.0/24', gateway: '10.77.0.1' } });
  await client.create(VirtualMachines, vm('nics', {}));
  await readyVm('nics');
  const before = await vmiOf('nics');

  await client.patch(VirtualMachines, ns, 'nics', { merge: { spec: { networks: [{ name: 'default' }, { name: 'side', network: 'side' }] } } });
  const added = await eventually(async () => {
    const v = await get('nics');
    return ready(v) && v.status?.liveUpdates?.includes('spec.networks') ? v : undefined;
  }, 60_000, 'the interface attached live');
  expect(added.status?.pendingChanges).toBeUndefined();
  expect(added.status?.interfaces?.map((i) => i.name)).toEqual(['default', 'side']);
  expect((await vmiOf('nics')).metadata.uid).toBe(before.metadata.uid);

  await client.patch(VirtualMachines, ns, 'nics', { merge: { spec: { networks: [{ name: 'default' }] } } });
  const removed = await eventually(async () => {
    const v = await get('nics');
    return ready(v) && !v.status?.liveUpdates && v.status?.interfaces?.length === 1 ? v : undefined;
  }, 60_000, 'the interface detached live');
  expect(removed.status?.pendingChanges).toBeUndefined();
  const vmi = await vmiOf('nics');
  expect(vmi.metadata.uid).toBe(before.metadata.uid);
  expect(vmi.spec.domain.devices?.interfaces?.map((i) => i.name)).toEqual(['default']);
});

it('moves a VM once when migrateRequestedAt changes, and reports the move', async () => {
  await client.create(VirtualMachines, vm('mover', {}));
  await readyVm('mover');
  const before = await vmiOf('mover');
  const at = now();
  await client.patch(VirtualMachines, ns, 'mover', { merge: { spec: { migrateRequestedAt: at } } });
  const moved = await eventually(async () => {
    const v = await get('mover');
    return v.status?.migratedAt === at && ready(v) ? v : undefined;
  }, 60_000, 'moved');
  expect(moved.status?.migration).toMatchObject({ reason: 'Requested', phase: 'Succeeded', sourceNode: before.status?.nodeName, targetNode: moved.status?.nodeName });
  expect(moved.status?.nodeName).not.toBe(before.status?.nodeName);
  expect((await vmiOf('mover')).metadata.uid).toBe(before.metadata.uid);
  expect(seen.get('mover')).toContain('Reconciling:Migrating');
  expect([...seen.get('mover')!].filter((r) => /^(Stalled|kstatus|argocd):/.test(r)).sort()).toEqual(['argocd:Progressing', 'kstatus:InProgress']);
  await settled([operator]);
  const migrations = (await client.list<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, { namespace: ns })).items.filter((m) => m.spec.vmiName === 'mover');
  expect(migrations).toHaveLength(1);
  // Let go once recorded: KubeVirt may clean it up like any finished migration.
  expect(migrations[0]!.metadata.finalizers ?? []).toEqual([]);
  const events = await kubectl(['-n', ns, 'get', 'events.events.k8s.io', '--field-selector', 'regarding.name=mover', '-o', 'jsonpath={.items[*].reason}']);
  expect(events.stdout).toContain('Migrating');
  expect(events.stdout).toContain('Migrated');
});

it('says why a VM cannot move, in KubeVirt’s words, and does not try', async () => {
  await client.create(Volumes, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name: 'local-root', namespace: ns }, spec: { size: '1Gi' } });
  await client.create(VirtualMachines, vm('stay', { rootDisk: { volume: 'local-root', bus: 'virtio' } }));
  const running = await readyVm('stay');
  expect(findCondition(running.status?.conditions, 'LiveMigratable')).toMatchObject({ status: 'False', reason: 'DisksNotLiveMigratable', message: expect.stringContaining('is not shared') });
  const at = now();
  await client.patch(VirtualMachines, ns, 'stay', { merge: { spec: { migrateRequestedAt: at } } });
  await eventually(async () => (await get('stay')).status?.migratedAt === at, 30_000, 'the request handled');
  expect((await client.list<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, { namespace: ns })).items.filter((m) => m.spec.vmiName === 'stay')).toEqual([]);
  const events = await kubectl(['-n', ns, 'get', 'events.events.k8s.io', '--field-selector', 'regarding.name=stay', '-o', 'jsonpath={.items[*].note}']);
  expect(events.stdout).toContain('cannot live-migrate (DisksNotLiveMigratable');
});

it('makes no writes at rest after all of it', async () => {
  const before = await settled([operator]);
  for (const name of ['grow', 'disks', 'nics', 'mover', 'stay']) await client.patch(VirtualMachines, ns, name, { merge: { metadata: { annotations: { 'example.com/touched': String(Date.now()) } } } });
  expect(await settled([operator])).toBe(before);
});
