// Simulated KubeVirt on day two, against KubeVirt's own admission: live
// migrations through their phases (and their failures and timeouts), the
// eviction path a node drain takes, CPU and memory hotplug applied with a
// migration to a bigger launcher pod, and volumes hotplugged through an
// attachment pod.
import {
  KubeVirts,
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  MigrationPolicies,
  VirtualMachineInstanceMigrations,
  type KubeVirt,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstance,
  type VirtualMachineInstanceMigration,
} from '../../pkg/contracts/kubevirt/index.js';
import type { PersistentVolumeClaim, Pod } from '../../pkg/kube/core-types.js';
import { PersistentVolumeClaims, Pods } from '../../pkg/kube/resources.js';
import { ApiError } from '../../pkg/runtime/client/api-error.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { stringify } from 'yaml';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';

let client: Client;
let ns: string;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'kv-day2');
});
afterAll(async () => {
  await client.deleteIfExists(MigrationPolicies, undefined, `${ns}-slow`);
  await deleteNamespace(client, ns);
  client.rest.close();
});

type Template = NonNullable<KubeVirtVirtualMachine['spec']['template']['spec']>;

function vm(name: string, change: (t: Template) => void = () => {}, annotations: Record<string, string> = {}): KubeVirtVirtualMachine {
  const spec: Template = {
    domain: { cpu: { sockets: 1 }, memory: { guest: '1Gi' }, devices: { disks: [{ name: 'root', disk: { bus: 'virtio' } }], interfaces: [{ name: 'default', masquerade: {} }] } },
    networks: [{ name: 'default', pod: {} }],
    volumes: [{ name: 'root', containerDisk: { image: 'quay.io/containerdisks/fedora:41' } }],
  };
  change(spec);
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace: ns },
    spec: { runStrategy: 'Always', template: { metadata: { labels: { 'kubevirt.io/domain': name }, annotations }, spec } },
  };
}

const vmiOf = (name: string) => client.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, ns, name);
const condition = (vmi: VirtualMachineInstance, type: string) => vmi.status?.conditions?.find((c) => c.type === type);

async function running(name: string): Promise<VirtualMachineInstance> {
  return eventually(async () => {
    const vmi = await client.tryGet<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, ns, name);
    return vmi?.status?.phase === 'Running' && condition(vmi, 'Ready')?.status === 'True' && condition(vmi, 'LiveMigratable') ? vmi : undefined;
  }, 30_000, `${name} running`);
}

function migration(name: string, vmiName: string, annotations: Record<string, string> = {}): VirtualMachineInstanceMigration {
  return { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceMigration', metadata: { name, namespace: ns, annotations }, spec: { vmiName } };
}

async function finished(name: string): Promise<VirtualMachineInstanceMigration> {
  return eventually(async () => {
    const m = await client.get<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, ns, name);
    return m.status?.phase === 'Succeeded' || m.status?.phase === 'Failed' ? m : undefined;
  }, 60_000, `migration ${name} finished`);
}

const launcherPods = async (vmiName: string) =>
  (await client.list<Pod>(Pods, { namespace: ns, labelSelector: `kubevirt.io=virt-launcher,vm.kubevirt.io/name=${vmiName}` })).items;

it('runs with a KubeVirt CR configured for live updates and reported Deployed', async () => {
  const kv = await client.get<KubeVirt>(KubeVirts, 'kubevirt', 'kubevirt');
  expect(kv.spec.configuration?.developerConfiguration?.featureGates).toContain('DeclarativeHotplugVolumes');
  expect(kv.spec.workloadUpdateStrategy?.workloadUpdateMethods).toEqual(['LiveMigrate']);
  expect(kv.status).toMatchObject({ phase: 'Deployed', defaultArchitecture: 'amd64' });
});

