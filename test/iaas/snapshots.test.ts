// Snapshots and restores on the real control plane with the simulators: a VM
// snapshotted while running (application-consistent through its guest
// agent), changed, and restored in place gets the snapshot's data back and
// runs again; a restore without consent waits for the VM to be stopped; a
// restore into a new VM; a Volume from a Volume's snapshot; a failing
// snapshot is Stalled with the driver's words; a snapshot in use is not
// deleted from under its restore.
import { stringify } from 'yaml';
import { Restores, Snapshots, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { Restore, Snapshot, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import { KubeVirtVirtualMachineInstances, KubeVirtVirtualMachines, type VirtualMachine as KubeVirtVirtualMachine, type VirtualMachineInstance } from '../../pkg/contracts/kubevirt/index.js';
import { PersistentVolumeClaims } from '../../pkg/kube/resources.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { readData, writeData } from '../support/disks.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';
import { settled, startTestOperator } from '../support/operator.js';

let client: Client;
let ns: string;
let operator: RunningOperator;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'snapshots');
  operator = await startTestOperator(ns);
});
afterAll(async () => {
  await operator?.stop();
  await deleteNamespace(client, ns);
  client.rest.close();
});

const apply = async (objects: KubeObject[]) => {
  const r = await kubectl(['apply', '--server-side', '-f', '-'], objects.map((o) => stringify({ ...o, metadata: { ...o.metadata, namespace: ns } })).join('---\n'));
  expect(r.stderr).toBe('');
};
const meta = (kind: string, name: string) => ({ apiVersion: 'stratus.dev/v1alpha1', kind, metadata: { name, namespace: ns } });
const condition = (o: { status?: { conditions?: KubeObject['status'] } } | undefined, type: string) => findCondition((o?.status as { conditions?: [] } | undefined)?.conditions, type);
const claimOf = async (volume: string) => (await client.get<Volume>(Volumes, ns, volume)).status!.claimName!;

async function until<T extends KubeObject>(type: typeof Snapshots, name: string, test: (o: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  return eventually(async () => {
    const o = await client.get<T>(type, ns, name);
    return test(o) ? o : undefined;
  }, timeoutMs, what);
}

const vmi = (name: string) => client.tryGet<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, ns, name);
const running = (name: string) => until<VirtualMachine>(VirtualMachines, name, (v) => v.status?.phase === 'Running' && condition(v, 'Ready')?.status === 'True', `VM ${name} running`);

