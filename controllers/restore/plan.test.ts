import type { Restore, Snapshot, VirtualMachine } from '../../pkg/api/types.generated.js';
import { diskClaims, inPlaceProblem } from './in-place.js';
import { newVmPlan } from './new-vm.js';
import { restoreStatus } from './status.js';
import { waiting, Waiting } from '../shared/problems.js';

const vm = (spec: Partial<VirtualMachine['spec']> = {}, uid = 'vm-uid'): VirtualMachine => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'VirtualMachine',
  metadata: { name: 'db', namespace: 'ns', uid },
  spec: { rootDisk: { volume: 'db-root', bus: 'virtio' }, disks: [{ name: 'data', volume: 'db-data', bus: 'virtio', readOnly: false }, { name: 'scratch', size: '1Gi', bus: 'virtio', readOnly: false }], powerState: 'Running', updatePolicy: 'Manual', ...spec },
});
const snapshot = (source: Snapshot['spec']['source'] = { virtualMachine: 'db' }): Snapshot => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'Snapshot',
  metadata: { name: 'nightly', namespace: 'ns' },
  spec: { source, deletionPolicy: 'Delete' },
  status: {
    readyToUse: true,
    sourceUID: 'vm-uid',
    volumes: [
      { name: 'rootdisk', volume: 'db-root', claimName: 'db-root', size: '10Gi', volumeSnapshot: 'vs-1', readyToUse: true },
      { name: 'data', volume: 'db-data', claimName: 'db-data', size: '2Gi', volumeSnapshot: 'vs-2', readyToUse: true },
      { name: 'scratch', claimName: 'db-scratch', size: '1Gi', volumeSnapshot: 'vs-3', readyToUse: true },
    ],
  },
});
const claims = (v: VirtualMachine) => diskClaims(v, (name) => name);

describe('inPlaceProblem', () => {
  it('allows the VM the snapshot was taken of, with the same claims', () => {
    expect(claims(vm())).toEqual(new Map([['rootdisk', 'db-root'], ['data', 'db-data'], ['scratch', 'db-scratch']]));
    expect(inPlaceProblem(snapshot(), vm(), 'db', claims(vm()))).toBeUndefined();
  });

  it.each<[string, Snapshot, VirtualMachine | undefined, string]>([
    ['a snapshot of a Volume', snapshot({ volume: 'x' }), vm(), 'Snapshot nightly is of Volume x, not of a VirtualMachine: make a Volume from it (source.snapshot)'],
    ['another VM', snapshot({ virtualMachine: 'web' }), vm(), 'Snapshot nightly was taken of VirtualMachine web: a restore in place writes only over the VM it was taken of; restore into a new VM (target.newVirtualMachine)'],
    ['no VM', snapshot(), undefined, 'VirtualMachine db does not exist: restore into a new VM (target.newVirtualMachine)'],
    ['a VM made again', snapshot(), vm({}, 'other-uid'), 'VirtualMachine db was made again since Snapshot nightly was taken: it is not that VM; restore into a new VM (target.newVirtualMachine)'],
    [
      'a disk moved to another Volume',
      snapshot(),
      vm({ disks: [{ name: 'data', volume: 'other', bus: 'virtio', readOnly: false }] }),
      "the VM's disks changed since the Snapshot: data (claim db-data in the Snapshot, other now), scratch (claim db-scratch in the Snapshot, no such disk now); restoring in place would write over what the VM does not name; restore into a new VM (target.newVirtualMachine)",
    ],
  ])('refuses %s', (_, snap, target, message) => {
    expect(inPlaceProblem(snap, target, 'db', target ? claims(target) : new Map())).toEqual({ stuck: true, reason: 'InvalidTarget', message });
  });
});

