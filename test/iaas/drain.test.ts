// kubectl drain of a simulated node: a VM that can live-migrate moves and
// keeps running, the same VMI on another node; one that cannot restarts on
// another node (LiveMigrateIfPossible) and says why, without holding the
// drain; one that cannot and may not leave (LiveMigrate) holds the drain
// exactly until the drain's own timeout. A VM group leaves member by member.
// The plane is shared: each drain evicts only this file's pods
// (--pod-selector), and the node is uncordoned afterwards.
import { VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import {
  isMigrationFinal,
  KubeVirtVirtualMachineInstances,
  VirtualMachineInstanceMigrations,
  type VirtualMachineInstance,
  type VirtualMachineInstanceMigration,
} from '../../pkg/contracts/kubevirt/index.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';
import { startTestOperator } from '../support/operator.js';
import { testVm } from '../support/fixtures.js';

let client: Client;
let ns: string;
let operator: RunningOperator;
const node = 'stratus-node-2';
const drainArgs = (timeout: string) => ['drain', node, '--pod-selector', `drain-test=${ns}`, '--ignore-daemonsets', '--delete-emptydir-data', `--timeout=${timeout}`];

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'drain');
  operator = await startTestOperator(ns);
});
afterAll(async () => {
  await kubectl(['uncordon', node]);
  await operator?.stop();
  await deleteNamespace(client, ns);
  client.rest.close();
});

const get = (name: string) => client.get<VirtualMachine>(VirtualMachines, ns, name);
const ready = (v: VirtualMachine) => findCondition(v.status?.conditions, 'Ready')?.status === 'True' && v.status?.observedGeneration === v.metadata.generation;
const vmisOf = async (vm: string) => (await client.list<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, { namespace: ns, labelSelector: `stratus.dev/virtualmachine=${vm}` })).items;

// Started on the node to drain, then free to go anywhere (a node selector is a live update).
const vm = (name: string, spec: Partial<VirtualMachine['spec']>) => testVm(ns, name, { nodeSelector: { 'kubernetes.io/hostname': node }, ...spec }, { 'drain-test': ns });

/** Creates the VMs on the node to drain, and lets them leave it. */
async function onTheNode(vms: VirtualMachine[]): Promise<void> {
  for (const v of vms) await client.create(VirtualMachines, v);
  for (const v of vms) {
    await eventually(async () => {
      const got = await get(v.metadata.name!);
      return ready(got) && (got.status?.readyReplicas ?? 0) === (v.spec.replicas ?? 1);
    }, 60_000, `${v.metadata.name} ready`);
    await client.patch(VirtualMachines, ns, v.metadata.name!, { merge: { spec: { nodeSelector: null } } });
  }
  for (const v of vms) {
    await eventually(async () => {
      const vmis = await vmisOf(v.metadata.name!);
      return vmis.length === (v.spec.replicas ?? 1) && vmis.every((x) => x.status?.nodeName === node && !x.spec.nodeSelector?.['kubernetes.io/hostname']);
    }, 30_000, `${v.metadata.name}'s instances free to leave ${node}`);
  }
}