describe('a VM snapshot', () => {
  it('is taken while the VM runs, application-consistent through the guest agent', async () => {
    await apply([
      { ...meta('Volume', 'db-root'), spec: { size: '4Gi', source: { http: { url: 'https://images.example/debian-12.qcow2' } } } },
      { ...meta('Volume', 'db-data'), spec: { size: '2Gi' } },
      {
        ...meta('VirtualMachine', 'db'),
        spec: { rootDisk: { volume: 'db-root' }, disks: [{ name: 'data', volume: 'db-data' }, { name: 'scratch', size: '1Gi' }], memory: '1Gi' },
      },
    ]);
    await running('db');
    // The guest agent reports once the VM runs; a snapshot then freezes its filesystems.
    await eventually(async () => (await vmi('db'))?.status?.conditions?.some((c) => c.type === 'AgentConnected'), 30_000, 'guest agent');
    await writeData(client, ns, await claimOf('db-root'), 'root v1');
    await writeData(client, ns, await claimOf('db-data'), 'data v1');
    await writeData(client, ns, 'db-scratch', 'scratch v1');

    await apply([{ ...meta('Snapshot', 'db-before-upgrade'), spec: { source: { virtualMachine: 'db' } } }]);
    const snap = await until<Snapshot>(Snapshots, 'db-before-upgrade', (s) => s.status?.readyToUse === true && condition(s, 'Ready')?.status === 'True', 'Snapshot ready');
    expect(snap.status).toMatchObject({ phase: 'Succeeded', readyToUse: true, consistency: 'Application', indications: ['GuestAgent', 'Online'], size: '7Gi' });
    expect(snap.status?.volumes?.map((v) => [v.name, v.volume, v.claimName, v.readyToUse])).toEqual([
      ['rootdisk', 'db-root', 'db-root', true],
      ['data', 'db-data', 'db-data', true],
      ['scratch', undefined, 'db-scratch', true],
    ]);
    // A single VM always has a cloud-init disk (its network data, so interfaces can come and go live), which KubeVirt does not snapshot.
    expect(snap.status?.excludedDisks).toEqual(['cloudinitdisk']);
    expect(snap.status?.creationTime).toMatch(/Z$/);
    expect(condition(snap, 'Ready')?.message).toBe('ready to restore: 3 disks, 7Gi, application-consistent (the guest agent froze the filesystems)');
    expect(condition(snap, 'Reconciling')).toBeUndefined();
  });

  it('is restored in place: the VM is stopped with consent, gets the data of the snapshot back, and runs again', async () => {
    const before = (await vmi('db'))!.metadata.uid;
    await writeData(client, ns, 'db-root', 'root v2');
    await writeData(client, ns, 'db-data', 'data v2');
    await writeData(client, ns, 'db-scratch', 'scratch v2');
    await apply([{ ...meta('Restore', 'db-rollback'), spec: { snapshot: 'db-before-upgrade', target: { virtualMachine: 'db' }, stopVirtualMachine: true } }]);
    // Stopped for the restore, and said so.
    const held = await until<VirtualMachine>(VirtualMachines, 'db', (v) => condition(v, 'Reconciling')?.reason === 'Restoring', 'VM held for the restore');
    expect(condition(held, 'Reconciling')?.message).toContain('stopped for Restore db-rollback');
    const done = await until<Restore>(Restores, 'db-rollback', (r) => r.status?.phase === 'Succeeded', 'Restore done');
    expect(done.status).toMatchObject({ virtualMachine: 'db', phase: 'Succeeded' });
    expect(done.status?.volumes?.map((v) => [v.name, v.volume, v.claimName])).toEqual([
      ['rootdisk', 'db-root', 'db-root'],
      ['data', 'db-data', 'db-data'],
      ['scratch', undefined, 'db-scratch'],
    ]);
    expect(condition(done, 'Ready')).toMatchObject({ status: 'True', reason: 'Restored' });
    await running('db');
    expect(await readData(client, ns, 'db-root')).toBe('root v1');
    expect(await readData(client, ns, 'db-data')).toBe('data v1');
    expect(await readData(client, ns, 'db-scratch')).toBe('scratch v1');
    expect((await vmi('db'))!.metadata.uid).not.toBe(before);
    // The Volumes have their claims back as their own.
    for (const v of ['db-root', 'db-data']) {
      const volume = await until<Volume>(Volumes, v, (x) => condition(x, 'Ready')?.status === 'True', `Volume ${v} Ready`);
      expect(volume.status?.claimName).toBe(v);
    }
    const data = await client.get(PersistentVolumeClaims, ns, 'db-data');
    expect(data.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Volume', name: 'db-data', controller: true })]);
    await settled([operator]);
  });

  it('waits without consent while the VM runs, and restores once it is stopped, leaving it stopped', async () => {
    const instance = (await vmi('db'))!.metadata.uid;
    await writeData(client, ns, 'db-data', 'data v3');
    await apply([{ ...meta('Restore', 'db-rollback-2'), spec: { snapshot: 'db-before-upgrade', target: { virtualMachine: 'db' } } }]);
    const waiting = await until<Restore>(Restores, 'db-rollback-2', (r) => condition(r, 'Reconciling')?.reason === 'WaitingForStop', 'Restore waiting for the stop');
    expect(waiting.status?.phase).toBe('Pending');
    expect(condition(waiting, 'Reconciling')?.message).toContain('VirtualMachine db is running: the restore waits until it is stopped');
    await settled([operator]);
    expect((await vmi('db'))?.metadata.uid).toBe(instance);
    expect(await readData(client, ns, 'db-data')).toBe('data v3');

    await client.patch(VirtualMachines, ns, 'db', { merge: { spec: { powerState: 'Stopped' } } });
    await until<Restore>(Restores, 'db-rollback-2', (r) => r.status?.phase === 'Succeeded', 'Restore done');
    expect(await readData(client, ns, 'db-data')).toBe('data v1');
    const vm = await until<VirtualMachine>(VirtualMachines, 'db', (v) => v.status?.phase === 'Stopped' && condition(v, 'Ready')?.status === 'True', 'VM stopped');
    expect(vm.status?.powerState).toBe('Stopped');
    expect((await client.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, 'db')).spec.runStrategy).toBe('Halted');
  });

  it('is restored into a new VM with Volumes of its own, leaving the original alone', async () => {
    await writeData(client, ns, 'db-data', 'data v4');
    await apply([{ ...meta('Restore', 'db-copy'), spec: { snapshot: 'db-before-upgrade', target: { newVirtualMachine: 'db-copy' } } }]);
    const done = await until<Restore>(Restores, 'db-copy', (r) => r.status?.phase === 'Succeeded', 'Restore into a new VM done');
    expect(done.status?.volumes?.map((v) => [v.name, v.volume])).toEqual([
      ['rootdisk', 'db-copy-rootdisk'],
      ['data', 'db-copy-data'],
      ['scratch', 'db-copy-scratch'],
    ]);
    const copy = await running('db-copy');
    expect(copy.spec.rootDisk).toEqual({ volume: 'db-copy-rootdisk', bus: 'virtio' });
    expect(copy.spec.disks?.map((d) => d.volume)).toEqual(['db-copy-data', 'db-copy-scratch']);
    expect(copy.metadata.annotations?.['stratus.dev/restored-by']).toBe(done.metadata.uid);
    expect(await readData(client, ns, await claimOf('db-copy-rootdisk'))).toBe('root v1');
    expect(await readData(client, ns, await claimOf('db-copy-data'))).toBe('data v1');
    expect(await readData(client, ns, await claimOf('db-copy-scratch'))).toBe('scratch v1');
    expect(await readData(client, ns, 'db-data')).toBe('data v4');
    const size = (await client.get<Volume>(Volumes, ns, 'db-copy-data')).spec;
    expect(size).toMatchObject({ size: '2Gi', source: { snapshot: { name: 'db-before-upgrade', disk: 'data' } } });
  });
});

