// The IaaS controllers on the real control plane with the simulators:
// examples become Ready, power and restart work, Volumes in use are
// protected, finalizers come from admission, fixed addresses never double
// up, and steady state is silent.
import { stringify } from 'yaml';
import { networkFinalizer, volumeFinalizer } from '../../pkg/api/finalizers.js';
import { IPAllocations, Networks, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { IPAllocation, Network, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import { PersistentVolumeClaims, Secrets } from '../../pkg/kube/resources.js';
import {
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  templateSpecOf,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstance,
} from '../../pkg/contracts/kubevirt/index.js';
import { NetworkAttachmentDefinitions } from '../../pkg/contracts/multus/index.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';
import { exampleIn, settled, startTestOperator } from '../support/operator.js';
import { testVm } from '../support/fixtures.js';

let client: Client;
let ns: string;
let operator: RunningOperator;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'iaas');
  operator = await startTestOperator(ns);
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
const get = <T>(type: typeof VirtualMachines, name: string) => client.get(type, ns, name) as Promise<T>;
const ready = (o: { status?: { conditions?: { type: string; status: string }[] } }) => findCondition(o.status?.conditions as never, 'Ready')?.status === 'True';

const vm = (name: string, spec: Partial<VirtualMachine['spec']>) => testVm(ns, name, spec);

it('makes the VM example Ready with its disk, network and fixed address in KubeVirt', async () => {
  await apply(exampleIn('01-vm-with-volume.yaml', ns));
  const wait = await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'svm/web-1', 'svol/web-1-root', 'snet/backend', '--timeout=60s']);
  expect(wait.code).toBe(0);

  const kv = await get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, 'web-1');
  expect(kv.spec.runStrategy).toBe('Always');
  const template = templateSpecOf(kv);
  expect(template.volumes).toEqual(expect.arrayContaining([{ name: 'rootdisk', persistentVolumeClaim: { claimName: 'web-1-root' } }]));
  expect(template.networks).toEqual([{ name: 'default', pod: {} }, { name: 'backend', multus: { networkName: `${ns}/backend.vm` } }]);
  // Cores are CPU sockets of one core each, so more can be hotplugged (up to four times as many by default).
  expect(template.domain.cpu).toMatchObject({ sockets: 2, cores: 1, threads: 1 });
  // The network data is in Stratus's cloud-init Secret (never inline: interfaces come and go live), which KubeVirt reads through networkDataSecretRef.
  const cloudInit = template.volumes?.find((v) => v.name === 'cloudinitdisk')?.cloudInitNoCloud;
  expect(cloudInit).toEqual({ secretRef: { name: 'web-1-cloud-init' }, networkDataSecretRef: { name: 'web-1-cloud-init' } });
  const secret = await client.get<KubeObject & { data: Record<string, string> }>(Secrets, ns, 'web-1-cloud-init');
  expect(Buffer.from(secret.data.networkdata!, 'base64').toString()).toContain('192.168.50.10/24');

  // The guest reports its addresses as it boots; news about a Ready VM is written within 2 s.
  await eventually(async () => (await get<VirtualMachine>(VirtualMachines, 'web-1')).status?.ipAddresses?.includes('192.168.50.10'), 10_000, "the VM's fixed address in its status");
  expect((await get<VirtualMachine>(VirtualMachines, 'web-1')).status).toMatchObject({ phase: 'Running', powerState: 'Running', serviceName: 'web-1' });
  const alloc = await client.get<IPAllocation>(IPAllocations, ns, 'backend.192.168.50.10');
  expect(alloc.spec.owner).toMatchObject({ kind: 'VirtualMachine', name: 'web-1', interface: 'backend' });
  // The Network counts its addresses a moment later: allocations are gathered (controllers/network/controller.ts).
  await eventually(async () => (await get<Network>(Networks, 'backend')).status?.allocated === 1, 20_000, "the Network's count of addresses");
  expect((await get<Network>(Networks, 'backend')).status).toMatchObject({ allocated: 1, free: 89, networkAttachmentDefinition: 'backend' });
  expect((await client.get(NetworkAttachmentDefinitions, ns, 'backend')).spec).toMatchObject({ config: expect.stringContaining('"exclude":["192.168.50.1/32","192.168.50.10/32"]') });
  // The VM attachment has no IPAM: the guest's address is Stratus's, no second lease for the launcher pod.
  const vmNad = await client.get<KubeObject & { spec: { config: string } }>(NetworkAttachmentDefinitions, ns, 'backend.vm');
  expect(JSON.parse(vmNad.spec.config)).toMatchObject({ type: 'bridge', ipam: {} });
  const volume = await get<Volume>(Volumes, 'web-1-root');
  expect(volume.status).toMatchObject({ phase: 'InUse', usedBy: [{ kind: 'VirtualMachine', name: 'web-1' }], progress: '100.0%' });
});