it('migrates a VMI through the phases to another node, keeping the VMI, and ends the source pod Completed', async () => {
  await client.create(KubeVirtVirtualMachines, vm('mover'));
  const before = await running('mover');
  const source = before.status!.nodeName!;
  await client.create(VirtualMachineInstanceMigrations, migration('move-1', 'mover'));
  const done = await finished('move-1');
  expect(done.status?.phase).toBe('Succeeded');
  // virt-api's mutating webhook labelled it and added its finalizer; virt-controller took the finalizer off at the end.
  expect(done.metadata.labels?.['kubevirt.io/vmi-name']).toBe('mover');
  await eventually(async () => {
    const m = await client.get<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, ns, 'move-1');
    return !(m.metadata.finalizers ?? []).includes('kubevirt.io/migrationJobFinalize');
  }, 10_000, "virt-api's finalizer removed");
  expect(done.status?.phaseTransitionTimestamps?.map((t) => t.phase)).toEqual(['Pending', 'Scheduling', 'Scheduled', 'PreparingTarget', 'TargetReady', 'Running', 'Succeeded']);
  const vmi = await eventually(async () => {
    const v = await vmiOf('mover');
    return v.status?.nodeName !== source ? v : undefined;
  }, 10_000, 'the VMI on its new node');
  expect(vmi.metadata.uid).toBe(before.metadata.uid);
  expect(vmi.status?.migrationState).toMatchObject({ completed: true, sourceNode: source, targetNode: vmi.status?.nodeName, migrationUid: done.metadata.uid });
  expect(vmi.status?.migrationState?.failed).toBeUndefined();
  expect(vmi.metadata.labels?.['kubevirt.io/nodeName']).toBe(vmi.status?.nodeName);
  expect(done.status?.migrationState).toMatchObject({ completed: true, sourceNode: source });
  const pods = await eventually(async () => {
    const all = await launcherPods('mover');
    return all.some((p) => p.status?.phase === 'Succeeded') ? all : undefined;
  }, 10_000, 'the source pod Completed');
  expect(pods.find((p) => p.status?.phase === 'Succeeded')?.spec.nodeName).toBe(source);
  expect(pods.find((p) => p.status?.phase === 'Running')?.spec.nodeName).toBe(vmi.status?.nodeName);
});

it('refuses to migrate a VMI whose claim is not shared, in KubeVirt’s words', async () => {
  await client.create(PersistentVolumeClaims, {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'rwo', namespace: ns },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  await client.create(KubeVirtVirtualMachines, vm('pinned', (t) => {
    t.domain.devices.disks!.push({ name: 'data', disk: { bus: 'virtio' } });
    t.volumes!.push({ name: 'data', persistentVolumeClaim: { claimName: 'rwo' } });
  }));
  const vmi = await running('pinned');
  expect(condition(vmi, 'LiveMigratable')).toMatchObject({ status: 'False', reason: 'DisksNotLiveMigratable' });
  const refused = await client.create(VirtualMachineInstanceMigrations, migration('move-pinned', 'pinned')).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(ApiError);
  expect((refused as ApiError).message).toContain('Cannot migrate VMI, Reason: DisksNotLiveMigratable');
});

it('fails a migration the source reports broken, and one whose target pod cannot be scheduled in time', async () => {
  await client.create(KubeVirtVirtualMachines, vm('flaky', () => {}, { 'sim.stratus.dev/inject-failure': 'MigrationFailed' }));
  const vmi = await running('flaky');
  await client.create(VirtualMachineInstanceMigrations, migration('move-flaky', 'flaky'));
  const failed = await finished('move-flaky');
  expect(failed.status?.phase).toBe('Failed');
  const after = await vmiOf('flaky');
  expect(after.status?.nodeName).toBe(vmi.status?.nodeName);
  expect(after.status?.migrationState).toMatchObject({ failed: true, completed: true, failureReason: expect.stringContaining('Live migration failed') });
  await eventually(async () => (await launcherPods('flaky')).length === 1, 10_000, 'the target pod gone');

  await client.create(KubeVirtVirtualMachines, vm('crowded', () => {}, { 'sim.stratus.dev/inject-failure': 'MigrationTargetUnschedulable' }));
  await running('crowded');
  await client.create(VirtualMachineInstanceMigrations, migration('move-crowded', 'crowded', { 'kubevirt.io/migrationUnschedulablePodTimeoutSeconds': '2' }));
  const began = Date.now();
  const timedOut = await finished('move-crowded');
  expect(timedOut.status?.phase).toBe('Failed');
  // KubeVirt counts whole seconds from the pod's creationTimestamp (itself whole seconds).
  expect(Date.now() - began).toBeGreaterThanOrEqual(1_000);
  expect((await vmiOf('crowded')).status?.phase).toBe('Running');
});

it('aborts a migration that makes no progress once a MigrationPolicy’s completion timeout passes', async () => {
  await client.create(MigrationPolicies, {
    apiVersion: 'migrations.kubevirt.io/v1alpha1',
    kind: 'MigrationPolicy',
    metadata: { name: `${ns}-slow` },
    spec: { completionTimeoutPerGiB: 2, selectors: { virtualMachineInstanceSelector: { 'kubevirt.io/domain': 'stuck' } } },
  });
  await client.create(KubeVirtVirtualMachines, vm('stuck', () => {}, { 'sim.stratus.dev/inject-failure': 'MigrationStuck' }));
  await running('stuck');
  await client.create(VirtualMachineInstanceMigrations, migration('move-stuck', 'stuck'));
  const failed = await finished('move-stuck');
  expect(failed.status?.phase).toBe('Failed');
  expect(failed.status?.migrationState).toMatchObject({ failed: true, migrationPolicyName: `${ns}-slow`, failureReason: 'Live migration is not completed after 2 seconds and has been aborted' });
});

it('refuses to evict a launcher pod of a VMI that migrates on eviction, marks it, and moves it', async () => {
  await client.create(KubeVirtVirtualMachines, vm('evictee', (t) => (t.evictionStrategy = 'LiveMigrate')));
  const vmi = await running('evictee');
  const [pod] = await launcherPods('evictee');
  const refused = await client.post(Pods, ns, pod!.metadata.name!, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod!.metadata.name, namespace: ns } }).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(ApiError);
  expect((refused as ApiError).status).toBe(429);
  expect((refused as ApiError).message).toContain(`Eviction triggered evacuation of VMI "${ns}/evictee"`);
  const moved = await eventually(async () => {
    const v = await vmiOf('evictee');
    return v.status?.nodeName !== vmi.status?.nodeName && v.status?.migrationState?.completed ? v : undefined;
  }, 30_000, 'the VMI evacuated');
  expect(moved.status?.evacuationNodeName).toBeUndefined();
  const evacuations = (await client.list<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, { namespace: ns })).items.filter((m) => m.spec.vmiName === 'evictee');
  expect(evacuations).toHaveLength(1);
  expect(evacuations[0]!.metadata.annotations?.['kubevirt.io/evacuationMigration']).toBe(vmi.status?.nodeName);
  // The source pod has completed: evicting it now goes through.
  await eventually(async () => (await client.get<Pod>(Pods, ns, pod!.metadata.name!)).status?.phase === 'Succeeded', 10_000, 'the source pod completed');
  await client.post(Pods, ns, pod!.metadata.name!, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod!.metadata.name, namespace: ns } });
});

