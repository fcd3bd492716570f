import { stuck, Stuck } from '../shared/problems.js';
import type { Volume } from '../../pkg/api/types.generated.js';
import type { PersistentVolumeClaim } from '../../pkg/kube/core-types.js';
import type { DataVolume } from '../../pkg/contracts/cdi/index.js';
import { volumeStatus, type VolumeObservation } from './status.js';

const volume: Volume = {
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'Volume',
  metadata: { name: 'data', namespace: 'ns', generation: 3 },
  spec: { size: '10Gi', accessMode: 'ReadWriteOnce', volumeMode: 'Filesystem', reclaimPolicy: 'Delete' },
};
const claim = (phase: 'Pending' | 'Bound', capacity?: string): PersistentVolumeClaim => ({
  metadata: { name: 'data' },
  spec: {},
  status: { phase, ...(capacity ? { capacity: { storage: capacity } } : {}) },
});
const dv = (phase: string, extra: Partial<NonNullable<DataVolume['status']>> = {}): DataVolume => ({
  metadata: { name: 'data' },
  spec: {},
  status: { phase, ...extra },
});
const base: VolumeObservation = { users: [], problems: [], deleting: false, now: Date.parse('2026-01-01T00:00:00Z') };
const kinds = (s: ReturnType<typeof volumeStatus>) => (s.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason}`);

describe('volumeStatus', () => {
  it.each<[string, Partial<VolumeObservation>, string, string[]]>([
    ['no claim yet', {}, 'Pending', ['Ready=False:Provisioning', 'Reconciling=True:Provisioning']],
    ['claim pending', { claim: claim('Pending') }, 'Pending', ['Ready=False:Provisioning', 'Reconciling=True:Provisioning']],
    ['bound, unused', { claim: claim('Bound', '10Gi') }, 'Available', ['Ready=True:Available']],
    ['pending for its first consumer', { claim: claim('Pending'), delayedBinding: 'gp3' }, 'Available', ['Ready=True:WaitingForFirstConsumer']],
    ['pending for its first consumer, used', { claim: claim('Pending'), delayedBinding: 'gp3', users: [{ kind: 'VirtualMachine', name: 'db' }] }, 'InUse', ['Ready=True:WaitingForFirstConsumer']],
    ['a DataVolume waiting for its first consumer', { dataVolume: dv('WaitForFirstConsumer'), claim: claim('Pending'), delayedBinding: 'gp3' }, 'Available', ['Ready=True:WaitingForFirstConsumer']],
    ['a DataVolume importing into a claim of such a class', { dataVolume: dv('ImportScheduled'), claim: claim('Pending'), delayedBinding: 'gp3' }, 'Importing', ['Ready=False:Importing', 'Reconciling=True:Importing']],
    ['bound and used', { claim: claim('Bound', '10Gi'), users: [{ kind: 'VirtualMachine', name: 'db' }] }, 'InUse', ['Ready=True:InUse']],
    ['growing', { claim: claim('Bound', '5Gi'), expandable: true }, 'Resizing', ['Ready=False:Resizing', 'Reconciling=True:Resizing']],
    ['cannot grow', { claim: claim('Bound', '5Gi'), expandable: false }, 'Failed', ['Ready=False:ExpansionNotSupported', 'Stalled=True:ExpansionNotSupported']],
    ['importing', { dataVolume: dv('ImportInProgress', { progress: '45.00%' }), claim: claim('Bound', '10Gi') }, 'Importing', ['Ready=False:Importing', 'Reconciling=True:Importing']],
    [
      'import keeps failing',
      { dataVolume: dv('ImportInProgress', { restartCount: 2, conditions: [{ type: 'Running', status: 'False', reason: 'Error', message: 'got 404' }] }) },
      'Failed',
      ['Ready=False:ImportFailed', 'Stalled=True:ImportFailed'],
    ],
    ['imported', { dataVolume: dv('Succeeded', { progress: '100.0%' }), claim: claim('Bound', '10Gi') }, 'Available', ['Ready=True:Available']],
    ['name clash', { problems: [stuck(Stuck.ChildConflict, 'exists')] }, 'Failed', ['Ready=False:ChildConflict', 'Stalled=True:ChildConflict']],
    [
      'deleting while used',
      { deleting: true, users: [{ kind: 'App', name: 'web' }], claim: claim('Bound', '10Gi') },
      'InUse',
      ['Ready=False:DeletionBlocked', 'Reconciling=True:DeletionBlocked'],
    ],
  ])('%s', (_, o, phase, conditions) => {
    const s = volumeStatus(volume, { ...base, ...o });
    expect(s.phase).toBe(phase);
    expect(kinds(s)).toEqual(conditions);
    expect(s.observedGeneration).toBe(3);
  });

  it('reports capacity, progress, users and who blocks a deletion', () => {
    const s = volumeStatus(volume, { ...base, deleting: true, users: [{ kind: 'App', name: 'web' }], claim: claim('Bound', '10Gi'), dataVolume: dv('Succeeded', { progress: '100.0%' }) });
    expect(s).toMatchObject({ capacity: '10Gi', progress: '100.0%', claimName: 'data', usedBy: [{ kind: 'App', name: 'web' }] });
    expect(s.conditions?.[0]?.message).toContain('used by App web');
  });
});

it('lists at most 100 users and counts them all', () => {
  const users = Array.from({ length: 150 }, (_, i) => ({ kind: 'VirtualMachine', name: `vm-${String(i).padStart(3, '0')}` }));
  const s = volumeStatus(volume, { ...base, users, claim: claim('Bound', '10Gi') });
  expect(s.usedBy).toHaveLength(100);
  expect(s.userCount).toBe(150);
  expect(s.conditions?.[0]?.message).toBe('used by VirtualMachine vm-000, VirtualMachine vm-001, VirtualMachine vm-002, VirtualMachine vm-003, VirtualMachine vm-004, VirtualMachine vm-005, VirtualMachine vm-006, VirtualMachine vm-007, VirtualMachine vm-008, VirtualMachine vm-009 and 140 more');
});