it('moves a VM that can migrate, restarts one that cannot, and is held exactly as long as the drain waits by one that may not leave', async () => {
  for (const name of ['pinned-root', 'holder-root']) {
    await client.create(Volumes, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name, namespace: ns }, spec: { size: '1Gi' } });
  }
  await onTheNode([
    vm('mover', {}),
    vm('pinned', { rootDisk: { volume: 'pinned-root', bus: 'virtio' } }),
    vm('holder', { rootDisk: { volume: 'holder-root', bus: 'virtio' }, evictionStrategy: 'LiveMigrate' }),
  ]);
  const [moverBefore] = await vmisOf('mover');
  const [pinnedBefore] = await vmisOf('pinned');

  const began = Date.now();
  const held = await kubectl(drainArgs('20s'));
  const took = Date.now() - began;
  // The drain gave up at its own timeout, naming the VM that holds it, in KubeVirt's words.
  expect(held.code).not.toBe(0);
  expect(took).toBeGreaterThanOrEqual(20_000);
  expect(took).toBeLessThan(40_000);
  expect(held.stderr).toContain('VMI holder is configured with an eviction strategy but is not live-migratable');

  const mover = await eventually(async () => {
    const v = await get('mover');
    return ready(v) && v.status?.nodeName !== node ? v : undefined;
  }, 30_000, 'mover running elsewhere');
  const [moverAfter] = await vmisOf('mover');
  expect(moverAfter!.metadata.uid).toBe(moverBefore!.metadata.uid);
  expect(mover.status?.migration).toMatchObject({ reason: 'NodeDrain', phase: 'Succeeded', sourceNode: node, targetNode: mover.status?.nodeName });

  const pinned = await eventually(async () => {
    const v = await get('pinned');
    return ready(v) && v.status?.nodeName && v.status.nodeName !== node ? v : undefined;
  }, 30_000, 'pinned restarted elsewhere');
  const [pinnedAfter] = await vmisOf('pinned');
  expect(pinnedAfter!.metadata.uid).not.toBe(pinnedBefore!.metadata.uid);
  expect(findCondition(pinned.status?.conditions, 'LiveMigratable')).toMatchObject({ status: 'False', reason: 'DisksNotLiveMigratable' });

  const holder = await get('holder');
  expect(holder.status?.nodeName).toBe(node);
  expect(ready(holder)).toBe(true);
  expect(findCondition(holder.status?.conditions, 'LiveMigratable')).toMatchObject({ status: 'False', reason: 'DisksNotLiveMigratable', message: expect.stringContaining('holder-root') });

  // Its owner stops it: the drain goes through.
  await client.patch(VirtualMachines, ns, 'holder', { merge: { spec: { powerState: 'Stopped' } } });
  const drained = await kubectl(drainArgs('60s'));
  expect(drained.code).toBe(0);
  expect(drained.stdout).toContain(`node/${node} drained`);
}, 180_000);

it('drains a VM group member by member, each moving live while the others run', async () => {
  await kubectl(['uncordon', node]);
  const migrations = new Map<string, VirtualMachineInstanceMigration>();
  let mostAtOnce = 0;
  const unsubscribe = operator.manager.cache.informer<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations).subscribe((e) => {
    if (e.type === 'delete' || !e.obj.spec.vmiName?.startsWith('workers-')) return;
    migrations.set(e.obj.metadata.name!, e.obj);
    mostAtOnce = Math.max(mostAtOnce, [...migrations.values()].filter((m) => !isMigrationFinal(m)).length);
  });
  const reasons = new Set<string>();
  const unwatch = operator.manager.cache.informer<VirtualMachine>(VirtualMachines).subscribe((e) => {
    if (e.type !== 'delete' && e.obj.metadata.name === 'workers') {
      const r = findCondition(e.obj.status?.conditions, 'Reconciling');
      if (r) reasons.add(r.reason);
    }
  });
  try {
    await onTheNode([vm('workers', { replicas: 3 })]);
    const before = new Map((await vmisOf('workers')).map((v) => [v.metadata.name!, v.metadata.uid]));
    const drained = await kubectl(drainArgs('120s'));
    // KubeVirt refused each eviction (429, kubectl retries) and marked the VMI for Stratus to move.
    expect(drained.stderr).toContain(`Eviction triggered evacuation of VMI "${ns}/workers-0"`);
    expect(drained.code).toBe(0);
    const after = await vmisOf('workers');
    expect(after.every((v) => v.status?.nodeName !== node)).toBe(true);
    // The same instances, moved live, one at a time.
    expect(new Map(after.map((v) => [v.metadata.name!, v.metadata.uid]))).toEqual(before);
    const moves = [...migrations.values()];
    expect(moves).toHaveLength(3);
    expect(moves.every((m) => m.status?.phase === 'Succeeded')).toBe(true);
    expect(mostAtOnce).toBe(1);
    expect(reasons).toContain('Migrating');
    await eventually(async () => {
      const v = await get('workers');
      return ready(v) && v.status?.readyReplicas === 3 && v.status.migration?.reason === 'NodeDrain' ? v : undefined;
    }, 30_000, 'the group ready again');
  } finally {
    unsubscribe();
    unwatch();
  }
}, 240_000);