it('hotplugs CPU sockets and memory into the running VMI, applied through a migration to a bigger pod', async () => {
  await client.create(KubeVirtVirtualMachines, vm('grower', (t) => (t.domain.memory = { guest: '4Gi' })));
  const before = await running('grower');
  // virt-api's mutating webhook gave the VMI room to grow: 4× the sockets and the memory.
  expect(before.spec.domain.cpu).toMatchObject({ sockets: 1, maxSockets: 4 });
  expect(before.spec.domain.memory).toMatchObject({ guest: '4Gi', maxGuest: '16Gi' });
  expect(before.status?.memory).toMatchObject({ guestAtBoot: '4Gi', guestCurrent: '4Gi' });
  await client.patch(KubeVirtVirtualMachines, ns, 'grower', { json: [
    { op: 'replace', path: '/spec/template/spec/domain/cpu/sockets', value: 2 },
    { op: 'replace', path: '/spec/template/spec/domain/memory/guest', value: '8Gi' },
  ] });
  const after = await eventually(async () => {
    const v = await vmiOf('grower');
    return v.status?.currentCPUTopology?.sockets === 2 && v.status.memory?.guestCurrent === '8Gi' && !condition(v, 'HotVCPUChange') && !condition(v, 'HotMemoryChange') ? v : undefined;
  }, 30_000, 'CPU and memory hotplugged');
  expect(after.metadata.uid).toBe(before.metadata.uid);
  expect(after.spec.domain.cpu?.sockets).toBe(2);
  const updates = (await client.list<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, { namespace: ns })).items.filter((m) => m.spec.vmiName === 'grower');
  expect(updates.length).toBeGreaterThanOrEqual(1);
  expect(updates.every((m) => m.metadata.generateName === 'kubevirt-workload-update-')).toBe(true);
  const kv = await client.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, 'grower');
  expect(kv.status?.conditions?.find((c) => c.type === 'RestartRequired')).toBeUndefined();
  // Fewer sockets cannot go live.
  await client.patch(KubeVirtVirtualMachines, ns, 'grower', { json: [{ op: 'replace', path: '/spec/template/spec/domain/cpu/sockets', value: 1 }] });
  await eventually(async () => {
    const v = await client.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, 'grower');
    return v.status?.conditions?.find((c) => c.type === 'RestartRequired' && c.message === 'Reduction of CPU socket count requires a restart');
  }, 15_000, 'RestartRequired for fewer sockets');
});

