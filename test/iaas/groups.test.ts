// VM groups (a VirtualMachinePool per group, scaled through /scale), VMs that
// wait for a Volume that does not exist yet, and Volumes that grow.
import { stringify } from 'yaml';
import { Networks, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { Network, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import { DataVolumes, KubeVirtVirtualMachines, MultiNetworkPolicies, NetworkPolicies, PersistentVolumeClaims, VirtualMachinePools } from '../../pkg/kube/resources.js';
import type { PersistentVolumeClaim } from '../../pkg/kube/core-types.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';
import { exampleIn, startTestOperator } from '../support/operator.js';

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
  await client.mergePatch(Volumes, ns, 'late-root', { spec: { size: '4Gi' } });
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
