// VM groups (a VirtualMachinePool per group, scaled through /scale,
// restarted member by member, with an address pool on their Network), VMs that wait for a Volume that does not
// exist yet, and Volumes that grow.
import { stringify } from 'yaml';
import { Networks, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { Network, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import { NetworkPolicies, PersistentVolumeClaims, Pods } from '../../pkg/kube/resources.js';
import { DataVolumes } from '../../pkg/contracts/cdi/index.js';
import {
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  memberSpecOf,
  VirtualMachinePools,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstance,
  type VirtualMachinePool,
} from '../../pkg/contracts/kubevirt/index.js';
import { MultiNetworkPolicies } from '../../pkg/contracts/multus/index.js';
import { sleep } from '../../pkg/util/sleep.js';
import type { PersistentVolumeClaim, Pod } from '../../pkg/kube/core-types.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';
import { exampleIn, settled, startTestOperator } from '../support/operator.js';

let client: Client;
let ns: string;
let operator: RunningOperator;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'groups');
  operator = await startTestOperator(ns);
});
afterAll(async () => {
  await operator?.stop();
  await deleteNamespace(client, ns);
  client.rest.close();
});

it('runs a VM group as a VirtualMachinePool and scales it through the scale subresource', async () => {
  const group = exampleIn('04-vm-group.yaml', ns).filter((o) => o.kind === 'VirtualMachine');
  expect((await kubectl(['apply', '--server-side', '-f', '-'], group.map((o) => stringify(o)).join('---\n'))).code).toBe(0);
  expect((await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'svm/workers', '--timeout=60s'])).code).toBe(0);
  const pool = await client.get(VirtualMachinePools, ns, 'workers');
  expect((pool.spec as { replicas: number }).replicas).toBe(3);
  expect((await client.list(KubeVirtVirtualMachines, { namespace: ns, labelSelector: 'stratus.dev/virtualmachine=workers' })).items).toHaveLength(3);
  // Each member has its own scratch disk.
  const disks = (await client.list(DataVolumes, { namespace: ns })).items.map((d) => d.metadata.name).sort();
  expect(disks).toEqual(['workers-scratch-0', 'workers-scratch-1', 'workers-scratch-2']);

  expect((await kubectl(['-n', ns, 'scale', 'svm/workers', '--replicas=5'])).code).toBe(0);
  const scaled = await eventually(async () => {
    const v = await client.get<VirtualMachine>(VirtualMachines, ns, 'workers');
    return v.status?.readyReplicas === 5 && findCondition(v.status.conditions, 'Ready')?.status === 'True' ? v : undefined;
  }, 60_000, '5 ready members');
  expect(scaled.status).toMatchObject({ replicas: 5, selector: 'stratus.dev/virtualmachine=workers', phase: 'Running' });
  const scale = await client.getScale(VirtualMachines, ns, 'workers');
  expect(scale.status).toMatchObject({ replicas: 5, selector: 'stratus.dev/virtualmachine=workers' });
});

it('restarts a group one member at a time when restartRequestedAt changes', async () => {
  const before = new Map((await client.list<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, { namespace: ns, labelSelector: 'stratus.dev/virtualmachine=workers' })).items.map((v) => [v.metadata.name!, v.metadata.uid]));
  expect(before.size).toBe(5);
  const requested = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await client.patch(VirtualMachines, ns, 'workers', { merge: { spec: { restartRequestedAt: requested } } });
  let mostDown = 0;
  let sawRestarting = false;
  const done = await eventually(async () => {
    // Members down: those without a ready VMI that is not being deleted.
    const vmis = (await client.list<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, { namespace: ns, labelSelector: 'stratus.dev/virtualmachine=workers' })).items;
    const up = vmis.filter((v) => !v.metadata.deletionTimestamp && !!v.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    mostDown = Math.max(mostDown, 5 - up);
    const v = await client.get<VirtualMachine>(VirtualMachines, ns, 'workers');
    if (findCondition(v.status?.conditions, 'Reconciling')?.reason === 'Restarting') sawRestarting = true;
    return v.status?.restartedAt === requested && findCondition(v.status.conditions, 'Ready')?.status === 'True' ? v : undefined;
  }, 90_000, 'the restart reached every member');
  expect(done.status?.readyReplicas).toBe(5);
  expect(sawRestarting).toBe(true);
  expect(mostDown).toBeLessThanOrEqual(1);
  const after = (await client.list<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, { namespace: ns, labelSelector: 'stratus.dev/virtualmachine=workers' })).items;
  expect(after).toHaveLength(5);
  for (const v of after) {
    expect(v.metadata.uid).not.toBe(before.get(v.metadata.name!));
    expect(v.metadata.annotations?.['stratus.dev/restart-requested-at']).toBe(requested);
  }
  // Exactly once: nothing restarts again, and the members settle (no update loop between pool and members).
  const memberVersions = async () =>
    (await client.list<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, { namespace: ns, labelSelector: 'stratus.dev/virtualmachine=workers' })).items.map((m) => `${m.metadata.name}@${m.metadata.resourceVersion}`).sort();
  await settled([operator]);
  const versions = await memberVersions();
  await sleep(1500); // the claim is about a span of time: nothing may change in it
  expect(await memberVersions()).toEqual(versions);
  const later = (await client.list<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, { namespace: ns, labelSelector: 'stratus.dev/virtualmachine=workers' })).items;
  expect(later.map((v) => v.metadata.uid).sort()).toEqual(after.map((v) => v.metadata.uid).sort());
});