describe('newVmPlan', () => {
  const restore: Restore = { apiVersion: 'stratus.dev/v1alpha1', kind: 'Restore', metadata: { name: 'copy', namespace: 'ns', uid: 'r-uid' }, spec: { snapshot: 'nightly', target: { newVirtualMachine: 'db-copy' }, stopVirtualMachine: false } };
  const recorded = vm({ networks: [{ name: 'default' }, { name: 'lan', network: 'lan', ipAddress: '10.0.0.5', macAddress: '02:00:00:00:00:01' }], restartRequestedAt: '2026-01-01T00:00:00Z' }).spec;

  it('makes a Volume per disk from the snapshot and a VM on them, without fixed addresses', () => {
    const plan = newVmPlan(restore, snapshot(), { uid: 'vm-uid', virtualMachine: recorded, volumes: { 'db-data': { size: '4Gi', accessMode: 'ReadWriteMany', volumeMode: 'Block', reclaimPolicy: 'Retain' } } }, 'db-copy');
    expect(plan.volumes.map((v) => [v.metadata.name, v.spec.size, v.spec.accessMode, v.spec.source])).toEqual([
      ['db-copy-rootdisk', '10Gi', 'ReadWriteOnce', { snapshot: { name: 'nightly', disk: 'rootdisk' } }],
      ['db-copy-data', '4Gi', 'ReadWriteMany', { snapshot: { name: 'nightly', disk: 'data' } }],
      ['db-copy-scratch', '1Gi', 'ReadWriteOnce', { snapshot: { name: 'nightly', disk: 'scratch' } }],
    ]);
    const spec = plan.virtualMachine.spec;
    expect(spec.rootDisk).toEqual({ volume: 'db-copy-rootdisk', bus: 'virtio' });
    expect(spec.disks?.map((d) => d.volume)).toEqual(['db-copy-data', 'db-copy-scratch']);
    expect(spec.networks).toEqual([{ name: 'default' }, { name: 'lan', network: 'lan' }]);
    expect(spec.restartRequestedAt).toBeUndefined();
    expect(plan.virtualMachine.metadata).toMatchObject({ name: 'db-copy', labels: { 'stratus.dev/restore': 'copy' }, annotations: { 'stratus.dev/restored-by': 'r-uid' } });
  });
});

describe('restoreStatus', () => {
  const r: Restore = { apiVersion: 'stratus.dev/v1alpha1', kind: 'Restore', metadata: { name: 'r', generation: 1 }, spec: { snapshot: 's', target: { virtualMachine: 'db' }, stopVirtualMachine: false } };
  const kinds = (s: ReturnType<typeof restoreStatus>) => [s.phase, ...(s.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason}`)];
  it.each<[string, Parameters<typeof restoreStatus>[1], string[]]>([
    ['waiting for consent', { problems: [waiting(Waiting.Stop, 'running')], volumes: [], now: 0 }, ['Pending', 'Ready=False:WaitingForStop', 'Reconciling=True:WaitingForStop']],
    ['stopping', { problems: [], progress: { phase: 'Stopping', message: 'stopping' }, volumes: [], now: 0 }, ['Stopping', 'Ready=False:Stopping', 'Reconciling=True:Stopping']],
    ['restoring', { problems: [], progress: { phase: 'Restoring', message: 'KubeVirt: Creating new PVCs' }, volumes: [], now: 0 }, ['Restoring', 'Ready=False:Restoring', 'Reconciling=True:Restoring']],
    ['done', { problems: [], progress: { phase: 'Succeeded', message: 'restored', restoreTime: '2026-01-01T00:00:00Z' }, volumes: [], now: 0 }, ['Succeeded', 'Ready=True:Restored']],
    ['failed by KubeVirt', { problems: [], progress: { phase: 'Failed', message: 'KubeVirt: no' }, volumes: [], now: 0 }, ['Failed', 'Ready=False:RestoreFailed', 'Stalled=True:RestoreFailed']],
  ])('%s', (_, o, want) => expect(kinds(restoreStatus(r, o))).toEqual(want));
});
