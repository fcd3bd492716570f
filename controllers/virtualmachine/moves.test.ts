import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import type { VirtualMachineInstance, VirtualMachineInstanceMigration } from '../../pkg/contracts/kubevirt/index.js';
import { moveName } from './migration.js';
import { planMoves } from './moves.js';

const t1 = '2026-11-26T08:00:00Z';
const t0 = '2026-11-25T08:00:00Z';
const vm = (spec: Partial<VirtualMachine['spec']> = {}): VirtualMachine =>
  ({ metadata: { name: 'workers', namespace: 'ns' }, spec: { powerState: 'Running', migrateRequestedAt: t1, ...spec } }) as VirtualMachine;

const vmi = (i: number, o: { ready?: boolean; migratable?: boolean | 'unknown'; migrating?: boolean } = {}): VirtualMachineInstance =>
  ({
    metadata: { name: `workers-${i}` },
    spec: { domain: { devices: {} } },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: o.ready === false ? 'False' : 'True' },
        ...(o.migratable === 'unknown' ? [] : [{ type: 'LiveMigratable', status: o.migratable === false ? 'False' : 'True', reason: o.migratable === false ? 'DisksNotLiveMigratable' : '', message: 'PVC root is not shared' }]),
      ],
      ...(o.migrating ? { migrationState: { migrationUid: 'u', completed: false } } : {}),
    },
  }) as unknown as VirtualMachineInstance;

const migration = (i: number, phase: string, requestedAt = t1): VirtualMachineInstanceMigration =>
  ({ metadata: { name: moveName(`workers-${i}`, requestedAt) }, spec: { vmiName: `workers-${i}` }, status: { phase } }) as VirtualMachineInstanceMigration;

describe('planMoves', () => {
  it('does nothing without a new request', () => {
    expect(planMoves(vm({ migrateRequestedAt: undefined }), [vmi(0)], 1, [], undefined)).toEqual({ cannot: [] });
    expect(planMoves(vm(), [vmi(0)], 1, [], t1)).toEqual({ cannot: [] });
  });

  it('moves the first VMI that has not moved for this request, one at a time', () => {
    expect(planMoves(vm(), [vmi(0), vmi(1)], 2, [], t0)).toEqual({ cannot: [], create: 'workers-0', progress: 'moving workers-0 (0/2 moved)' });
    expect(planMoves(vm(), [vmi(0), vmi(1)], 2, [migration(0, 'Running')], t0)).toEqual({ cannot: [], progress: 'moving workers-0 (0/2 moved): Running' });
    expect(planMoves(vm(), [vmi(0), vmi(1)], 2, [migration(0, 'Succeeded')], t0)).toEqual({ cannot: [], create: 'workers-1', progress: 'moving workers-1 (1/2 moved)' });
  });

  it('is done once every VMI moved, or failed to: at most once per request', () => {
    expect(planMoves(vm(), [vmi(0), vmi(1)], 2, [migration(0, 'Succeeded'), migration(1, 'Failed')], t0)).toEqual({ cannot: [], movedAt: t1 });
  });

  it('does not count a previous request’s migrations', () => {
    expect(planMoves(vm(), [vmi(0)], 1, [migration(0, 'Succeeded', t0)], t0)).toMatchObject({ create: 'workers-0' });
  });

  it('waits while any VMI is not ready, is migrating, or another migration runs', () => {
    expect(planMoves(vm(), [vmi(0), vmi(1, { ready: false })], 2, [], t0)).toEqual({ cannot: [], progress: 'waiting to move workers-0 (0/2 moved)' });
    expect(planMoves(vm(), [vmi(0, { migrating: true })], 1, [], t0)).toEqual({ cannot: [], progress: 'waiting to move workers-0 (0/1 moved)' });
    const other = { ...migration(1, 'Scheduling'), metadata: { name: 'kubevirt-evacuation-x' } } as VirtualMachineInstanceMigration;
    expect(planMoves(vm(), [vmi(0), vmi(1)], 2, [other], t0)).toMatchObject({ progress: 'waiting to move workers-0 (0/2 moved)' });
    expect(planMoves(vm(), [vmi(0)], 2, [], t0)).toEqual({ cannot: [], progress: 'waiting for 1 of 2 VMs to run before moving them' });
  });

  it('skips a VMI that cannot migrate, with KubeVirt’s reason, and waits for one not yet judged', () => {
    expect(planMoves(vm(), [vmi(0, { migratable: false })], 1, [], t0)).toEqual({ cannot: [{ vmi: 'workers-0', why: 'DisksNotLiveMigratable: PVC root is not shared' }], movedAt: t1 });
    expect(planMoves(vm(), [vmi(0, { migratable: 'unknown' })], 1, [], t0)).toEqual({ cannot: [], progress: 'waiting to move workers-0 (0/1 moved)' });
  });

  it('takes a request to a stopped VM as done: nothing runs to move', () => {
    expect(planMoves(vm({ powerState: 'Stopped' }), [], 0, [], t0)).toEqual({ cannot: [], movedAt: t1 });
  });
});