it('has the finalizers put on at admission, and puts back one that is missing', async () => {
  // kubectl applied the example: the MutatingAdmissionPolicies (crds/admission/mutating/) added the finalizers, so the controllers wrote none.
  const byStratus = (o: KubeObject) => (o.metadata.managedFields as { manager: string; fieldsV1?: unknown }[]).filter((m) => m.manager === 'stratus' && JSON.stringify(m.fieldsV1).includes('f:finalizers'));
  for (const [type, name, finalizer] of [[Volumes, 'web-1-root', volumeFinalizer], [Networks, 'backend', networkFinalizer]] as const) {
    const o = await client.get(type, ns, name);
    expect(o.metadata.finalizers).toContain(finalizer);
    expect(byStratus(o)).toEqual([]);
  }
  // An object made before the policies, or on a cluster before Kubernetes 1.36, lacks it: the controller adds it.
  const spare = await client.create(Volumes, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name: 'spare', namespace: ns }, spec: { size: '1Gi' } });
  expect(spare.metadata.finalizers).toEqual([volumeFinalizer]);
  await client.patch(Volumes, ns, 'spare', { json: [{ op: 'remove', path: '/metadata/finalizers' }] });
  const restored = await eventually(async () => {
    const v = await get<Volume>(Volumes, 'spare');
    return v.metadata.finalizers?.includes(volumeFinalizer) ? v : undefined;
  }, 30_000, 'the finalizer put back by the controller');
  expect(byStratus(restored)).toHaveLength(1);
});

it('stops and starts with powerState, restarts once on restartRequestedAt, and lists pending changes', async () => {
  await client.patch(VirtualMachines, ns, 'web-1', { merge: { spec: { powerState: 'Stopped' } } });
  const stopped = await eventually(async () => {
    const v = await get<VirtualMachine>(VirtualMachines, 'web-1');
    return v.status?.phase === 'Stopped' && ready(v) ? v : undefined;
  }, 30_000, 'VM stopped and Ready');
  expect(findCondition(stopped.status?.conditions, 'Ready')?.reason).toBe('Stopped');
  expect((await get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, 'web-1')).spec.runStrategy).toBe('Halted');

  await client.patch(VirtualMachines, ns, 'web-1', { merge: { spec: { powerState: 'Running' } } });
  await eventually(async () => (await get<VirtualMachine>(VirtualMachines, 'web-1')).status?.phase === 'Running', 30_000, 'VM running again');
  const before = await get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, 'web-1');

  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await client.patch(VirtualMachines, ns, 'web-1', { merge: { spec: { restartRequestedAt: at } } });
  const restarted = await eventually(async () => {
    const v = await get<VirtualMachine>(VirtualMachines, 'web-1');
    return v.status?.restartedAt === at && v.status.phase === 'Running' && ready(v) ? v : undefined;
  }, 30_000, 'restart done');
  const after = await get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, 'web-1');
  expect(after.metadata.uid).not.toBe(before.metadata.uid);
  await settled([operator]);
  // Once: the VMI is not replaced again.
  expect((await get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, 'web-1')).metadata.uid).toBe(after.metadata.uid);
  expect(restarted.status?.pendingChanges).toBeUndefined();

  await client.patch(VirtualMachines, ns, 'web-1', { merge: { spec: { cpu: { cores: 4 } } } });
  const pending = await eventually(async () => {
    const v = await get<VirtualMachine>(VirtualMachines, 'web-1');
    return v.status?.pendingChanges?.length ? v : undefined;
  }, 30_000, 'pending change listed');
  expect(pending.status?.pendingChanges).toEqual(['spec.cpu']);
  expect((await get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, 'web-1')).metadata.uid).toBe(after.metadata.uid);
});

