// Simulated snapshots and clones: CSI VolumeSnapshots (external-snapshotter's
// controller and sidecar, the real snapshot.storage.k8s.io CRDs) carry the data
// of their volume at the cut, claims restored from them get that data, not
// today's; KubeVirt's VirtualMachineSnapshots (admitted by virt-api with the
// Snapshot gate the KubeVirt CR enables) and in-place VirtualMachineRestores;
// CDI DataSources and sourceRef clones.
import type { PersistentVolume, PersistentVolumeClaim } from '../../pkg/kube/core-types.js';
import { PersistentVolumeClaims, PersistentVolumes } from '../../pkg/kube/resources.js';
import { DataSources, DataVolumes, type DataSource, type DataVolume } from '../../pkg/contracts/cdi/index.js';
import { VolumeSnapshots, type VolumeSnapshot } from '../../pkg/contracts/csi-snapshot/index.js';
import {
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  VirtualMachineRestores,
  VirtualMachineSnapshotContents,
  VirtualMachineSnapshots,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineRestore,
  type VirtualMachineSnapshot,
  type VirtualMachineSnapshotContent,
} from '../../pkg/contracts/kubevirt/index.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { contentOf } from '../../pkg/simulators/storage/content.js';
import { createNamespace, deleteNamespace, eventually, testClient } from '../support/kube.js';
import { readData, writeData } from '../support/disks.js';

let client: Client;
let ns: string;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'snapshot-sim');
});
afterAll(async () => {
  await deleteNamespace(client, ns);
  client.rest.close();
});

const claim = (name: string, extra: Partial<PersistentVolumeClaim['spec']> = {}): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: ns },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra },
});

const bound = (name: string) =>
  eventually(async () => {
    const c = await client.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, name);
    return c.status?.phase === 'Bound' ? c : undefined;
  }, 30_000, `claim ${name} Bound`);

const snapshotOf = (name: string, claimName: string): VolumeSnapshot => ({
  apiVersion: 'snapshot.storage.k8s.io/v1',
  kind: 'VolumeSnapshot',
  metadata: { name, namespace: ns },
  spec: { source: { persistentVolumeClaimName: claimName } },
});

it('snapshots a claim at the cut and restores that data into a new claim', async () => {
  await client.create(PersistentVolumeClaims, claim('data'));
  await bound('data');
  await writeData(client, ns, 'data', 'v1');
  await client.create(VolumeSnapshots, snapshotOf('data-snap', 'data'));
  const ready = await eventually(async () => {
    const vs = await client.get<VolumeSnapshot>(VolumeSnapshots, ns, 'data-snap');
    return vs.status?.readyToUse ? vs : undefined;
  }, 30_000, 'VolumeSnapshot readyToUse');
  expect(ready.status).toMatchObject({ readyToUse: true, restoreSize: '1Gi', boundVolumeSnapshotContentName: `snapcontent-${ready.metadata.uid}` });
  expect(ready.status?.creationTime).toMatch(/Z$/);
  expect(ready.metadata.finalizers).toEqual(expect.arrayContaining(['snapshot.storage.kubernetes.io/volumesnapshot-bound-protection']));

  await writeData(client, ns, 'data', 'v2');
  await client.create(PersistentVolumeClaims, claim('restored', { dataSourceRef: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'data-snap' } }));
  const restored = await bound('restored');
  expect(await readData(client, ns, 'restored')).toBe('v1');
  expect(await readData(client, ns, 'data')).toBe('v2');
  const pv = await client.get<PersistentVolume>(PersistentVolumes, undefined, restored.spec.volumeName!);
  expect(contentOf(pv).lineage.at(-1)).toContain(`restored from snapcontent-${ready.metadata.uid}`);

  // Deletion policy Delete (the class's): the content goes with the snapshot.
  await client.delete(VolumeSnapshots, ns, 'data-snap');
  await eventually(async () => !(await client.tryGet(VolumeSnapshots, ns, 'data-snap')), 30_000, 'VolumeSnapshot gone');
});

it('fails a snapshot of a claim annotated SnapshotFailed with the snapshotter’s error', async () => {
  await client.create(PersistentVolumeClaims, { ...claim('broken'), metadata: { name: 'broken', namespace: ns, annotations: { 'sim.stratus.dev/inject-failure': 'SnapshotFailed' } } });
  await bound('broken');
  await client.create(VolumeSnapshots, snapshotOf('broken-snap', 'broken'));
  const failed = await eventually(async () => {
    const vs = await client.get<VolumeSnapshot>(VolumeSnapshots, ns, 'broken-snap');
    return vs.status?.error ? vs : undefined;
  }, 30_000, 'VolumeSnapshot error');
  expect(failed.status?.readyToUse).toBe(false);
  expect(failed.status?.error?.message).toContain('failed to take snapshot of the volume');
});