describe('a Volume snapshot', () => {
  it('makes a new Volume with the data it had', async () => {
    await apply([{ ...meta('Volume', 'logs'), spec: { size: '1Gi' } }]);
    await until<Volume>(Volumes, 'logs', (v) => condition(v, 'Ready')?.status === 'True', 'Volume ready');
    await writeData(client, ns, 'logs', 'monday');
    await apply([{ ...meta('Snapshot', 'logs-monday'), spec: { source: { volume: 'logs' }, deletionPolicy: 'Retain' } }]);
    const snap = await until<Snapshot>(Snapshots, 'logs-monday', (s) => s.status?.readyToUse === true, 'Snapshot ready');
    expect(snap.status).toMatchObject({ consistency: 'Offline', size: '1Gi', volumes: [{ name: 'logs', volume: 'logs', claimName: 'logs', volumeSnapshot: 'logs-monday', readyToUse: true }] });
    await writeData(client, ns, 'logs', 'tuesday');
    await apply([{ ...meta('Volume', 'logs-monday'), spec: { size: '1Gi', source: { snapshot: { name: 'logs-monday' } } } }]);
    await until<Volume>(Volumes, 'logs-monday', (v) => condition(v, 'Ready')?.status === 'True', 'restored Volume ready');
    expect(await readData(client, ns, 'logs-monday')).toBe('monday');
    expect(await readData(client, ns, 'logs')).toBe('tuesday');
  });

  it('refuses a Volume smaller than the snapshot, naming the field', async () => {
    await apply([{ ...meta('Volume', 'too-small'), spec: { size: '512Mi', source: { snapshot: { name: 'logs-monday' } } } }]);
    const v = await until<Volume>(Volumes, 'too-small', (x) => condition(x, 'Stalled')?.status === 'True', 'Volume stalled');
    expect(condition(v, 'Stalled')).toMatchObject({ reason: 'InvalidSource', message: "spec.size 512Mi is smaller than the Snapshot's disk logs (1Gi)" });
  });

  it('is Stalled with the driver’s words when the storage fails it', async () => {
    await apply([{ ...meta('Volume', 'flaky'), spec: { size: '1Gi' } }]);
    await until<Volume>(Volumes, 'flaky', (v) => condition(v, 'Ready')?.status === 'True', 'Volume ready');
    await client.patch(PersistentVolumeClaims, ns, 'flaky', { merge: { metadata: { annotations: { 'sim.stratus.dev/inject-failure': 'SnapshotFailed' } } } });
    await apply([{ ...meta('Snapshot', 'flaky-now'), spec: { source: { volume: 'flaky' } } }]);
    const failed = await until<Snapshot>(Snapshots, 'flaky-now', (s) => condition(s, 'Stalled')?.status === 'True', 'Snapshot stalled');
    expect(failed.status).toMatchObject({ phase: 'Failed', readyToUse: false });
    expect(condition(failed, 'Stalled')?.reason).toBe('SnapshotFailed');
    expect(condition(failed, 'Stalled')?.message).toMatch(/^VolumeSnapshot flaky-now: Failed to check and update snapshot content: failed to take snapshot of the volume .*rpc error: code = Internal/);
  });
});

it('keeps a snapshot while a Volume is restored from it', async () => {
  // A Volume not Ready yet counts as restoring from the Snapshot: here it does not say which disk it wants.
  await apply([{ ...meta('Volume', 'waits-for-disk'), spec: { size: '2Gi', source: { snapshot: { name: 'db-before-upgrade' } } } }]);
  const stuckVolume = await until<Volume>(Volumes, 'waits-for-disk', (v) => condition(v, 'Stalled')?.status === 'True', 'Volume stalled');
  expect(condition(stuckVolume, 'Stalled')?.message).toBe('Snapshot db-before-upgrade has disks rootdisk, data, scratch: name one in spec.source.snapshot.disk');
  await client.delete(Snapshots, ns, 'db-before-upgrade');
  const blocked = await until<Snapshot>(Snapshots, 'db-before-upgrade', (s) => condition(s, 'Reconciling')?.reason === 'DeletionBlocked', 'deletion blocked');
  expect(condition(blocked, 'Reconciling')?.message).toBe('deletion waits until nothing restores from the Snapshot; in use by Volume waits-for-disk');
  await client.delete(Volumes, ns, 'waits-for-disk');
  await eventually(async () => !(await client.tryGet(Snapshots, ns, 'db-before-upgrade')), 30_000, 'Snapshot gone');
});