it('gives a contested fixed address to exactly one VM and reports the conflict on the other', async () => {
  const spec = { networks: [{ name: 'backend', network: 'backend', ipAddress: '192.168.50.20' }] };
  await Promise.all([client.create(VirtualMachines, vm('twin-a', spec)), client.create(VirtualMachines, vm('twin-b', spec))]);
  const [a, b] = await eventually(async () => {
    const both = await Promise.all(['twin-a', 'twin-b'].map((n) => get<VirtualMachine>(VirtualMachines, n)));
    return both.every((v) => v.status?.phase === 'Running' || v.status?.phase === 'Failed') ? both : undefined;
  }, 30_000, 'both decided');
  const winner = [a!, b!].filter((v) => v.status?.phase === 'Running');
  const loser = [a!, b!].filter((v) => v.status?.phase === 'Failed');
  expect(winner).toHaveLength(1);
  expect(loser).toHaveLength(1);
  expect(findCondition(loser[0]!.status?.conditions, 'Stalled')).toMatchObject({
    status: 'True',
    reason: 'AddressConflict',
    message: expect.stringContaining(`192.168.50.20 on Network backend is taken by VirtualMachine ${winner[0]!.metadata.name}`),
  });
  const holders = (await client.list<IPAllocation>(IPAllocations, { namespace: ns })).items.filter((x) => x.spec.address === '192.168.50.20');
  expect(holders).toHaveLength(1);
  // The loser never got a KubeVirt VM.
  expect(await client.tryGet(KubeVirtVirtualMachines, ns, loser[0]!.metadata.name!)).toBeUndefined();
});

it('starts a VM whose cloud-init is larger than KubeVirt allows inline, from a Secret Stratus owns', async () => {
  // KubeVirt refuses inline user data over 2,048 bytes (test/foundation/admission.test.ts); users' scripts often are.
  const userData = `#cloud-config\nwrite_files:\n  - path: /etc/motd\n    content: ${'x'.repeat(3072)}\n`;
  await client.create(VirtualMachines, vm('big-init', { cloudInit: { userData } }));
  await eventually(async () => ready(await get<VirtualMachine>(VirtualMachines, 'big-init')), 60_000, 'the VM with 3 KB of cloud-init Ready');

  const owner = await get<VirtualMachine>(VirtualMachines, 'big-init');
  const secret = await client.get<KubeObject & { data: Record<string, string> }>(Secrets, ns, 'big-init-cloud-init');
  expect(Buffer.from(secret.data.userdata!, 'base64').toString()).toBe(userData);
  expect(secret.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'VirtualMachine', name: 'big-init', uid: owner.metadata.uid, controller: true })]);
  expect(secret.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'stratus', operation: 'Apply' })]);
  const volume = templateSpecOf(await get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, 'big-init')).volumes?.find((v) => v.name === 'cloudinitdisk');
  // A single VM always carries network data, so interfaces added later change only the Secret.
  expect(volume?.cloudInitNoCloud).toEqual({ secretRef: { name: 'big-init-cloud-init' }, networkDataSecretRef: { name: 'big-init-cloud-init' } });
});