it('stops and starts every member with the group', async () => {
  await client.patch(VirtualMachines, ns, 'workers', { merge: { spec: { powerState: 'Stopped' } } });
  const stopped = await eventually(async () => {
    const v = await client.get<VirtualMachine>(VirtualMachines, ns, 'workers');
    return v.status?.phase === 'Stopped' && findCondition(v.status.conditions, 'Ready')?.status === 'True' ? v : undefined;
  }, 60_000, 'the group stopped');
  expect(findCondition(stopped.status?.conditions, 'Ready')?.message).toBe('5 VMs, all stopped as requested');
  expect((await client.list(KubeVirtVirtualMachineInstances, { namespace: ns, labelSelector: 'stratus.dev/virtualmachine=workers' })).items).toEqual([]);

  await client.patch(VirtualMachines, ns, 'workers', { merge: { spec: { powerState: 'Running' } } });
  await eventually(async () => {
    const v = await client.get<VirtualMachine>(VirtualMachines, ns, 'workers');
    return v.status?.readyReplicas === 5 && findCondition(v.status.conditions, 'Ready')?.status === 'True';
  }, 60_000, 'the group running again');
});

it("gives a group's members addresses from the group's pool on its Network", async () => {
  // 10.80.0.0/29: hosts .1–.6, .1 the gateway → 5 addresses.
  const objects = [
    { apiVersion: 'stratus.dev/v1alpha1', kind: 'Network', metadata: { name: 'grid', namespace: ns }, spec: { cidr: '10.80.0.0/29', gateway: '10.80.0.1' } },
    {
      apiVersion: 'stratus.dev/v1alpha1',
      kind: 'VirtualMachine',
      metadata: { name: 'nodes', namespace: ns },
      spec: { replicas: 2, cpu: { cores: 1 }, memory: '1Gi', rootDisk: { image: 'quay.io/containerdisks/fedora:41' }, networks: [{ name: 'default' }, { name: 'grid', network: 'grid' }] },
    },
  ];
  expect((await kubectl(['apply', '--server-side', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'))).code).toBe(0);
  expect((await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'svm/nodes', '--timeout=60s'])).code).toBe(0);
  const vm = await client.get<VirtualMachine>(VirtualMachines, ns, 'nodes');
  expect(vm.status?.networks).toEqual([{ name: 'grid', attachmentDefinition: 'grid.group.nodes', allocated: 3, addresses: ['10.80.0.2', '10.80.0.3', '10.80.0.4'] }]);
  const pool = await client.get<VirtualMachinePool>(VirtualMachinePools, ns, 'nodes');
  expect(memberSpecOf(pool).template.spec?.networks).toEqual([{ name: 'default', pod: {} }, { name: 'grid', multus: { networkName: `${ns}/grid.group.nodes` } }]);

  const leased = async (count: number) =>
    eventually(async () => {
      const pods = (await client.list<Pod>(Pods, { namespace: ns, labelSelector: 'stratus.dev/virtualmachine=nodes' })).items;
      const ips = pods.flatMap((p) => (JSON.parse(p.metadata.annotations?.['k8s.v1.cni.cncf.io/network-status'] ?? '[]') as { name: string; ips?: string[] }[]).find((n) => n.name === `${ns}/grid.group.nodes`)?.ips ?? []);
      return ips.length === count ? ips : undefined;
    }, 60_000, `${count} members with an address`);
  const two = await leased(2);
  expect(new Set(two).size).toBe(2);
  for (const ip of two) expect(vm.status!.networks![0]!.addresses).toContain(ip);

  // 5 members need 5 of the 7 addresses a pool of 5 asks for: the Network has exactly 5, so all can run.
  expect((await kubectl(['-n', ns, 'scale', 'svm/nodes', '--replicas=5'])).code).toBe(0);
  await eventually(async () => (await client.get<VirtualMachine>(VirtualMachines, ns, 'nodes')).status?.readyReplicas === 5, 60_000, '5 ready members');
  expect(new Set(await leased(5)).size).toBe(5);
  const network = await eventually(async () => {
    const n = await client.get<Network>(Networks, ns, 'grid');
    return n.status?.allocated === 5 ? n : undefined;
  }, 30_000, 'the Network counts the pool');
  expect(network.status?.free).toBe(0);
  await client.delete(VirtualMachines, ns, 'nodes');
});

it('waits for a Volume that does not exist yet and starts once it is ready', async () => {
  await client.create(VirtualMachines, {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'VirtualMachine',
    metadata: { name: 'late', namespace: ns },
    spec: { rootDisk: { volume: 'late-root' } },
  });
  const waiting = await eventually(async () => {
    const v = await client.get<VirtualMachine>(VirtualMachines, ns, 'late');
    return findCondition(v.status?.conditions, 'Reconciling')?.reason === 'WaitingForVolume' ? v : undefined;
  }, 20_000, 'waiting for the volume');
  expect(findCondition(waiting.status?.conditions, 'Reconciling')?.message).toContain('Volume late-root does not exist');
  expect(waiting.status?.phase).toBe('Pending');
  expect(await client.tryGet(KubeVirtVirtualMachines, ns, 'late')).toBeUndefined();

  await client.create(Volumes, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name: 'late-root', namespace: ns }, spec: { size: '2Gi' } });
  expect((await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'svm/late', '--timeout=60s'])).code).toBe(0);
});

