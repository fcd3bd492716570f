import type { Snapshot } from '../../pkg/api/types.generated.js';
import type { VolumeSnapshot } from '../../pkg/contracts/csi-snapshot/index.js';
import type { VirtualMachineSnapshot, VirtualMachineSnapshotContent } from '../../pkg/contracts/kubevirt/index.js';
import { stuck, Stuck, waiting, Waiting } from '../shared/problems.js';
import { snapshotStatus, type SnapshotObservation } from './status.js';

const now = Date.parse('2026-01-01T00:00:00Z');
const snapshot = (source: Snapshot['spec']['source']): Snapshot => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'Snapshot',
  metadata: { name: 'snap', namespace: 'ns', generation: 1 },
  spec: { source, deletionPolicy: 'Delete' },
});
const vmSnap = (status: VirtualMachineSnapshot['status']): VirtualMachineSnapshot => ({
  metadata: { name: 'snap' },
  spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'db' } },
  status,
});
const content: VirtualMachineSnapshotContent = {
  metadata: { name: 'vmsnapshot-content-1' },
  spec: {
    source: {},
    volumeBackups: [{ volumeName: 'rootdisk', persistentVolumeClaim: { metadata: { name: 'db-root' } }, volumeSnapshotName: 'vs-root' }],
  },
  status: { volumeSnapshotStatus: [{ volumeSnapshotName: 'vs-root', readyToUse: true }] },
};
const vs = (name: string, status: VolumeSnapshot['status'], annotations: Record<string, string> = {}): VolumeSnapshot => ({
  metadata: { name, annotations },
  spec: { source: { persistentVolumeClaimName: 'data' } },
  status,
});
const base = (o: Partial<SnapshotObservation> = {}): SnapshotObservation => ({ problems: [], volumeSnapshots: new Map(), now, record: { uid: 'vm-uid', virtualMachine: { rootDisk: { volume: 'db-root', bus: 'virtio' }, powerState: 'Running', updatePolicy: 'Manual' } }, ...o });
const conditions = (s: ReturnType<typeof snapshotStatus>) => (s.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason}`);

describe('snapshotStatus of a VM snapshot', () => {
  const vm = snapshot({ virtualMachine: 'db' });
  const done = (indications?: string[]) => base({ vmSnapshot: vmSnap({ phase: 'Succeeded', readyToUse: true, creationTime: '2026-01-01T00:00:00Z', ...(indications ? { indications } : {}) }), content, volumeSnapshots: new Map([['vs-root', vs('vs-root', { restoreSize: '10Gi' })]]) });

  it.each<[string, SnapshotObservation, string | undefined, string, string[]]>([
    ['waiting for its VM', base({ problems: [waiting(Waiting.Source, 'waiting for VirtualMachine db')] }), undefined, 'Pending', ['Ready=False:WaitingForSource', 'Reconciling=True:WaitingForSource']],
    ['a VM group', base({ problems: [stuck(Stuck.InvalidSource, 'a group')] }), undefined, 'Failed', ['Ready=False:InvalidSource', 'Stalled=True:InvalidSource']],
    [
      'in progress',
      base({ vmSnapshot: vmSnap({ phase: 'InProgress', readyToUse: false, conditions: [{ type: 'Progressing', status: 'True', reason: 'Source locked and operation in progress' }] }) }),
      undefined,
      'InProgress',
      ['Ready=False:InProgress', 'Reconciling=True:InProgress'],
    ],
    ['frozen by the guest agent', done(['GuestAgent', 'Online']), 'Application', 'Succeeded', ['Ready=True:Ready']],
    ['no guest agent', done(['NoGuestAgent', 'Online']), 'Crash', 'Succeeded', ['Ready=True:Ready']],
    ['paused', done(['Online', 'Paused']), 'Crash', 'Succeeded', ['Ready=True:Ready']],
    ['offline', done(), 'Offline', 'Succeeded', ['Ready=True:Ready']],
    [
      'a VolumeSnapshot error',
      base({ vmSnapshot: vmSnap({ phase: 'InProgress', readyToUse: false, error: { message: 'VolumeSnapshot vs-root error: rpc error' } }) }),
      undefined,
      'Failed',
      ['Ready=False:SnapshotFailed', 'Stalled=True:SnapshotFailed'],
    ],
    [
      'past the deadline',
      base({ vmSnapshot: vmSnap({ phase: 'Failed', readyToUse: false, conditions: [{ type: 'Failure', status: 'True', reason: 'snapshot deadline exceeded' }] }) }),
      undefined,
      'Failed',
      ['Ready=False:SnapshotFailed', 'Stalled=True:SnapshotFailed'],
    ],
    ['deleted while restored from', { ...done(['GuestAgent', 'Online']), users: [{ kind: 'Restore', name: 'r' }] }, 'Application', 'Succeeded', ['Ready=False:DeletionBlocked', 'Reconciling=True:DeletionBlocked']],
  ])('%s', (_, o, consistency, phase, want) => {
    const s = snapshotStatus(vm, o);
    expect(s.phase).toBe(phase);
    expect(s.consistency).toBe(consistency);
    expect(conditions(s)).toEqual(want);
  });

  it('lists its disks with the Volumes they are, and says why it failed in KubeVirt’s words', () => {
    const s = snapshotStatus(vm, done(['GuestAgent', 'Online']));
    expect(s).toMatchObject({ readyToUse: true, size: '10Gi', sourceUID: 'vm-uid', creationTime: '2026-01-01T00:00:00Z', indications: ['GuestAgent', 'Online'] });
    expect(s.volumes).toEqual([{ name: 'rootdisk', volume: 'db-root', claimName: 'db-root', volumeSnapshot: 'vs-root', size: '10Gi', readyToUse: true }]);
    expect(s.conditions?.[0]?.message).toBe('ready to restore: 1 disk, 10Gi, application-consistent (the guest agent froze the filesystems)');
    const failed = snapshotStatus(vm, base({ vmSnapshot: vmSnap({ phase: 'Failed', conditions: [{ type: 'Failure', status: 'True', reason: 'snapshot deadline exceeded' }] }) }));
    expect(failed.conditions?.find((c) => c.type === 'Stalled')?.message).toBe('KubeVirt: snapshot deadline exceeded');
  });
});

describe('snapshotStatus of a Volume snapshot', () => {
  const volume = snapshot({ volume: 'data' });
  it.each<[string, VolumeSnapshot['status'], string, string[]]>([
    ['being cut', {}, 'InProgress', ['Ready=False:InProgress', 'Reconciling=True:InProgress']],
    ['ready', { readyToUse: true, restoreSize: '1Gi', creationTime: '2026-01-01T00:00:00Z' }, 'Succeeded', ['Ready=True:Ready']],
    ['failed by the driver', { readyToUse: false, error: { message: 'rpc error: code = Internal' } }, 'Failed', ['Ready=False:SnapshotFailed', 'Stalled=True:SnapshotFailed']],
  ])('%s', (_, status, phase, want) => {
    const s = snapshotStatus(volume, base({ record: { uid: 'v-uid' }, volumeSnapshots: new Map([['snap', vs('snap', status, { 'stratus.dev/consistency': 'Offline' })]]) }));
    expect(s.phase).toBe(phase);
    expect(conditions(s)).toEqual(want);
    expect(s.consistency).toBe('Offline');
  });
});