it('hotplugs a declared volume through an attachment pod and unplugs it again', async () => {
  await client.create(PersistentVolumeClaims, {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'extra', namespace: ns },
    spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } } },
  });
  await eventually(async () => (await client.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, 'extra')).status?.phase === 'Bound', 15_000, 'claim bound');
  await client.create(KubeVirtVirtualMachines, vm('plug'));
  const before = await running('plug');
  await client.patch(KubeVirtVirtualMachines, ns, 'plug', { json: [
    { op: 'add', path: '/spec/template/spec/domain/devices/disks/-', value: { name: 'extra', disk: { bus: 'scsi' } } },
    { op: 'add', path: '/spec/template/spec/volumes/-', value: { name: 'extra', persistentVolumeClaim: { claimName: 'extra', hotpluggable: true } } },
  ] });
  const plugged = await eventually(async () => {
    const v = await vmiOf('plug');
    return v.status?.volumeStatus?.find((s) => s.name === 'extra' && s.phase === 'Ready') ? v : undefined;
  }, 30_000, 'the volume Ready in the guest');
  expect(plugged.metadata.uid).toBe(before.metadata.uid);
  const status = plugged.status!.volumeStatus!.find((s) => s.name === 'extra')!;
  expect(status).toMatchObject({ reason: 'VolumeReady', target: 'sda', persistentVolumeClaimInfo: { claimName: 'extra', accessModes: ['ReadWriteMany'] } });
  const attachment = await client.get<Pod>(Pods, ns, status.hotplugVolume!.attachPodName!);
  expect(attachment.metadata.labels?.['kubevirt.io']).toBe('hotplug-disk');
  expect(attachment.spec.nodeName).toBe(plugged.status?.nodeName);
  // The VM needs no restart for it.
  const kv = await client.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, 'plug');
  expect(kv.status?.conditions?.find((c) => c.type === 'RestartRequired')).toBeUndefined();

  const template = kv.spec.template.spec!;
  await client.patch(KubeVirtVirtualMachines, ns, 'plug', { json: [
    { op: 'replace', path: '/spec/template/spec/domain/devices/disks', value: template.domain.devices.disks!.filter((d) => d.name !== 'extra') },
    { op: 'replace', path: '/spec/template/spec/volumes', value: template.volumes!.filter((v) => v.name !== 'extra') },
  ] });
  await eventually(async () => {
    const v = await vmiOf('plug');
    return !v.spec.volumes?.some((x) => x.name === 'extra') && !v.status?.volumeStatus?.some((s) => s.name === 'extra');
  }, 30_000, 'the volume unplugged');
  await eventually(async () => (await client.tryGet(Pods, ns, attachment.metadata.name!)) === undefined, 15_000, 'the attachment pod gone');
});

it('lets kubectl drain move a VM that migrates on eviction, and honours a PodDisruptionBudget', async () => {
  // The plane is shared: drain only this test's pods (--pod-selector), and uncordon the node afterwards.
  const selector = `drain-test=${ns}`;
  const drainable = vm('drained', (t) => (t.evictionStrategy = 'LiveMigrate'));
  drainable.spec.template.metadata!.labels!['drain-test'] = ns;
  await client.create(KubeVirtVirtualMachines, drainable);
  const before = await running('drained');
  const node = before.status!.nodeName!;
  const guarded = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'guarded', namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'guarded' } },
        template: {
          metadata: { labels: { app: 'guarded', 'drain-test': ns } },
          spec: { nodeSelector: { 'kubernetes.io/hostname': node }, containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
        },
      },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guarded', namespace: ns }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } },
  ];
  expect((await kubectl(['apply', '-f', '-'], guarded.map((o) => stringify(o)).join('---\n'))).code).toBe(0);
  await eventually(async () => {
    const r = await kubectl(['-n', ns, 'get', 'pdb', 'guarded', '-o', 'jsonpath={.status.currentHealthy}']);
    return r.stdout === '1';
  }, 30_000, 'the budget counting its pod');
  try {
    const blocked = await kubectl(['drain', node, '--pod-selector', selector, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=15s']);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget");
    // Meanwhile the VM moved, the same VMI on another node.
    const moved = await vmiOf('drained');
    expect(moved.metadata.uid).toBe(before.metadata.uid);
    expect(moved.status?.nodeName).not.toBe(node);
    // …and the drain took the completed source pod away.
    expect((await launcherPods('drained')).filter((p) => p.spec.nodeName === node)).toEqual([]);

    expect((await kubectl(['-n', ns, 'delete', 'pdb', 'guarded'])).code).toBe(0);
    const drained = await kubectl(['drain', node, '--pod-selector', selector, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s']);
    expect(drained.stderr).not.toContain('error');
    expect(drained.code).toBe(0);
    expect(drained.stdout).toContain(`node/${node} drained`);
  } finally {
    await kubectl(['uncordon', node]);
  }
}, 120_000);
