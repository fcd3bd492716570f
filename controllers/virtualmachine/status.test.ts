import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import { health } from '../../pkg/api/kstatus.js';
import type { VirtualMachine as KubeVirtVirtualMachine, VirtualMachineInstance } from '../../pkg/contracts/kubevirt/index.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import { dayTwoEvents } from './day-two-events.js';
import { vmStatus, type VmObservation } from './status.js';

const now = Date.parse('2026-11-26T08:00:00Z');
const vm: VirtualMachine = {
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'VirtualMachine',
  metadata: { name: 'web', namespace: 'ns', generation: 3 },
  spec: { powerState: 'Running', updatePolicy: 'Manual', evictionStrategy: 'LiveMigrateIfPossible', rootDisk: { image: 'img', bus: 'virtio' } },
};
const kubevirtVm = { metadata: { name: 'web', uid: 'kv' }, spec: {}, status: { ready: true, created: true, printableStatus: 'Running' } } as unknown as KubeVirtVirtualMachine;
const vmi = { metadata: { name: 'web' }, spec: { domain: { devices: {} } }, status: { phase: 'Running', nodeName: 'node-1' } } as unknown as VirtualMachineInstance;
const observed = (o: Partial<VmObservation> = {}): VmObservation => ({ problems: [], pendingChanges: [], now, kubevirtVm, vmi, ...o });
const withStatus = (o: Partial<VmObservation>): VirtualMachine => ({ ...vm, status: vmStatus(vm, observed(o)) });

describe('vmStatus on day two', () => {
  it('is Ready and current with nothing moving', () => {
    const v = withStatus({ migratable: { status: 'True', reason: 'Migratable', message: 'KubeVirt can move it' } });
    expect(findCondition(v.status?.conditions, 'Ready')).toMatchObject({ status: 'True', reason: 'Running', message: 'running on node-1' });
    expect(findCondition(v.status?.conditions, 'LiveMigratable')).toMatchObject({ status: 'True', reason: 'Migratable' });
    expect(health(v).status).toBe('Current');
  });

  it('is progressing — kstatus InProgress, never Failed — while it moves or takes a change live', () => {
    const moving = withStatus({ migrating: 'moving from node-1 to node-2 (as requested): Running' });
    expect(findCondition(moving.status?.conditions, 'Reconciling')).toMatchObject({ status: 'True', reason: 'Migrating', message: 'moving from node-1 to node-2 (as requested): Running' });
    expect(findCondition(moving.status?.conditions, 'Stalled')).toBeUndefined();
    expect(moving.status?.phase).toBe('Running');
    expect(health(moving)).toEqual({ status: 'InProgress', message: 'Migrating: moving from node-1 to node-2 (as requested): Running' });

    const updating = withStatus({ applying: ['spec.cpu', 'spec.memory'], migrating: 'moving off node-1 (to apply a live update): Scheduling' });
    expect(findCondition(updating.status?.conditions, 'Reconciling')).toMatchObject({
      reason: 'LiveUpdating',
      message: 'applying spec.cpu, spec.memory live; moving off node-1 (to apply a live update): Scheduling',
    });
    expect(health(updating).status).toBe('InProgress');
  });

  it('lists what went live apart from what waits for a restart, and says why it waits', () => {
    const v = withStatus({ liveUpdates: ['spec.memory'], pendingChanges: ['spec.cpu'], pendingWhy: ['fewer cores take effect at a restart'] });
    expect(v.status).toMatchObject({ liveUpdates: ['spec.memory'], pendingChanges: ['spec.cpu'] });
    expect(findCondition(v.status?.conditions, 'Ready')?.message).toBe('running on node-1; changes waiting for a restart: spec.cpu (fewer cores take effect at a restart)');
    expect(health(v).status).toBe('Current');
  });

  it('says which members keep a node being drained, and why, without being Stalled', () => {
    const v = withStatus({ heldOnDrain: [{ vmi: 'web', why: 'DisksNotLiveMigratable: PVC root is not shared' }] });
    expect(findCondition(v.status?.conditions, 'Ready')?.message).toContain('web keeps its node, which is being drained: it cannot live-migrate (DisksNotLiveMigratable: PVC root is not shared)');
    expect(findCondition(v.status?.conditions, 'Stalled')).toBeUndefined();
  });
});

describe('dayTwoEvents', () => {
  const moving = { name: 'web-move-1', reason: 'Requested' as const, phase: 'Running', sourceNode: 'node-1' };
  it('tells a change that went live once, and a move when it ends', () => {
    expect(dayTwoEvents({ liveUpdates: ['spec.cpu'] }, { liveUpdates: ['spec.cpu', 'spec.memory'] })).toEqual([
      { type: 'Normal', reason: 'LiveUpdated', note: 'spec.memory applied to the running VM without a restart' },
    ]);
    expect(dayTwoEvents({ migration: moving }, { migration: moving })).toEqual([]);
    expect(dayTwoEvents({ migration: moving }, { migration: { ...moving, phase: 'Succeeded', targetNode: 'node-2' } })).toEqual([
      { type: 'Normal', reason: 'Migrated', note: 'moved from node-1 to node-2 as requested' },
    ]);
    expect(dayTwoEvents({}, { migration: { ...moving, member: 'workers-1', reason: 'NodeDrain', phase: 'Failed', message: 'target pod unschedulable' } })).toEqual([
      { type: 'Warning', reason: 'MigrationFailed', note: 'workers-1 could not move off a node being drained: target pod unschedulable' },
    ]);
  });
});