it('runs a VM on a Volume whose StorageClass binds on first use: the Volume is usable before its claim binds, and binds on the VM\'s node', async () => {
  // Most clouds' default classes bind WaitForFirstConsumer: the claim stays Pending until a pod using it is scheduled.
  await client.create(Volumes, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name: 'late-data', namespace: ns }, spec: { size: '1Gi', storageClassName: 'stratus-sim-wffc' } } as Volume);
  const usable = await eventually(async () => {
    const v = await get<Volume>(Volumes, 'late-data');
    return ready(v) ? v : undefined;
  }, 30_000, 'the Volume Ready before any user');
  expect(findCondition(usable.status?.conditions, 'Ready')).toMatchObject({ reason: 'WaitingForFirstConsumer', message: 'the claim binds when its first user is scheduled (StorageClass stratus-sim-wffc: WaitForFirstConsumer)' });
  expect((await client.get(PersistentVolumeClaims, ns, 'late-data')).status).toMatchObject({ phase: 'Pending' });

  await client.create(VirtualMachines, vm('late', { disks: [{ name: 'data', volume: 'late-data' }] as VirtualMachine['spec']['disks'] }));
  const running = await eventually(async () => {
    const v = await get<VirtualMachine>(VirtualMachines, 'late');
    return ready(v) ? v : undefined;
  }, 60_000, 'the VM Ready');
  // Data disks are hotplug volumes (so they can also leave a running VM): the attachment pod, on the VM's node, is the claim's first consumer.
  const claim = await eventually(async () => {
    const c = await client.get(PersistentVolumeClaims, ns, 'late-data');
    return (c.status as { phase?: string } | undefined)?.phase === 'Bound' ? c : undefined;
  }, 30_000, 'the claim bound');
  expect(claim.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBe(running.status?.nodeName);
  await eventually(async () => (await get<Volume>(Volumes, 'late-data')).status?.phase === 'InUse' && ready(await get<Volume>(Volumes, 'late-data')), 30_000, 'the Volume InUse and bound');
});

it('makes no API writes in steady state, even when woken', async () => {
  const before = await settled([operator]);
  // A user's annotation wakes every controller for every object; nothing about them changed.
  for (const [type, names] of [
    [VirtualMachines, ['web-1', 'twin-a', 'twin-b', 'big-init']],
    [Volumes, ['web-1-root']],
    [Networks, ['backend']],
  ] as const) {
    for (const name of names) await client.patch(type, ns, name, { merge: { metadata: { annotations: { 'example.com/touched': String(Date.now()) } } } });
  }
  expect(await settled([operator])).toBe(before);
});

it('keeps a Volume in use until its VM is gone, and keeps a Retain claim afterwards', async () => {
  await client.delete(Volumes, ns, 'web-1-root');
  const blocked = await eventually(async () => {
    const v = await get<Volume>(Volumes, 'web-1-root');
    return findCondition(v.status?.conditions, 'Reconciling')?.reason === 'DeletionBlocked' ? v : undefined;
  }, 20_000, 'deletion blocked');
  expect(blocked.metadata.deletionTimestamp).toBeDefined();
  expect(findCondition(blocked.status?.conditions, 'Reconciling')?.message).toContain('VirtualMachine web-1');
  await settled([operator]);
  expect(await client.tryGet(Volumes, ns, 'web-1-root')).toBeDefined();

  await client.delete(VirtualMachines, ns, 'web-1');
  await eventually(async () => (await client.tryGet(Volumes, ns, 'web-1-root')) === undefined, 30_000, 'Volume deleted');
  // reclaimPolicy Retain: the claim and its data stay, owned by no one.
  const claim = await client.get(PersistentVolumeClaims, ns, 'web-1-root');
  expect(claim.metadata.ownerReferences ?? []).toEqual([]);
  expect(claim.metadata.deletionTimestamp).toBeUndefined();
});
