// The controller process is SIGKILLed halfway through 200 VMs with Volumes
// and Networks. After a restart everything converges, with no duplicate or
// orphan objects and no address allocated twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { IPAllocations, Networks, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { IPAllocation, VirtualMachine } from '../../pkg/api/types.generated.js';
import { PersistentVolumeClaims } from '../../pkg/kube/resources.js';
import { KubeVirtVirtualMachines } from '../../pkg/contracts/kubevirt/index.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import { packageRoot } from '../../pkg/util/package-root.js';
import { createNamespace, deleteNamespace, eventually, kubeconfigPath, testClient } from '../support/kube.js';

const count = 200;
let client: Client;
let ns: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'crash');
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await deleteNamespace(client, ns);
  client.rest.close();
});

function startController(): ChildProcess {
  const child = spawn(
    process.execPath,
    [join(packageRoot(), 'bin', 'stratus.js'), 'run', '--kubeconfig', kubeconfigPath(), '--namespace', ns, '--health-address', 'off', '--log-level', 'error', '--log-format', 'text'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  children.push(child);
  return child;
}

async function readyVms(): Promise<VirtualMachine[]> {
  const vms = await client.list<VirtualMachine>(VirtualMachines, { namespace: ns });
  return vms.items.filter((v) => findCondition(v.status?.conditions, 'Ready')?.status === 'True');
}

it('converges after a SIGKILL with no duplicates, orphans or double allocations', async () => {
  await client.create(Networks, {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'Network',
    metadata: { name: 'fleet', namespace: ns },
    spec: { cidr: '10.80.0.0/22', gateway: '10.80.0.1' },
  });
  const first = startController();
  const creates: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    creates.push(client.create(Volumes, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name: `data-${i}`, namespace: ns }, spec: { size: '1Gi' } }));
    creates.push(
      client.create(VirtualMachines, {
        apiVersion: 'stratus.dev/v1alpha1',
        kind: 'VirtualMachine',
        metadata: { name: `vm-${i}`, namespace: ns },
        spec: {
          rootDisk: { image: 'quay.io/containerdisks/fedora:41' },
          disks: [{ name: 'data', volume: `data-${i}` }],
          networks: [{ name: 'default' }, { name: 'fleet', network: 'fleet' }],
        },
      }),
    );
  }
  await Promise.all(creates);
  // Halfway: some VMs done, many in flight.
  await eventually(async () => (await readyVms()).length >= count / 4, 120_000, 'a quarter of the VMs ready');
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  const readyAtKill = (await readyVms()).length;
  expect(readyAtKill).toBeLessThan(count);

  startController();
  await eventually(async () => (await readyVms()).length === count, 240_000, `all ${count} VMs ready`);

  // Exactly one KubeVirt VM per Stratus VM, each owned by it.
  const vms = (await client.list<VirtualMachine>(VirtualMachines, { namespace: ns })).items;
  const uids = new Set(vms.map((v) => v.metadata.uid!));
  const kubevirt = (await client.list(KubeVirtVirtualMachines, { namespace: ns })).items;
  expect(kubevirt).toHaveLength(count);
  for (const k of kubevirt) expect(uids.has(k.metadata.ownerReferences?.[0]?.uid ?? "")).toBe(true);
  // One claim per Volume.
  expect((await client.list(PersistentVolumeClaims, { namespace: ns })).items).toHaveLength(count);
  // One allocation per VM interface on the Network, owned by a live VM, every address distinct.
  const allocations = (await client.list<IPAllocation>(IPAllocations, { namespace: ns })).items;
  expect(allocations).toHaveLength(count);
  expect(new Set(allocations.map((a) => a.spec.address)).size).toBe(count);
  expect(new Set(allocations.map((a) => a.spec.owner.uid)).size).toBe(count);
  for (const a of allocations) expect(uids.has(a.spec.owner.uid)).toBe(true);
  // What each VM reports on the Network is its allocation (the guest agent reports addresses a little after the VM is Ready).
  const byOwner = new Map(allocations.map((a) => [a.spec.owner.uid, a.spec.address]));
  const reported = await eventually(async () => {
    const now = (await client.list<VirtualMachine>(VirtualMachines, { namespace: ns })).items;
    return now.every((vm) => vm.status?.interfaces?.find((i) => i.name === 'fleet')?.ipAddress) ? now : undefined;
  }, 60_000, 'every VM reporting its address on the Network');
  for (const vm of reported) {
    expect(vm.status?.interfaces?.find((i) => i.name === 'fleet')?.ipAddress).toBe(byOwner.get(vm.metadata.uid!));
  }
  process.stderr.write(`crash recovery: killed with ${readyAtKill}/${count} VMs ready; all ${count} converged\n`);
}, 400_000);