it('grows a Volume: Resizing until the claim has the new capacity', async () => {
  await client.patch(Volumes, ns, 'late-root', { merge: { spec: { size: '4Gi' } } });
  await eventually(async () => (await client.get<Volume>(Volumes, ns, 'late-root')).status?.phase === 'Resizing', 20_000, 'Resizing');
  const grown = await eventually(async () => {
    const v = await client.get<Volume>(Volumes, ns, 'late-root');
    return v.status?.capacity === '4Gi' && findCondition(v.status.conditions, 'Ready')?.status === 'True' ? v : undefined;
  }, 30_000, 'capacity 4Gi');
  expect(grown.status?.phase).toBe('InUse');
  expect((await client.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, 'late-root')).status?.capacity?.storage).toBe('4Gi');
});

it('turns one rule set into a NetworkPolicy and a MultiNetworkPolicy', async () => {
  const [network] = exampleIn('03-tenant-stack.yaml', ns).filter((o) => o.kind === 'Network');
  await client.create(Networks, network!);
  expect((await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'snet/private', '--timeout=30s'])).code).toBe(0);
  const np = await client.get(NetworkPolicies, ns, 'stratus-network-private');
  expect(np.spec).toMatchObject({
    podSelector: { matchLabels: { 'net.stratus.dev/private': 'true' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'stratus.dev/app', operator: 'Exists' }] } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
  });
  const mnp = await client.get(MultiNetworkPolicies, ns, 'stratus-network-private');
  expect(mnp.metadata.annotations?.['k8s.v1.cni.cncf.io/policy-for']).toBe(`${ns}/private`);
  expect((mnp.spec as { ingress: unknown[] }).ingress).toEqual((np.spec as { ingress: unknown[] }).ingress);
  const status = (await client.get<Network>(Networks, ns, 'private')).status;
  expect(status).toMatchObject({ allocated: 0, free: 253 });
});