it('clones through a DataSource (sourceRef) with a CSI clone of the same data', async () => {
  await client.create(DataVolumes, {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: { name: 'golden', namespace: ns },
    spec: { source: { http: { url: 'https://images.example/debian-12.qcow2' } }, storage: { resources: { requests: { storage: '2Gi' } } } },
  });
  await client.create(DataSources, { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataSource', metadata: { name: 'debian', namespace: ns }, spec: { source: { pvc: { namespace: ns, name: 'golden' } } } });
  const ready = await eventually(async () => {
    const ds = await client.get<DataSource>(DataSources, ns, 'debian');
    return ds.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? ds : undefined;
  }, 30_000, 'DataSource Ready');
  expect(ready.status?.source).toEqual({ pvc: { namespace: ns, name: 'golden' } });
  expect(await readData(client, ns, 'golden')).toBe('http https://images.example/debian-12.qcow2');

  await client.create(DataVolumes, {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: { name: 'clone', namespace: ns },
    spec: { sourceRef: { kind: 'DataSource', name: 'debian' }, storage: { resources: { requests: { storage: '4Gi' } } } },
  });
  await eventually(async () => (await client.get<DataVolume>(DataVolumes, ns, 'clone')).status?.phase === 'Succeeded', 30_000, 'clone Succeeded');
  expect(await readData(client, ns, 'clone')).toBe('http https://images.example/debian-12.qcow2');
  const pvc = await client.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, 'clone');
  expect(pvc.spec.dataSourceRef).toMatchObject({ kind: 'PersistentVolumeClaim', name: 'golden' });
});

function vm(name: string, runStrategy: string): KubeVirtVirtualMachine {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace: ns },
    spec: {
      runStrategy,
      template: {
        spec: {
          domain: { memory: { guest: '512Mi' }, devices: { disks: [{ name: 'root' }, { name: 'data' }] } },
          volumes: [
            { name: 'root', dataVolume: { name: 'golden' } },
            { name: 'data', persistentVolumeClaim: { claimName: 'vm-data' } },
          ],
        },
      },
    },
  };
}

it('snapshots a running VM with its guest agent, then restores it in place once stopped', async () => {
  await client.create(PersistentVolumeClaims, claim('vm-data'));
  await bound('vm-data');
  await writeData(client, ns, 'vm-data', 'before');
  await client.create(KubeVirtVirtualMachines, vm('db', 'Always'));
  await eventually(async () => (await client.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, 'db')).status?.ready === true, 60_000, 'VM ready');
  await eventually(
    async () => (await client.get(KubeVirtVirtualMachineInstances, ns, 'db')).status && JSON.stringify((await client.get(KubeVirtVirtualMachineInstances, ns, 'db')).status).includes('AgentConnected'),
    30_000,
    'guest agent connected',
  );

  await client.create(VirtualMachineSnapshots, {
    apiVersion: 'snapshot.kubevirt.io/v1beta1',
    kind: 'VirtualMachineSnapshot',
    metadata: { name: 'db-snap', namespace: ns },
    spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'db' } },
  });
  const snap = await eventually(async () => {
    const s = await client.get<VirtualMachineSnapshot>(VirtualMachineSnapshots, ns, 'db-snap');
    return s.status?.readyToUse ? s : undefined;
  }, 60_000, 'VirtualMachineSnapshot readyToUse');
  expect(snap.status).toMatchObject({ phase: 'Succeeded', indications: ['GuestAgent', 'Online'], snapshotVolumes: { includedVolumes: ['root', 'data'] } });
  expect(snap.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'Operation complete' });
  const content = await client.get<VirtualMachineSnapshotContent>(VirtualMachineSnapshotContents, ns, snap.status!.virtualMachineSnapshotContentName!);
  expect(content.spec.volumeBackups?.map((b) => b.persistentVolumeClaim.metadata?.name)).toEqual(['golden', 'vm-data']);
  // Unlocked once done.
  await eventually(async () => !(await client.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, 'db')).status?.snapshotInProgress, 30_000, 'VM unlocked');

  await writeData(client, ns, 'vm-data', 'after');
  await client.patch(KubeVirtVirtualMachines, ns, 'db', { merge: { spec: { runStrategy: 'Halted' } } });
  await eventually(async () => !(await client.tryGet(KubeVirtVirtualMachineInstances, ns, 'db')), 60_000, 'VMI gone');
  await client.create(VirtualMachineRestores, {
    apiVersion: 'snapshot.kubevirt.io/v1beta1',
    kind: 'VirtualMachineRestore',
    metadata: { name: 'db-restore', namespace: ns },
    spec: { target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'db' }, virtualMachineSnapshotName: 'db-snap', volumeRestorePolicy: 'InPlace', volumeOwnershipPolicy: 'None' },
  });
  const done = await eventually(async () => {
    const r = await client.get<VirtualMachineRestore>(VirtualMachineRestores, ns, 'db-restore');
    return r.status?.complete ? r : undefined;
  }, 60_000, 'VirtualMachineRestore complete');
  expect(done.status?.restores?.map((r) => r.persistentVolumeClaim).sort()).toEqual(['golden', 'vm-data']);
  expect(await readData(client, ns, 'vm-data')).toBe('before');
  // The DataVolume adopts its restored claim again.
  await eventually(async () => (await client.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, 'golden')).metadata.ownerReferences?.some((o) => o.kind === 'DataVolume'), 30_000, 'claim adopted');
  const restoredVm = await client.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, 'db');
  expect(restoredVm.status?.restoreInProgress).toBeUndefined();
  expect(restoredVm.spec.runStrategy).toBe('Halted');
  expect(restoredVm.metadata.annotations?.['restore.kubevirt.io/lastRestoreUID']).toBe(`db-restore-${done.metadata.uid}`);
});
